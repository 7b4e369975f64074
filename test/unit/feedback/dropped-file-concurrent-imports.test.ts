import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { REVIEW_LEASE_MS } from '../../../src/feedback/review-lease';
import { createStateStore, type StateStore } from '../../../src/store';
import type { FeedbackIntakeStore } from '../../../src/store/state-store';
import type { FeedbackFileRecord } from '../../../src/store/types';
import { aCrashPoint, runUntilDone, type CrashAttempt } from '../../helpers/crash-points';
import { idempotentCrm, importDroppedFolder, recordListRuns } from '../../helpers/feedback-harness';

// Two imports of one client's folder at once: the daily run's and a list sync's refreshing feedback.
// The list sync's import ran `reportSetAsideBefore`, which takes over the `review` records of any run
// (for a run that died before it recorded the move done): it also took those of the daily import that
// was alive, between recording `review` and recording `processed`, reported them and recorded them
// processed under its own run; the daily import, dying then, never reported them again (its retry
// asks for its own run's records), so the notice was only in the list sync's report. Now another
// run's `review` record is taken over only once its lease (REVIEW_LEASE_MS) has run out, and an import
// reports a file only when it moved it: each file set aside is named once, by the import that moved it.

const NOW = Date.parse('2026-11-30T06:00:00.000Z');
const HOUR = 3600 * 1000;
const LEDGER_SINCE = new Date(NOW - 20 * 24 * HOUR).toISOString();
const HEADER = 'recipientId,mailingId,timestamp,recipientListId,category';

type Sort = 'good' | 'review' | 'unreadable' | 'misnamed';
interface Dropped {
  name: string;
  sort: Sort;
  body: string;
}

function aFile(sort: Sort, i: number): Dropped {
  const who = sort === 'good' ? 'sent' : 'other';
  const row = `${who}-${i}@x.test,4711,${new Date(NOW - HOUR).toISOString()},7,hardbounce`;
  const header = sort === 'unreadable' ? HEADER.replace('recipientListId', 'listId') : HEADER;
  const name = sort === 'misnamed' ? `${i}-unsubscribes-${sort}.csv` : `unsubscribes-${sort}-${i}.csv`;
  return { name, sort, body: [header, row, ''].join('\n') };
}

const aFolder = fc
  .array(fc.constantFrom<Sort>('good', 'review', 'review', 'unreadable', 'misnamed'), { minLength: 1, maxLength: 4 })
  .map((sorts) => sorts.map((sort, i) => aFile(sort, i)));

/**
 * The outside call at which the daily import of one review file records it done (after the move):
 * store and CRM reads, the applied keys and the suppression ledger, `review`, then this one.
 */
const DAILY_DONE_RECORD_CALL = 11;

/**
 * The outside call of the daily import of one misnamed file just after it recorded the set-aside done
 * (store reads, `setAsideFiles`, the intent, done, then this one: a watermark).
 */
const DAILY_CALL_AFTER_UNREAD_DONE = 7;

/** A crash point past every call: the attempt lives. */
const NO_CRASH = { at: 10_000, replyLost: false };

interface Shared {
  dir: string;
  folder: string;
  store: StateStore;
  crm: ReturnType<typeof idempotentCrm>;
}

function importOf(shared: Shared, runId: string, intake: FeedbackIntakeStore, life?: CrashAttempt) {
  const wrap = <T extends object>(x: T) => (life ? life.wrap(x) : x);
  return importDroppedFolder({
    folder: shared.folder,
    store: wrap(shared.store),
    intake: wrap(intake),
    crm: wrap(shared.crm),
    runDir: join(shared.dir, 'runs', runId),
    runId,
    nowMs: NOW,
    retentionRunDays: 90,
  });
}

/**
 * The daily import (run `daily`) is paused at its `pauseAt`-th record of a file, before or after the
 * store ran it, while the list sync's import (run `list`) runs whole; the daily one may then die at
 * `crash` and is retried until done.
 */
async function checkTwoImports(
  files: readonly Dropped[],
  pauseAt: number,
  pauseAfter: boolean,
  crash: { at: number; replyLost: boolean },
): Promise<{ died: number; namedByDaily: string[]; namedByList: string[] }> {
  const dir = mkdtempSync(join(tmpdir(), 'cs-concurrent-imports-'));
  const folder = join(dir, 'drop');
  mkdirSync(folder, { recursive: true });
  for (const file of files) writeFileSync(join(folder, file.name), file.body);
  const store = await createStateStore({ kind: 'sqlite', file: ':memory:' });
  await recordListRuns(store, LEDGER_SINCE);
  const shared: Shared = { dir, folder, store, crm: idempotentCrm() };
  const intake = store.feedbackIntake;
  let records = 0;
  let list: Awaited<ReturnType<typeof importOf>> | undefined;
  const runList = async () => {
    list ??= await importOf(shared, 'list', intake);
  };
  const pausing: FeedbackIntakeStore = {
    ...intake,
    recordFile: async (record: FeedbackFileRecord) => {
      const pause = list === undefined && ++records === pauseAt;
      if (pause && !pauseAfter) await runList();
      await intake.recordFile(record);
      if (pause && pauseAfter) await runList();
    },
  };
  try {
    const { result: daily, died } = await runUntilDone([crash], (life) => importOf(shared, 'daily', pausing, life));
    await runList();
    const named = [...daily.dropped.quarantined, ...list!.dropped.quarantined].map((q) => q.name);
    const setAside = files.filter((f) => f.sort !== 'good').map((f) => f.name);
    // Each file set aside is named once, by one of the two imports, and sits in quarantine/ once. Known
    // gap: a file set aside under the run's own key (misnamed, or unreadable) that the list import moved
    // first, the daily import dying between its failed move and recording its intent done, is named by
    // both (its retry cannot tell who moved it): twice, never lost. Unreadable files were recorded under
    // their checksum, which the two imports overwrote: named twice, or by neither (seed 738784023).
    const setAsideUnderRunKey = new Set(['misnamed', 'unreadable']);
    for (const file of files.filter((f) => f.sort !== 'good')) {
      const times = named.filter((name) => name === file.name).length;
      expect(times).toBeGreaterThanOrEqual(1);
      if (!setAsideUnderRunKey.has(file.sort) || died === 0) expect(times).toBe(1);
    }
    expect(named.filter((name) => !setAside.includes(name))).toEqual([]);
    const quarantined = existsSync(join(folder, 'quarantine')) ? readdirSync(join(folder, 'quarantine')) : [];
    expect(quarantined.filter((n) => n.endsWith('.csv')).sort()).toEqual([...setAside].sort());
    expect(readdirSync(folder).filter((n) => n.endsWith('.csv'))).toEqual([]);
    // A review file's record ends processed under the run that named it.
    for (const file of files.filter((f) => f.sort === 'review')) {
      const byDaily = daily.dropped.quarantined.some((q) => q.name === file.name);
      const records = await store.feedbackIntake.setAsideFiles('acme', byDaily ? 'daily' : 'list');
      expect(records.filter((r) => r.name === file.name).map((r) => r.status)).toEqual(['processed']);
    }
    return { died, namedByDaily: daily.dropped.quarantined.map((q) => q.name), namedByList: list!.dropped.quarantined.map((q) => q.name) };
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('two imports of one folder at once', () => {
  it('name each file set aside once, by the import that moved it, whatever the interleaving and wherever the first dies', async () => {
    await fc.assert(
      fc.asyncProperty(
        // Paused at any of its records of a file (a file is recorded at most twice); dying at any call, or not at all.
        aFolder.chain((files) => fc.tuple(fc.constant(files), fc.integer({ min: 1, max: 2 * files.length }))),
        fc.boolean(),
        fc.option(aCrashPoint(40), { nil: NO_CRASH }),
        async ([files, pauseAt], after, crash) => {
          await checkTwoImports(files, pauseAt, after, crash);
        },
      ),
      { numRuns: 100 },
    );
  });

  it('the daily import paused after moving a review file, before recording it done: named by it alone', async () => {
    const file = aFile('review', 0);
    expect(await checkTwoImports([file], 2, false, NO_CRASH)).toEqual({ died: 0, namedByDaily: [file.name], namedByList: [] });
    // ...and dying then, at that record (its 11th outside call), sent or not: its retry names it.
    for (const replyLost of [false, true])
      expect(await checkTwoImports([file], 2, false, { at: DAILY_DONE_RECORD_CALL, replyLost })).toEqual({
        died: 1,
        namedByDaily: [file.name],
        namedByList: [],
      });
  });

  it('a misnamed file the list sync moved first: the daily import, dying after it recorded the set-aside done, does not name it again', async () => {
    const file = aFile('misnamed', 0);
    for (const replyLost of [false, true])
      expect(await checkTwoImports([file], 1, false, { at: DAILY_CALL_AFTER_UNREAD_DONE, replyLost })).toEqual({
        died: 1,
        namedByDaily: [],
        namedByList: [file.name],
      });
  });

  it("takes over another run's review record only once its lease ran out", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cs-review-lease-'));
    const store = await createStateStore({ kind: 'sqlite', file: ':memory:' });
    try {
      const shared: Shared = { dir, folder: join(dir, 'drop'), store, crm: idempotentCrm() };
      const record = (checksum: string, name: string, age: number) =>
        store.feedbackIntake.recordFile({
          client: 'acme',
          checksum: checksum.repeat(64),
          name,
          size: 1,
          runId: 'dead-run',
          status: 'review',
          reason: 'applied, then set aside for review: …',
          recordedAt: new Date(NOW - age).toISOString(),
        });
      await record('a', 'unsubscribes-fresh.csv', REVIEW_LEASE_MS - 60_000);
      await record('b', 'unsubscribes-lapsed.csv', REVIEW_LEASE_MS + 60_000);
      const result = await importOf(shared, 'later-run', store.feedbackIntake);
      expect(result.dropped.quarantined.map((q) => q.name)).toEqual(['unsubscribes-lapsed.csv']);
      expect((await store.feedbackIntake.file('acme', 'a'.repeat(64)))?.status).toBe('review');
      expect(await store.feedbackIntake.file('acme', 'b'.repeat(64))).toMatchObject({ status: 'processed', runId: 'later-run' });
    } finally {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
