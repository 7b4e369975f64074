import fc from 'fast-check';
import { checkReadyBy } from '../../../src/alerts/ready-by-check';
import type { ClientConfig } from '../../../src/config/config-schema';
import { createStateStore } from '../../../src/store/create-state-store';
import type { StateStore } from '../../../src/store/state-store';
import type { RunStatus } from '../../../src/store/types';
import { aRun } from '../../helpers/store-builders';

const HOUR = 3_600_000;
const READY_BY = '06:00 Europe/Berlin';
// 06:00 Berlin on 2026-11-30 (winter time) is 05:00 UTC; the deadline before it 24 h earlier.
const DEADLINE = Date.parse('2026-11-30T05:00:00Z');
const PREVIOUS = DEADLINE - 24 * HOUR;
const client = {
  key: 'demo',
  lists: [
    { key: 'newsletter', enabled: true, readyBy: READY_BY },
    { key: 'offers', enabled: true, readyBy: READY_BY },
    { key: 'archive', enabled: false, readyBy: READY_BY },
    { key: 'other', enabled: true, readyBy: '07:00 UTC' },
  ],
} as unknown as ClientConfig;

describe('checkReadyBy', () => {
  let store: StateStore;
  beforeEach(async () => {
    store = await createStateStore({ kind: 'sqlite', file: ':memory:' });
  });
  afterEach(async () => store.close());

  const run = (runId: string, listKey: string, status: RunStatus, endedMs: number | null) =>
    store.runs.upsert(
      aRun({
        runId,
        client: 'demo',
        listKey,
        status,
        startedAt: new Date((endedMs ?? DEADLINE) - HOUR).toISOString(),
        endedAt: endedMs === null ? null : new Date(endedMs).toISOString(),
      }),
    );

  it('checks the enabled lists with this readyBy against the latest deadline: ready, late, paused', async () => {
    await run('r1', 'newsletter', 'completed', DEADLINE - 3 * HOUR);
    await run('r2', 'offers', 'completed', PREVIOUS - HOUR);
    await run('r3', 'offers', 'restored', DEADLINE - HOUR);
    const result = await checkReadyBy(store, client, { client: 'demo', readyBy: READY_BY, at: new Date(DEADLINE + 90_000).toISOString() });
    expect(result).toEqual({
      deadline: '2026-11-30T05:00:00.000Z',
      previousDeadline: '2026-11-29T05:00:00.000Z',
      day: '2026-11-30',
      lists: [
        { listKey: 'newsletter', state: 'ready', readyNow: true, deadline: '2026-11-30T05:00:00.000Z', readyRunId: 'r1' },
        { listKey: 'offers', state: 'late', readyNow: false, deadline: '2026-11-30T05:00:00.000Z' },
      ],
    });
    await store.controls.setList({
      client: 'demo',
      listKey: 'offers',
      paused: true,
      by: 'op',
      reason: 'migration',
      at: new Date(PREVIOUS).toISOString(),
    });
    const paused = await checkReadyBy(store, client, { client: 'demo', readyBy: READY_BY, at: new Date(DEADLINE).toISOString() });
    expect(paused.lists.map((l) => [l.listKey, l.state])).toEqual([
      ['newsletter', 'ready'],
      ['offers', 'paused'],
    ]);
  });

  it('a list is on time exactly when a run ended ready between the two deadlines; ready now when one ended since the previous', async () => {
    const outcome = fc.record({
      status: fc.constantFrom<RunStatus>('completed', 'failed', 'restored', 'rejected', 'cancelled', 'held', 'running'),
      endedMs: fc.option(fc.integer({ min: PREVIOUS - 30 * HOUR, max: DEADLINE + 20 * HOUR }), { nil: null }),
    });
    await fc.assert(
      fc.asyncProperty(fc.array(outcome, { maxLength: 6 }), fc.integer({ min: 0, max: 20 * HOUR }), async (runs, checkAfter) => {
        await store.close();
        store = await createStateStore({ kind: 'sqlite', file: ':memory:' });
        for (const [i, r] of runs.entries()) await run(`r${i}`, 'newsletter', r.status, r.endedMs);
        const at = DEADLINE + checkAfter;
        const result = await checkReadyBy(store, client, { client: 'demo', readyBy: READY_BY, at: new Date(at).toISOString() });
        const ready = runs.filter((r) => r.status === 'completed' && r.endedMs !== null);
        const onTime = ready.some((r) => (r.endedMs as number) > PREVIOUS && (r.endedMs as number) <= DEADLINE);
        const since = ready.some((r) => (r.endedMs as number) > PREVIOUS);
        expect(result.lists[0]).toMatchObject({ listKey: 'newsletter', state: onTime ? 'ready' : 'late', readyNow: since });
      }),
      { numRuns: 60 },
    );
  });
});
