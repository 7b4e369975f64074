import type { FeedbackFileRecord } from '../../src/store/types';
import { useStore, type StoreHarness } from './store-harness';

const aFile = (over: Partial<FeedbackFileRecord> = {}): FeedbackFileRecord => ({
  client: 'acme',
  checksum: 'a'.repeat(64),
  name: 'unsubscribes-1.csv',
  size: 120,
  runId: 'daily:acme:r1',
  status: 'processed',
  reason: '',
  recordedAt: '2026-11-28T06:00:00.000Z',
  ...over,
});

export function describeFeedbackIntakeContract(harness: StoreHarness): void {
  describeSetAsideOrder(harness);
  describe('feedback intake store', () => {
    const subject = useStore(harness);

    it('finds a dropped file by client and checksum only', async () => {
      const record = aFile({ checksum: 'b'.repeat(64) });
      await subject.store.feedbackIntake.recordFile(record);
      expect(await subject.store.feedbackIntake.file('acme', record.checksum)).toEqual(record);
      expect(await subject.store.feedbackIntake.file('other', record.checksum)).toBeUndefined();
      expect(await subject.store.feedbackIntake.file('acme', 'c'.repeat(64))).toBeUndefined();
    });

    it('lets a quarantined file be processed later but never downgrades a processed one', async () => {
      const checksum = 'd'.repeat(64);
      await subject.store.feedbackIntake.recordFile(aFile({ checksum, status: 'quarantined', reason: 'header is not …' }));
      await subject.store.feedbackIntake.recordFile(aFile({ checksum, runId: 'daily:acme:r2' }));
      await subject.store.feedbackIntake.recordFile(aFile({ checksum, runId: 'daily:acme:r3', status: 'quarantined', reason: 'late' }));
      expect(await subject.store.feedbackIntake.file('acme', checksum)).toMatchObject({
        status: 'processed',
        runId: 'daily:acme:r2',
        reason: '',
      });
    });

    it('names the files a run set aside, and any still to be set aside for review', async () => {
      const intake = subject.store.feedbackIntake;
      const file = (c: string, over: Partial<FeedbackFileRecord>) => intake.recordFile(aFile({ checksum: c.repeat(64), ...over }));
      await file('1', { name: 'b.csv', status: 'quarantined', reason: 'header', runId: 'r1' });
      await file('2', { name: 'a.csv', status: 'processed', reason: 'applied, then set aside for review: …', runId: 'r1' });
      await file('3', { name: 'c.csv', status: 'processed', reason: '', runId: 'r1' });
      await file('4', { name: 'd.csv', status: 'review', reason: 'applied, then …', runId: 'r0' });
      await file('5', { name: 'e.csv', status: 'quarantined', reason: 'header', runId: 'r0' });
      await file('6', { name: 'f.csv', status: 'review', reason: 'applied, then …', runId: 'r1', client: 'other' });
      expect((await intake.setAsideFiles('acme', 'r1')).map((f) => `${f.name}:${f.status}`)).toEqual([
        'a.csv:processed',
        'b.csv:quarantined',
        'd.csv:review',
      ]);
      // Done: recorded processed, a review file is named by its own run only.
      await file('4', { name: 'd.csv', status: 'processed', reason: 'applied, then …', runId: 'r0' });
      expect((await intake.setAsideFiles('acme', 'r1')).map((f) => f.name)).toEqual(['a.csv', 'b.csv']);
      expect((await intake.setAsideFiles('acme', 'r0')).map((f) => f.name)).toEqual(['d.csv', 'e.csv']);
    });

    it('records applied event keys once per client and answers which are known', async () => {
      const intake = subject.store.feedbackIntake;
      expect(await intake.recordAppliedKeys('acme', ['k1', 'k2', 'k2'], 'run-1')).toBe(2);
      expect(await intake.recordAppliedKeys('acme', ['k2', 'k3'], 'run-2')).toBe(1);
      expect(await intake.appliedKeys('acme', ['k1', 'k3', 'k4'])).toEqual(new Set(['k1', 'k3']));
      expect(await intake.appliedKeys('other', ['k1'])).toEqual(new Set());
      expect(await intake.appliedKeys('acme', [])).toEqual(new Set());
    });

    it('forgets event keys recorded before the retention cut', async () => {
      const intake = subject.store.feedbackIntake;
      await intake.recordAppliedKeys('old', ['x1'], 'run-1');
      expect(await intake.deleteKeysBefore(new Date(Date.now() + 60_000).toISOString())).toBeGreaterThanOrEqual(1);
      expect(await intake.appliedKeys('old', ['x1'])).toEqual(new Set());
    });
  });
}

/**
 * `setAsideFiles` names files byte by byte (UTF-8, i.e. by code point) in both engines: PostgreSQL
 * sorted them by the database's collation, so a report listed `a.csv` before `B.csv` on a database
 * created with a language's locale and after it on SQLite (and on a `C` database).
 */
function describeSetAsideOrder(harness: StoreHarness): void {
  describe('feedback intake store, the order of set-aside names', () => {
    const subject = useStore({ freshConfig: () => (harness.languageOrderedConfig ?? harness.freshConfig)() });

    it('is by bytes, whatever the database collation', async () => {
      const intake = subject.store.feedbackIntake;
      const names = [
        'b.csv',
        'B.csv',
        'a.csv',
        '_a.csv',
        'a-b.csv',
        'ab.csv',
        'é.csv',
        'z.csv',
        'Z.csv',
        '10.csv',
        '9.csv',
        '\u{1F600}.csv',
        '\uFFFD.csv',
      ];
      for (const [i, name] of names.entries())
        await intake.recordFile(
          aFile({ checksum: i.toString(16).padStart(64, '0'), name, status: 'quarantined', reason: 'r', runId: 'order' }),
        );
      const byBytes = [...names].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
      expect((await intake.setAsideFiles('acme', 'order')).map((f) => f.name)).toEqual(byBytes);
    });
  });
}
