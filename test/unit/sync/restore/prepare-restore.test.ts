import fc from 'fast-check';
import { createStateStore, type StateStore } from '../../../../src/store';
import type { SnapshotRow } from '../../../../src/store/types';
import { prepareRestore, type PrepareRestoreInput } from '../../../../src/sync/restore/prepare-restore';
import { storableText } from '../../../../src/validation/sendability';
import { aRun, recordTodaysExport } from '../../../helpers/store-builders';

const NOW = new Date('2026-11-30T03:00:00.000Z');
const LIST = { key: 'newsletter', listId: 100, restoreMaxAgeDays: 7, optInId: '11', mediaType: 'email' };

const row = (i: number): SnapshotRow => ({
  recipientId: `r${i}@example.test`,
  email: `r${i}@example.test`,
  optInId: '11',
  description: 'N',
  mediaType: 'email',
  entityType: 'contact',
  entityId: `C${i}`,
  attributes: {},
});

describe('prepareRestore', () => {
  let store: StateStore;
  beforeEach(async () => {
    store = await createStateStore({ kind: 'sqlite', file: ':memory:' });
  });
  afterEach(async () => {
    await store.close();
  });

  /** A last good run that started `daysAgo` before NOW with `count` recipients. */
  async function lastGood(count: number, daysAgo = 1) {
    const summary = await store.snapshots.write(
      { client: 'demo', listKey: 'newsletter', runId: 'good' },
      Array.from({ length: count }, (_, i) => row(i)),
    );
    const startedAt = new Date(NOW.getTime() - daysAgo * 86_400_000).toISOString();
    await store.runs.upsert(aRun({ client: 'demo', runId: 'good', status: 'completed', startedAt, snapshot: summary }));
    // Today's export holds everyone of it: only the ledgers leave anyone out.
    await recordTodaysExport(
      store,
      Array.from({ length: count }, (_, i) => row(i)),
      { runId: 'failed' },
    );
    return summary;
  }
  const input = (overrides: Partial<PrepareRestoreInput> = {}): PrepareRestoreInput => ({
    store,
    client: 'demo',
    list: LIST,
    runId: 'failed',
    restoreRunId: 'failed:restore',
    now: NOW,
    ...overrides,
  });
  const restoredIds = async (snapshotRef: string) => {
    const ids: string[] = [];
    for await (const batch of store.snapshots.batches(snapshotRef)) ids.push(...batch.rows.map((r) => String(r.recipientId)));
    return ids;
  };

  it("copies the last good list minus the suppression ledger and today's consent exclusions, ledgering who was left out", async () => {
    await lastGood(2500);
    await store.suppressions.record([
      {
        client: 'demo',
        kind: 'unsubscribe',
        recipientKey: 'r7@example.test',
        listId: 100,
        occurredAt: '2026-11-29T10:00:00Z',
        source: 'closed_loop',
      },
      {
        client: 'demo',
        kind: 'unsubscribe',
        recipientKey: 'r8@example.test',
        listId: 0,
        occurredAt: '2026-11-29T10:00:00Z',
        source: 'closed_loop',
      },
      {
        client: 'demo',
        kind: 'unsubscribe',
        recipientKey: 'r9@example.test',
        listId: 999,
        occurredAt: '2026-11-29T10:00:00Z',
        source: 'closed_loop',
      },
      {
        client: 'demo',
        kind: 'bounce',
        recipientKey: 'r2001@example.test',
        listId: 0,
        occurredAt: '2026-11-29T10:00:00Z',
        source: 'closed_loop',
      },
    ]);
    await store.ledger.record([
      {
        runId: 'failed',
        listKey: 'newsletter',
        outcome: 'excluded',
        rowNumber: 3,
        reason: 'consent_withdrawn',
        field: 'consent_withdrawn',
        recipientId: 'r11@example.test',
        entityType: 'contact',
        entityId: 'C11',
      },
      {
        runId: 'failed',
        listKey: 'newsletter',
        outcome: 'excluded',
        rowNumber: 4,
        reason: 'consent_withdrawn',
        field: 'consent_withdrawn',
        recipientId: 'new-address@example.test',
        entityType: 'contact',
        entityId: 'C12',
      },
      {
        runId: 'failed',
        listKey: 'newsletter',
        outcome: 'excluded',
        rowNumber: 5,
        reason: 'invalid_email',
        field: 'email',
        recipientId: 'r13@example.test',
        entityType: 'contact',
        entityId: 'C13',
      },
    ]);

    const plan = await prepareRestore(input());
    if (!plan.restorable) throw new Error(plan.reason);
    expect(plan).toMatchObject({ count: 2495, fromRunId: 'good', suppressed: { unsubscribed: 2, bounced: 1, consent_withdrawn: 2 } });
    const ids = await restoredIds(plan.snapshotRef);
    for (const gone of [7, 8, 11, 12, 2001]) expect(ids).not.toContain(`r${gone}@example.test`);
    for (const kept of [9, 13, 2499]) expect(ids).toContain(`r${kept}@example.test`);
    expect((await store.ledger.count('failed:restore', 'newsletter')).byReason).toEqual({
      unsubscribed: 2,
      bounced: 1,
      consent_withdrawn: 2,
    });
    // A retried attempt writes the same exclusions once.
    await prepareRestore(input());
    expect((await store.ledger.count('failed:restore', 'newsletter')).excluded).toBe(5);
  });

  it('matches a consent exclusion whose identity the ledger kept in its bounded form (ids longer than 320 characters)', async () => {
    const longId = `${'x'.repeat(400)}@example.test`;
    const longEntity = `E${'9'.repeat(500)}`;
    const summary = await store.snapshots.write({ client: 'demo', listKey: 'newsletter', runId: 'good' }, [
      { ...row(1), recipientId: longId },
      { ...row(2), entityId: longEntity },
      row(3),
    ]);
    const startedAt = new Date(NOW.getTime() - 86_400_000).toISOString();
    await store.runs.upsert(aRun({ client: 'demo', runId: 'good', status: 'completed', startedAt, snapshot: summary }));
    await recordTodaysExport(store, [{ ...row(1), recipientId: longId }, { ...row(2), entityId: longEntity }, row(3)], { runId: 'failed' });
    // What the export writes for today's excluded rows: identities through storableText.
    const excluded = (rowNumber: number, recipientId: string, entityId: string) => ({
      runId: 'failed',
      listKey: 'newsletter',
      outcome: 'excluded' as const,
      rowNumber,
      reason: 'consent_withdrawn',
      field: 'consent_withdrawn',
      recipientId: storableText(recipientId),
      entityType: 'contact',
      entityId: storableText(entityId),
    });
    await store.ledger.record([excluded(1, longId, 'C-other-1'), excluded(2, 'someone-else@example.test', longEntity)]);
    const plan = await prepareRestore(input());
    if (!plan.restorable) throw new Error(plan.reason);
    expect(plan.suppressed).toEqual({ consent_withdrawn: 2 });
    expect(await restoredIds(plan.snapshotRef)).toEqual(['r3@example.test']);
  });

  it('accounts for every row of the last good list exactly once: restored, or excluded with a reason', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 60 }),
        fc.uniqueArray(fc.integer({ min: 0, max: 80 })),
        fc.uniqueArray(fc.integer({ min: 0, max: 80 })),
        async (count, unsubscribed, withdrawn) => {
          const local = await createStateStore({ kind: 'sqlite', file: ':memory:' });
          try {
            const summary = await local.snapshots.write(
              { client: 'demo', listKey: 'newsletter', runId: 'good' },
              Array.from({ length: count }, (_, i) => row(i)),
            );
            await local.runs.upsert(
              aRun({ client: 'demo', runId: 'good', status: 'completed', startedAt: '2026-11-29T03:00:00.000Z', snapshot: summary }),
            );
            await recordTodaysExport(
              local,
              Array.from({ length: count }, (_, i) => row(i)),
              { runId: 'failed' },
            );
            await local.suppressions.record(
              unsubscribed.map((i) => ({
                client: 'demo',
                kind: 'unsubscribe' as const,
                recipientKey: `R${i}@Example.test`.toLowerCase(),
                listId: 0,
                occurredAt: '2026-11-29T10:00:00Z',
                source: 'closed_loop' as const,
              })),
            );
            await local.ledger.record(
              withdrawn.map((i, n) => ({
                runId: 'failed',
                listKey: 'newsletter',
                outcome: 'excluded' as const,
                rowNumber: n + 1,
                reason: 'consent_withdrawn',
                field: null,
                recipientId: '',
                entityType: 'contact',
                entityId: `C${i}`,
              })),
            );
            const plan = await prepareRestore({ ...input(), store: local });
            if (!plan.restorable) throw new Error(plan.reason);
            const suppressed = new Set([...unsubscribed, ...withdrawn].filter((i) => i < count));
            const ids: string[] = [];
            for await (const batch of local.snapshots.batches(plan.snapshotRef)) ids.push(...batch.rows.map((r) => String(r.recipientId)));
            expect(ids).toEqual(
              Array.from({ length: count }, (_, i) => i)
                .filter((i) => !suppressed.has(i))
                .map((i) => `r${i}@example.test`),
            );
            expect((await local.ledger.count('failed:restore')).excluded).toBe(suppressed.size);
          } finally {
            await local.close();
          }
        },
      ),
      { numRuns: 40 },
    );
  });

  it("leaves out, ledgered, everyone today's export does not hold (withdrawn only in a CRM whose selection drops them)", async () => {
    await lastGood(5);
    // Today's export: r1 left the selection without any exclusion; r3's id in other letters is still r3.
    await recordTodaysExport(store, [row(0), row(2), { ...row(3), recipientId: 'R3@Example.TEST' }, row(4)], { runId: 'failed' });
    const plan = await prepareRestore(input());
    if (!plan.restorable) throw new Error(plan.reason);
    expect(plan.suppressed).toEqual({ not_in_todays_export: 1 });
    expect(await restoredIds(plan.snapshotRef)).toEqual(['r0@example.test', 'r2@example.test', 'r3@example.test', 'r4@example.test']);
    const left = [];
    for await (const entry of store.ledger.stream('failed:restore')) left.push(entry);
    expect(left).toMatchObject([
      { outcome: 'excluded', reason: 'not_in_todays_export', field: 'recipient_id', entityId: 'C1', rowNumber: 2 },
    ]);
  });

  it('refuses when the failed run has no export that reads back: nobody is known to consent today', async () => {
    await lastGood(3);
    await store.runs.upsert(aRun({ client: 'demo', runId: 'failed', snapshot: null }));
    expect(await prepareRestore(input())).toMatchObject({
      restorable: false,
      reason: expect.stringMatching(/has no export that reads back/),
    });
    const summary = await store.snapshots.write({ client: 'demo', listKey: 'newsletter', runId: 'failed' }, [row(0)]);
    await store.runs.upsert(aRun({ client: 'demo', runId: 'failed', snapshot: { ...summary, count: 2 } }));
    expect(await prepareRestore(input())).toMatchObject({
      restorable: false,
      reason: expect.stringMatching(/has no export that reads back/),
    });
  });

  it('refuses without a last good run', async () => {
    expect(await prepareRestore(input())).toEqual({ restorable: false, reason: 'list newsletter has no last good run to restore' });
  });

  it('refuses a last good run older than restoreMaxAgeDays', async () => {
    await lastGood(10, 8);
    expect(await prepareRestore(input())).toEqual({
      restorable: false,
      reason: expect.stringMatching(/started .*8\.0 days ago, more than restoreMaxAgeDays \(7\)/),
    });
    expect(await prepareRestore(input({ list: { ...LIST, restoreMaxAgeDays: 9 } }))).toMatchObject({ restorable: true, count: 10 });
  });

  it('refuses a last good snapshot that is gone or no longer matches its recorded checksum', async () => {
    const summary = await lastGood(10);
    await store.runs.upsert(
      aRun({
        client: 'demo',
        runId: 'good',
        status: 'completed',
        startedAt: '2026-11-29T03:00:00.000Z',
        snapshot: { ...summary, checksum: 'f'.repeat(64) },
      }),
    );
    expect(await prepareRestore(input())).toMatchObject({
      restorable: false,
      reason: expect.stringMatching(/cannot be read back as recorded/),
    });
    await store.snapshots.delete(summary.snapshotRef);
    expect(await prepareRestore(input())).toMatchObject({
      restorable: false,
      reason: expect.stringMatching(/cannot be read back as recorded/),
    });
  });
});
