import fc from 'fast-check';
import { parseConfig } from '../../../src/config/load-config';
import { demoConfig } from '../../../src/demo/demo-config';
import { ConfigError } from '../../../src/errors/config-error';
import { desiredSchedules } from '../../../src/schedules/desired-schedules';
import { listSyncWorkflowId } from '../../../workflows/ids';

// A client or list key is part of every Temporal id campaign-sync makes, and the server refuses ids
// over 1,000 characters: a 1,100-character key loaded, and `schedules apply` then failed with the
// server's bare "Failed to create schedule"; at 970 the schedule was created and its every start
// would fail. A key over 100 characters is refused at start naming the setting; every id made from
// an accepted configuration fits.

const TEMPORAL_ID_MAX = 1000;
const STAMP = `scheduled-${new Date(0).toISOString()}`;

describe('client and list keys', () => {
  it('are refused over 100 characters naming the setting; accepted ones make ids Temporal takes', () => {
    fc.assert(
      fc.property(fc.constantFrom('client', 'list'), fc.integer({ min: 1, max: 3000 }), (which, length) => {
        const raw = demoConfig() as {
          clients: Array<{ key: string; schedule?: unknown; lists: Array<{ key: string; readyBy?: string }> }>;
        };
        const client = raw.clients[0]!;
        client.schedule = { time: '03:30', timeZone: 'America/Argentina/ComodRivadavia', responsesEvery: '15m' };
        client.lists[0]!.readyBy = '06:00 America/Argentina/ComodRivadavia';
        const key = 'k'.repeat(length);
        if (which === 'client') client.key = key;
        else {
          // The list's CRM selection moves with its key (crm.lists by list key, or client/list).
          const selections = (raw as unknown as { crm: { lists: Record<string, unknown> } }).crm.lists;
          const old = client.lists[0]!.key;
          const found = Object.keys(selections).find((k) => k === old || k === `${client.key}/${old}`)!;
          selections[key] = selections[found];
          delete selections[found];
          client.lists[0]!.key = key;
        }
        let problems: string[] = [];
        let config;
        try {
          config = parseConfig(raw, 'test.json', '/tmp');
        } catch (error) {
          expect(error).toBeInstanceOf(ConfigError);
          problems = (error as ConfigError).problems;
        }
        if (length > 100) {
          expect(problems.join('\n')).toMatch(
            which === 'client' ? /clients\.0\.key: at most 100 characters/ : /clients\.0\.lists\.0\.key: at most 100 characters/,
          );
          return;
        }
        expect(problems).toEqual([]);
        for (const schedule of desiredSchedules(config!, 'campaign-sync')) {
          expect(schedule.scheduleId.length).toBeLessThanOrEqual(TEMPORAL_ID_MAX);
          expect(`${schedule.shape.workflowId}-${STAMP}`.length).toBeLessThanOrEqual(TEMPORAL_ID_MAX);
        }
        for (const c of config!.clients)
          for (const l of c.lists) expect(`${listSyncWorkflowId(c.key, l.key)}:restore`.length).toBeLessThanOrEqual(TEMPORAL_ID_MAX);
      }),
    );
  });
});
