import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import type { ClientConfig } from '../../../src/config/config-schema';
import { openCsvCrm } from '../../../src/crm/csv/csv-crm';
import { crmConfigSchema, type CsvCrmConfig } from '../../../src/crm/crm-config';
import type { CrmPort, ResponseEvent } from '../../../src/crm/crm-port';
import { ingestWindow, type WindowCheckpoint } from '../../../src/responses/ingest-window';
import { createStateStore, type StateStore } from '../../../src/store';
import { aCrashPoint, runUntilDone, type CrashPoint } from '../../helpers/crash-points';
import { createFakeOptimizely, type FakeOptimizely } from '../../helpers/fake-optimizely';
import { aRun, aSent } from '../../helpers/store-builders';

// A response window's ingestion dies at any outside call (a ClosedLoop page, a ledger look-up, a CRM
// write, a suppression or applied-key write, the watermark), before the far side ran it or after (its
// reply lost), up to three times; Temporal runs it again from the last checkpoint it received (the
// dead attempt's last heartbeat, or an older one when that heartbeat was lost), and ClosedLoop may have
// added late rows to the window by then (anywhere among a getter's rows). Every open and click read
// before the first attempt reaches the CRM exactly once, a late one at most once: a SQL CRM changes
// once per event, and a CSV-exchange CRM finds each event in one outbox file only, since it imports
// every file it finds.

const CLIENT = { key: 'demo', lists: [{ key: 'newsletter', listId: 100, optInId: '11', mediaType: 'email' }] } as unknown as ClientConfig;
const WINDOW = { since: 0, until: Date.parse('2026-06-01T00:00:00Z') };
const PEOPLE = 4;
const person = (i: number) => `r${i}@x.test`;
const at = (second: number) => new Date(Date.parse('2026-05-31T00:00:00Z') + second * 1000).toISOString().replace('Z', '+00:00');

interface Response {
  getter: 'getOpens' | 'getClicks';
  who: number;
  second: number;
  /** Where among the getter's rows a late row lands (modulo their number): ClosedLoop's order is not promised. */
  place?: number;
}

const aResponse: fc.Arbitrary<Response> = fc.record({
  getter: fc.constantFrom('getOpens' as const, 'getClicks' as const),
  who: fc.nat(PEOPLE - 1),
  second: fc.integer({ min: 1, max: 3600 }),
  place: fc.nat(20),
});
/** Distinct responses, split into those reported before the first attempt and those added before each retry. */
const reported = fc
  .uniqueArray(aResponse, { minLength: 1, maxLength: 14, selector: (r) => `${r.getter}|${r.who}|${r.second}` })
  .chain((all) =>
    fc.tuple(fc.nat(all.length), fc.integer({ min: 1, max: 3 })).map(([count, per]) => {
      const late: Response[][] = [];
      for (let from = count; from < all.length; from += per) late.push(all.slice(from, from + per));
      return { before: all.slice(0, count), late };
    }),
  );

const scenario = fc.record({
  reported,
  crm: fc.constantFrom('sql' as const, 'csv' as const),
  pagesPerCommit: fc.integer({ min: 1, max: 3 }),
  // Pages handed to the ingester before the answer to the first of them is awaited (1: each waits).
  unanswered: fc.integer({ min: 1, max: 6 }),
  // A window of seven getters and a few rows makes about 15 outside calls.
  crashes: fc.array(fc.record({ crash: aCrashPoint(18), heartbeatLost: fc.boolean() }), { minLength: 1, maxLength: 3 }),
});

function closedLoopRow(r: Response): string[] {
  const row = [person(r.who), '1001', at(r.second), '100'];
  return r.getter === 'getClicks' ? [...row, '7', 'https://x.test/offer'] : row;
}
const responseKey = (r: Response) =>
  `${r.getter === 'getOpens' ? 'open' : 'click'}|${person(r.who)}|${new Date(Date.parse(at(r.second))).toISOString()}`;
const eventKey = (e: Pick<ResponseEvent, 'kind' | 'recipientId' | 'occurredAt'>) => `${e.kind}|${e.recipientId}|${e.occurredAt}`;

/** A SQL-like CRM: one change per distinct response (its primary key), `duplicate` after; counts the changes. */
function idempotentCrm(): CrmPort & { changes: Map<string, number> } {
  const changes = new Map<string, number>();
  return {
    changes,
    exportSelection: async function* () {},
    applyFeedback: async () => [],
    applyResponses: async (batch) =>
      batch.map((event, index) => {
        const key = eventKey(event);
        const before = changes.has(key);
        if (!before) changes.set(key, 1);
        return { index, outcome: before ? ('duplicate' as const) : ('applied' as const) };
      }),
    campaignForMailing: async (mailingId) => (mailingId === '1001' ? 'CMP-1' : undefined),
    close: async () => undefined,
  };
}

/** Every response row in the outbox as `kind|recipient|time`, as often as the CRM would import it. */
function outboxResponses(outbox: string): string[] {
  let names: string[] = [];
  try {
    names = readdirSync(outbox).filter((n) => n.startsWith('responses-') && n.endsWith('.csv'));
  } catch {
    return [];
  }
  return names.flatMap((name) =>
    (parse(readFileSync(join(outbox, name)), { from_line: 2 }) as string[][]).map(([kind, , , recipientId, , , occurredAt]) =>
      eventKey({ kind: kind as ResponseEvent['kind'], recipientId: recipientId as string, occurredAt: occurredAt as string }),
    ),
  );
}

interface Side {
  store: StateStore;
  optimizely: FakeOptimizely;
  crm: CrmPort;
  written: () => Map<string, number>;
}

async function aSide(dir: string, kind: 'sql' | 'csv'): Promise<Side> {
  const store = await createStateStore({ kind: 'sqlite', file: ':memory:' });
  await store.runs.upsert(aRun({ client: 'demo' }));
  await store.ledger.record(Array.from({ length: PEOPLE }, (_, i) => aSent(person(i), 0)));
  const optimizely = createFakeOptimizely();
  if (kind === 'sql') {
    const crm = idempotentCrm();
    return { store, optimizely, crm, written: () => crm.changes };
  }
  const outbox = join(dir, 'outbox');
  const crm = openCsvCrm(crmConfigSchema.parse({ kind: 'csv', outbox, lists: {}, campaigns: { '1001': 'CMP-1' } }) as CsvCrmConfig);
  const written = () => {
    const counts = new Map<string, number>();
    for (const key of outboxResponses(outbox)) counts.set(key, (counts.get(key) ?? 0) + 1);
    return counts;
  };
  return { store, optimizely, crm, written };
}

const put = (optimizely: FakeOptimizely, list: readonly Response[]) =>
  list.forEach((r) => {
    const rows = optimizely.closedLoopRows[r.getter];
    rows.splice((r.place ?? rows.length) % (rows.length + 1), 0, closedLoopRow(r));
  });

interface Death {
  crash: CrashPoint;
  heartbeatLost: boolean;
}

/** Runs the window until an attempt completes, each retry from the checkpoint Temporal holds; late rows before each retry. */
async function ingestWithCrashes(
  side: Side,
  deaths: readonly Death[],
  late: readonly Response[][],
  pagesPerCommit: number,
  unanswered?: number,
) {
  let attempts = 0;
  let arrived = 0;
  let resumeFrom: WindowCheckpoint | undefined;
  await runUntilDone(
    deaths.map((d) => d.crash),
    async (life) => {
      const death = deaths[attempts];
      if ((attempts += 1) > 1 && arrived < late.length) put(side.optimizely, late[arrived++]!);
      const from = resumeFrom;
      let lastBeat: WindowCheckpoint | undefined;
      try {
        return await ingestWindow(
          {
            ...life.wrap({ optimizely: side.optimizely, store: side.store, crm: side.crm }),
            client: CLIENT,
            pagesPerCommit,
            ...(unanswered ? { unanswered } : {}),
            heartbeat: (c) => {
              if (!life.dead) lastBeat = structuredClone(c);
            },
            ...(from ? { resumeFrom: from } : {}),
          },
          WINDOW,
        );
      } finally {
        // The retry resumes from the last heartbeat that reached Temporal: this attempt's last, or, lost, the one before.
        if (!(death?.heartbeatLost ?? false) && lastBeat) resumeFrom = lastBeat;
      }
    },
  );
  return arrived;
}

describe('a response window dying at any outside call', () => {
  it('writes each open and click to the CRM once, whatever late rows arrive before a retry', async () => {
    await fc.assert(
      fc.asyncProperty(scenario, async ({ reported: { before, late }, crm: kind, pagesPerCommit, unanswered, crashes }) => {
        const dir = mkdtempSync(join(tmpdir(), 'cs-responses-crash-'));
        const side = await aSide(dir, kind);
        try {
          put(side.optimizely, before);
          const arrived = await ingestWithCrashes(side, crashes, late, pagesPerCommit, unanswered);
          const written = side.written();
          const reportedKeys = new Set([...before, ...late.slice(0, arrived).flat()].map(responseKey));
          expect([...written].filter(([, times]) => times !== 1)).toEqual([]);
          expect([...written.keys()].filter((key) => !reportedKeys.has(key))).toEqual([]);
          expect(before.map(responseKey).filter((key) => !written.has(key))).toEqual([]);
          expect(await side.store.watermarks.get('demo', 'responses')).toBe('2026-06-01T00:00:00.000Z');
        } finally {
          await side.store.close();
          rmSync(dir, { recursive: true, force: true });
        }
      }),
      { numRuns: 150 },
    );
  });

  it('writes an open once when a retry re-reads its page with a late click beside it (counterexample of the former hash-only outbox)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cs-responses-crash-'));
    const side = await aSide(dir, 'csv');
    const open = (second: number): Response => ({ getter: 'getOpens', who: 0, second });
    try {
      put(side.optimizely, [open(1)]);
      // The first attempt dies on its 8th call unsent; the second hands over the opens page and loses the reply.
      const deaths = [
        { crash: { at: 8, replyLost: false }, heartbeatLost: false },
        { crash: { at: 5, replyLost: true }, heartbeatLost: false },
      ];
      const late = [[{ getter: 'getClicks' as const, who: 0, second: 1 }], [open(2)]];
      await ingestWithCrashes(side, deaths, late, 1);
      expect([...side.written()].sort()).toEqual([
        ['click|r0@x.test|2026-05-31T00:00:01.000Z', 1],
        ['open|r0@x.test|2026-05-31T00:00:01.000Z', 1],
        ['open|r0@x.test|2026-05-31T00:00:02.000Z', 1],
      ]);
    } finally {
      await side.store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
