import fc from 'fast-check';
import { driftFromCounts, driftText, lastLeftCount, listDrift } from '../../../src/sync/drift';
import { flattenCounts } from '../../../activities/bookkeeping';
import type { RunRecord, RunStatus } from '../../../src/store/types';

const run = (runId: string, status: RunStatus, counts: Record<string, number> = {}): RunRecord => ({
  runId,
  kind: 'list',
  client: 'demo',
  listKey: 'newsletter',
  status,
  startedAt: '2026-11-29T02:00:00Z',
  endedAt: null,
  counts,
  snapshot: null,
});

describe('drift before the clear', () => {
  it('splits any difference into added or removed, never both, and adds up to the live count', () => {
    fc.assert(
      fc.property(fc.nat(10_000_000), fc.option(fc.nat(10_000_000), { nil: undefined }), (live, expected) => {
        const drift = listDrift(live, expected);
        expect(drift.liveCount).toBe(live);
        expect(Math.min(drift.added, drift.removed)).toBe(0);
        if (expected === undefined) expect(drift).toEqual({ liveCount: live, added: 0, removed: 0 });
        else expect(expected + drift.added - drift.removed).toBe(live);
      }),
    );
  });

  it('takes the count the last run that changed the list left, looking past runs that did not touch it', () => {
    const runs = [
      run('now', 'running'),
      run('r3', 'rejected'),
      run('r2', 'cancelled'),
      run('r1', 'completed', { verifiedCount: 1200 }),
      run('r0', 'completed', { verifiedCount: 900 }),
    ];
    expect(lastLeftCount(runs, 'now')).toBe(1200);
    expect(lastLeftCount([run('r2', 'restored', { verifiedCount: 800 }), ...runs.slice(3)], 'now')).toBe(800);
    expect(lastLeftCount([run('r2', 'failed'), ...runs.slice(3)], 'now')).toBeUndefined();
    expect(lastLeftCount([], 'now')).toBeUndefined();
  });

  it('reads back from the run counts what the summary recorded and says it in one line', () => {
    const counts = flattenCounts({ verifiedCount: 1001, drift: listDrift(1004, 1000) });
    expect(driftFromCounts(counts)).toEqual({ liveCount: 1004, expectedCount: 1000, added: 4, removed: 0 });
    expect(driftText(driftFromCounts(counts))).toBe(
      'DRIFT: live list 1004 before the clear, the last run left 1000 (net 4 added by someone else; see campaign-sync plan)',
    );
    expect(driftText(listDrift(990, 1000))).toContain('10 removed at Optimizely');
    expect(driftText(listDrift(1000, 1000))).toBe('no drift: live list 1000 before the clear, as the last run left it');
    expect(driftText(listDrift(5, undefined))).toContain('no earlier verified count');
    expect(driftText(driftFromCounts({ verifiedCount: 3 }))).toBeUndefined();
  });
});
