import fc from 'fast-check';
import { decisionCommands, incidentPayload, slackMessage, type IncidentNotice } from '../../../src/alerts/incident';
import { notifyIncident, type AlertChannel } from '../../../src/alerts/notify-incident';
import { createStateStore, type StateStore } from '../../../src/store';

const now = () => new Date('2026-11-30T05:00:00.000Z');
const hold: IncidentNotice = {
  client: 'demo',
  kind: 'guard-hold',
  state: 'open',
  runId: 'r1',
  listKey: 'newsletter',
  reasons: ['snapshot 40% smaller than the last good run'],
};

describe('notifyIncident', () => {
  let store: StateStore;
  beforeEach(async () => {
    store = await createStateStore({ kind: 'sqlite', file: ':memory:' });
  });
  afterEach(async () => store.close());

  const ports = (
    sent: unknown[],
    fail: () => boolean = () => false,
    channels: AlertChannel[] = [{ kind: 'webhook', url: () => 'http://hook' }],
  ) => ({
    incidents: store.incidents,
    channels,
    now,
    post: async (_url: string, body: unknown) => {
      if (fail()) throw new Error('receiver down');
      sent.push(body);
    },
  });

  it('one notice per incident, one recovery, whatever the sequence of reports and failed deliveries', async () => {
    // Any sequence of (state, delivery fails?) reports for one incident, each retried until it goes through:
    // the channel sees alternating open/resolved notices, starting with open, never two alike in a row.
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ state: fc.constantFrom('open' as const, 'resolved' as const), failures: fc.nat(3) }), { maxLength: 12 }),
        async (reports) => {
          const local = await createStateStore({ kind: 'sqlite', file: ':memory:' });
          const sent: Array<{ state: string }> = [];
          let failuresLeft = 0;
          const p = { ...ports(sent, () => failuresLeft-- > 0), incidents: local.incidents };
          const expected: string[] = [];
          for (const report of reports) {
            failuresLeft = report.failures;
            for (;;) {
              try {
                await notifyIncident(p, { ...hold, state: report.state });
                break;
              } catch {
                // The activity's retry.
              }
            }
            const last = expected[expected.length - 1];
            if (report.state === 'open' ? last !== 'open' : last === 'open') expected.push(report.state);
          }
          expect(sent.map((b) => b.state)).toEqual(expected);
          await local.close();
        },
      ),
      { numRuns: 60 },
    );
  });

  it('a resolved report with no notified opening sends nothing', async () => {
    const sent: unknown[] = [];
    expect(await notifyIncident(ports(sent), { ...hold, state: 'resolved' })).toEqual({ sent: 0, skipped: 'nothing-to-recover' });
    expect(sent).toEqual([]);
  });

  it('without channels records the state and sends nothing', async () => {
    expect(
      await notifyIncident(
        ports([], () => false, []),
        hold,
      ),
    ).toEqual({ sent: 0, skipped: 'no-channels' });
    expect((await store.incidents.get('demo', 'guard-hold:newsletter'))?.state).toBe('open');
  });

  it('the Slack channel gets a text message, the webhook the documented payload', async () => {
    const sent: unknown[] = [];
    await notifyIncident(
      ports(sent, () => false, [
        { kind: 'webhook', url: () => 'a' },
        { kind: 'slack', url: () => 'b' },
      ]),
      hold,
    );
    const payload = incidentPayload(hold, now());
    expect(sent).toEqual([payload, slackMessage(payload)]);
  });
});

describe('incidentPayload', () => {
  it('a missed readyBy deadline is one incident per list and local day, with the deadline in the payload', () => {
    const late: IncidentNotice = {
      client: 'demo',
      kind: 'list-late',
      state: 'open',
      runId: 'r2',
      listKey: 'newsletter',
      deadline: { readyBy: '06:00 Europe/Berlin', day: '2026-11-30' },
    };
    expect(incidentPayload(late, now())).toMatchObject({
      incident: 'list-late:newsletter:2026-11-30',
      deadline: { readyBy: '06:00 Europe/Berlin', day: '2026-11-30' },
      summary: 'List demo/newsletter was not ready by its 06:00 Europe/Berlin deadline of 2026-11-30',
    });
    const nextDay = { ...late, deadline: { readyBy: '06:00 Europe/Berlin', day: '2026-12-01' } };
    expect(incidentPayload(nextDay, now()).incident).toBe('list-late:newsletter:2026-12-01');
    expect(incidentPayload({ ...late, state: 'resolved' }, now()).summary).toBe(
      'List demo/newsletter is ready (verified refill) after missing its 06:00 Europe/Berlin deadline of 2026-11-30',
    );
  });

  it('a guard hold carries the exact approve and reject commands and the reasons', () => {
    const payload = incidentPayload(hold, now());
    expect(payload).toMatchObject({
      type: 'campaign-sync.incident',
      version: 1,
      incident: 'guard-hold:newsletter',
      state: 'open',
      client: 'demo',
      listKey: 'newsletter',
      runId: 'r1',
      reasons: hold.reasons,
    });
    expect(payload.commands).toEqual([
      'campaign-sync --client demo approve newsletter --reason "<why>"',
      'campaign-sync --client demo reject newsletter --reason "<why>"',
    ]);
    expect(decisionCommands('demo', 'newsletter')).toEqual(payload.commands);
    expect(slackMessage(payload).text).toContain('`campaign-sync --client demo approve newsletter --reason "<why>"`');
  });

  it("carries only the notice's keys, counts and reasons: nothing else reaches the channel", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(
          'guard-hold' as const,
          'list-not-ready' as const,
          'list-late' as const,
          'feedback-quarantined' as const,
          'responses-lagging' as const,
        ),
        fc.constantFrom('open' as const, 'resolved' as const),
        (kind, state) => {
          const payload = incidentPayload(
            { client: 'demo', kind, state, runId: 'r9', listKey: 'offers', counts: { quarantined: 2 } },
            now(),
          );
          expect(Object.keys(payload).sort()).toEqual(
            expect.arrayContaining(['at', 'client', 'incident', 'kind', 'runId', 'state', 'summary', 'type', 'version']),
          );
          expect(
            Object.keys(payload).every((k) =>
              [
                'type',
                'version',
                'incident',
                'state',
                'kind',
                'client',
                'listKey',
                'runId',
                'at',
                'summary',
                'reasons',
                'commands',
                'counts',
                'deadline',
              ].includes(k),
            ),
          ).toBe(true);
          expect(payload.summary.length).toBeGreaterThan(0);
        },
      ),
    );
  });
});
