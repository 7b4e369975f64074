import { MockActivityEnvironment } from '@temporalio/testing';
import { DefaultLogger } from '@temporalio/worker';
import fc from 'fast-check';
import type { ActivityDependencies } from '../../../activities/deps';
import type { ExportListOutput, GuardVerdict } from '../../../activities/export-types';
import { createExportActivities, LIVE_COUNT_ATTEMPTS } from '../../../activities/export';
import { parseConfig } from '../../../src/config/load-config';
import { demoConfig } from '../../../src/demo/demo-config';
import { createStateStore, type StateStore } from '../../../src/store';
import { aRun } from '../../helpers/store-builders';

const ref = { client: 'demo', listKey: 'newsletter', runId: 'run-today' };
const exportOf = (count: number): ExportListOutput => ({ snapshotRef: 'snap', count, checksum: 'c', rowsRead: count, excluded: {} });

// evaluateGuard on a list's first run asks Optimizely for the live count itself; what it answers
// (or fails to) is hostile input: only a plausible count is a baseline.
describe('evaluateGuard without a last good run', () => {
  const logger = new DefaultLogger('WARN');
  const env = new MockActivityEnvironment(undefined, { logger });
  const lastAttempt = new MockActivityEnvironment({ attempt: LIVE_COUNT_ATTEMPTS }, { logger });
  let store: StateStore;
  let counted: number;

  beforeEach(async () => {
    store = await createStateStore({ kind: 'sqlite', file: ':memory:' });
    await store.runs.upsert(aRun({ runId: ref.runId, client: 'demo', listKey: 'newsletter' }));
    counted = 0;
  });
  afterEach(async () => {
    await store.close();
  });

  const evaluate = (
    getCount: () => Promise<unknown>,
    exported: ExportListOutput,
    removal?: { remove: number; liveCount: number },
    on = env,
  ) => {
    const deps = {
      config: parseConfig(demoConfig(), 'test', '/tmp'),
      store,
      optimizely: () => ({ recipient: { getCount: () => ((counted += 1), getCount()) } }),
    } as unknown as ActivityDependencies;
    const input = { ...ref, exported, ...(removal ? { removal } : {}) };
    return on.run(createExportActivities(deps).evaluateGuard, input) as Promise<GuardVerdict>;
  };

  it('holds a tiny export against the live list and names that baseline', async () => {
    const verdict = await evaluate(async () => 50_000, exportOf(12));
    expect(verdict).toMatchObject({ hold: true, baseline: { kind: 'live-list', count: 50_000 } });
    expect(verdict.reasons).toEqual([expect.stringContaining('against the live list before the clear (no last good run) (50000 → 12;')]);
    expect(counted).toBe(1);
  });

  it('lets the first run of an empty list through', async () => {
    expect(await evaluate(async () => 0, exportOf(12))).toMatchObject({ hold: false, reasons: [] });
  });

  it('holds, never passes, whatever Optimizely answers that is not a count', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom<unknown>(-1, 1.5, Number.NaN, 1e12, '50000', null, undefined), async (answer) => {
        const verdict = await evaluate(async () => answer, exportOf(12));
        expect(verdict.hold).toBe(true);
        expect(verdict.baseline?.kind).toBe('unusable');
      }),
    );
  });

  it('fails the attempt when the count fails (the activity is retried), and holds on the last attempt', async () => {
    const fails = async () => {
      throw new Error('connection reset');
    };
    await expect(evaluate(fails, exportOf(12))).rejects.toThrow('connection reset');
    const verdict = await evaluate(fails, exportOf(12), undefined, lastAttempt);
    expect(verdict).toMatchObject({ hold: true, baseline: { kind: 'unusable' } });
    expect(verdict.reasons).toEqual([expect.stringContaining(`it could not be read: connection reset (attempt ${LIVE_COUNT_ATTEMPTS})`)]);
  });

  it('uses the last good run when there is one and does not count the live list', async () => {
    await store.runs.upsert(
      aRun({
        runId: 'run-yesterday',
        client: 'demo',
        listKey: 'newsletter',
        status: 'completed',
        startedAt: '2026-11-29T06:00:00.000Z',
        endedAt: '2026-11-29T06:10:00.000Z',
        snapshot: { snapshotRef: 'snap-y', count: 13, checksum: 'y' },
      }),
    );
    const verdict = await evaluate(async () => 50_000, exportOf(12));
    expect(verdict).toMatchObject({ hold: false, baseline: { kind: 'last-good-run', count: 13 } });
    expect(counted).toBe(0);
  });

  it('takes the reconcile’s read of the live list as the baseline without another count', async () => {
    const verdict = await evaluate(async () => 0, exportOf(12), { remove: 4988, liveCount: 5000 });
    expect(verdict.baseline).toEqual({ kind: 'live-list', count: 5000 });
    expect(verdict.hold).toBe(true);
    expect(counted).toBe(0);
  });
});
