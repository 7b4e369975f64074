import { MockActivityEnvironment } from '@temporalio/testing';
import { DefaultLogger } from '@temporalio/worker';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import type { ActivityDependencies } from '../../../activities/deps';
import { createResponseActivities } from '../../../activities/responses';
import type { PlanResponseIngestInput, PlanResponseIngestOutput } from '../../../activities/responses-types';
import type { CampaignSyncConfig } from '../../../src/config/config-schema';
import type { CrmPort, FeedbackEvent } from '../../../src/crm/crm-port';
import { importFeedback } from '../../../src/feedback/import-feedback';
import { FEEDBACK_OVERLAP_MS } from '../../../src/feedback/watermark-kinds';
import { formatClosedLoopTime } from '../../../src/optimizely/api/closed-loop-columns';
import type { Row } from '../../../src/optimizely/client/optimizely-port';
import { createStateStore, type StateStore } from '../../../src/store';
import { aRun, aSent } from '../../helpers/store-builders';
import { createFakeOptimizely, type FakeOptimizely } from '../../helpers/fake-optimizely';
import { LISTS, feedbackClient } from '../../helpers/feedback-harness';

// ClosedLoop filters on the time Optimizely filed its data (API notes §6.1), and a run's watermark is
// the server time getCurrentTime answered. The client takes any answer within 90 days of the worker's
// clock, so one answer days ahead (a server clock set wrong, then put right) stored a watermark in the
// future: every later run read from there, and what was filed between the real time of that run and
// the watermark was never read (an unsubscribe never reached the CRM). A watermark further ahead of
// the server's time now than the overlap is evidence of such an answer: the run reads back to the
// retention limit, as a first run does (the CRM and the applied keys absorb what is read again), and
// the mark is reset. (A jump smaller than the time between two runs cannot be told from time passing.)

const DAY = 86_400_000;
const START = Date.parse('2026-03-01T06:00:00.000Z');
const client = feedbackClient();
const recipient = (i: number) => `p${i}@example.com`;

const recordingCrm = (events: FeedbackEvent[]): CrmPort => ({
  exportSelection: async function* () {},
  applyFeedback: async (batch) => (events.push(...batch), batch.map((_, index) => ({ index, outcome: 'applied' as const }))),
  applyResponses: async () => [],
  campaignForMailing: async () => undefined,
  close: async () => undefined,
});

/** Unsubscribes filed at `filed[i]` (ms): visible once filed, and only to a window holding that time. */
function filingServer(optimizely: FakeOptimizely, filed: readonly number[], trueNow: () => number): void {
  const rows = filed.map((at, i): [number, Row] => [at, [recipient(i), '', formatClosedLoopTime(at), '0']]);
  (optimizely.closedLoop as unknown as Record<string, unknown>).getUnsubscribes = async (page: {
    since: number;
    until: number;
    startRow: number;
    numberOfRows: number;
  }) =>
    rows
      .filter(([at]) => at <= trueNow() && at >= page.since && at <= page.until)
      .map(([, row]) => row)
      .slice(page.startRow, page.startRow + page.numberOfRows);
}

async function storeWithSent(count: number): Promise<StateStore> {
  const store = await createStateStore({ kind: 'sqlite', file: ':memory:' });
  await store.runs.upsert(aRun({ client: 'acme', runId: 'r0' }));
  await store.ledger.record(
    Array.from({ length: count }, (_, i) =>
      LISTS.map((l) => aSent(recipient(i), 0, { runId: 'r0', listKey: l.key, entityId: `C${i}` })),
    ).flat(),
  );
  return store;
}

const draws = fc.record({
  runs: fc.integer({ min: 2, max: 5 }),
  /** Per run but the last: how far ahead of the real time getCurrentTime answered (0: on time). */
  ahead: fc.array(fc.oneof(fc.constant(0), fc.integer({ min: DAY + FEEDBACK_OVERLAP_MS + 1, max: 89 * DAY })), {
    minLength: 4,
    maxLength: 4,
  }),
  /** Filing times of the unsubscribes, from a day before the first run to the last. */
  filed: fc.array(fc.integer({ min: -DAY, max: 4 * DAY }), { minLength: 1, maxLength: 8 }),
});

describe('a ClosedLoop watermark ahead of the server time', () => {
  let dir: string;
  beforeAll(() => (dir = mkdtempSync(join(tmpdir(), 'cs-time-ahead-'))));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('feedback import: every unsubscribe filed by the last run (on time) reaches the CRM, whatever earlier runs were told', async () => {
    let folder = 0;
    await fc.assert(
      fc.asyncProperty(draws, async ({ runs, ahead, filed: offsets }) => {
        const last = START + (runs - 1) * DAY;
        const filed = offsets.map((o) => Math.min(START + o, last));
        const store = await storeWithSent(filed.length);
        try {
          const events: FeedbackEvent[] = [];
          let trueNow = START;
          const optimizely = createFakeOptimizely();
          filingServer(optimizely, filed, () => trueNow);
          for (let run = 0; run < runs; run += 1) {
            trueNow = START + run * DAY;
            optimizely.now = trueNow + (run === runs - 1 ? 0 : (ahead[run] as number));
            await importFeedback({
              client,
              optimizely,
              store,
              crm: recordingCrm(events),
              runDir: join(dir, `run-${++folder}`),
              runId: `feedback-${run}`,
              now: () => new Date(trueNow),
            });
          }
          const reached = new Set(events.map((e) => e.recipientId));
          filed.forEach((_, i) => expect(reached.has(recipient(i))).toBe(true));
          expect(await store.watermarks.get('acme', 'feedback')).toBe(new Date(last).toISOString());
        } finally {
          await store.close();
        }
      }),
      { numRuns: 30 },
    );
  });

  it('response ingestion: every unsubscribe filed by the last run (on time) reaches the CRM, whatever earlier runs were told', async () => {
    const env = new MockActivityEnvironment(undefined, { logger: new DefaultLogger('ERROR') });
    // Up to ten days ahead: each day a window of its own.
    const responseDraws = draws.map((d) => ({ ...d, ahead: d.ahead.map((a) => Math.min(a, 10 * DAY)) }));
    await fc.assert(
      fc.asyncProperty(responseDraws, async ({ runs, ahead, filed: offsets }) => {
        const last = START + (runs - 1) * DAY;
        const filed = offsets.map((o) => Math.min(START + o, last));
        const store = await storeWithSent(filed.length);
        try {
          const events: FeedbackEvent[] = [];
          let trueNow = START;
          const optimizely = createFakeOptimizely();
          filingServer(optimizely, filed, () => trueNow);
          const deps = {
            config: { clients: [client] } as unknown as CampaignSyncConfig,
            store,
            crm: recordingCrm(events),
            optimizely: () => optimizely,
            now: () => new Date(trueNow),
          } as unknown as ActivityDependencies;
          const activities = createResponseActivities(deps);
          for (let run = 0; run < runs; run += 1) {
            trueNow = START + run * DAY;
            optimizely.now = trueNow + (run === runs - 1 ? 0 : (ahead[run] as number));
            const runId = `responses-${run}`;
            const plan = (await env.run(activities.planResponseIngest, {
              client: 'acme',
              runId,
              workflowId: runId,
            } as PlanResponseIngestInput)) as PlanResponseIngestOutput;
            for (const window of plan.windows) await env.run(activities.ingestResponseWindow, { client: 'acme', runId, ...window });
          }
          const reached = new Set(events.map((e) => e.recipientId));
          filed.forEach((_, i) => expect(reached.has(recipient(i))).toBe(true));
          expect(await store.watermarks.get('acme', 'responses')).toBe(new Date(last).toISOString());
        } finally {
          await store.close();
        }
      }),
      { numRuns: 15 },
    );
  });
});
