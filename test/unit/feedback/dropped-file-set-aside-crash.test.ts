import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import type * as FsPromises from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { CHANGING_POLLS } from '../../../src/feedback/changing-files';
import { createStateStore, type StateStore } from '../../../src/store';
import type { FeedbackIntakeStore } from '../../../src/store/state-store';
import { aCrashPoint, crashAttempt, runUntilDone, type CrashAttempt, type CrashPoint } from '../../helpers/crash-points';
import { idempotentCrm, importDroppedFolder, recordListRuns } from '../../helpers/feedback-harness';

// A dropped file is applied and then set aside for review (an unsubscribe file none of whose ids we
// sent), quarantined unread (a header that is not ours), or applied and moved to processed/. Each of
// these is a chain of steps: the rows into the suppression ledger and the CRM, the checksum recorded,
// the reason file written, the file moved, the result returned. The import dies at any of them (a
// state store or CRM call, a file-system write or move; before it ran or after, its reply lost), and
// Temporal runs it again under the same run id until an attempt completes. Afterwards every file is
// in processed/ or quarantine/ exactly once (a quarantined one with its reason file), the CRM and the
// suppression ledger hold what a crash-free import writes, each event changed once, and the
// completing attempt names every file set aside with its reason (the summary, the incident and the
// metric are made from it). Before the intent was recorded, a death between recording the checksum
// `processed` and the move left the file in the folder "seen before": moved to processed/, no notice.
// Files set aside unread without a checksum of their own (a name that reads as feedback but is not
// named so, a symbolic link, a file that kept changing on too many polls) were not recorded at all:
// a death right after the move left them in quarantine/ with their reason, reported by no attempt.

/** The file-system writes of the import, routed through the dying attempt while one runs. */
const mockFsSteps: { through?: Record<string, (...args: unknown[]) => Promise<unknown>> } = {};
jest.mock('node:fs/promises', () => {
  const actual = jest.requireActual<Record<string, (...args: unknown[]) => Promise<unknown>>>('node:fs/promises');
  const step =
    (name: string) =>
    (...args: unknown[]) =>
      (mockFsSteps.through?.[name] ?? actual[name]!)(...args);
  return { ...actual, rename: step('rename'), writeFile: step('writeFile'), rm: step('rm') };
});
const realFs = jest.requireActual<typeof FsPromises>('node:fs/promises');

const NOW = Date.parse('2026-11-30T06:00:00.000Z');
const HOUR = 3600 * 1000;
const LEDGER_SINCE = new Date(NOW - 20 * 24 * HOUR).toISOString();
const HEADER = 'recipientId,mailingId,timestamp,recipientListId,category';

type Sort = 'good' | 'review' | 'unreadable' | 'misnamed' | 'link' | 'changing';
interface Dropped {
  name: string;
  sort: Sort;
  body: string;
}

/** What each sort set aside says in its reason file. */
const REASON_OF: Record<Exclude<Sort, 'good'>, string> = {
  review: 'applied, then set aside for review: none of the',
  unreadable: 'unexpected "listId"',
  misnamed: 'does not start with "unsubscribes"',
  link: 'not a regular file (symbolic link)',
  changing: 'the file changed while it was read on each of',
};

/** File `i` of its sort: ids we sent (`sent-*`, fakeLedger), ids we never sent, or a header with a foreign column. */
function aFile(sort: Sort, i: number, rows: number): Dropped {
  const kind = sort === 'good' && i % 2 === 1 ? 'bounces' : 'unsubscribes';
  const who = sort === 'good' ? 'sent' : 'other';
  const lines = Array.from(
    { length: rows },
    (_, r) => `${who}-${i}-${r}@x.test,4711,${new Date(NOW - (r + 1) * HOUR).toISOString()},${r % 2 === 0 ? 7 : 0},hardbounce`,
  );
  const header = sort === 'unreadable' ? HEADER.replace('recipientListId', 'listId') : HEADER;
  // A name that reads as unsubscribes without starting so: refused by its name, unread.
  const name = sort === 'misnamed' ? `${i}-unsubscribes-${sort}.csv` : `${kind}-${sort}-${i}.csv`;
  return { name, sort, body: [header, ...lines, ''].join('\n') };
}

const aFolder = fc
  .array(
    fc.tuple(
      fc.constantFrom<Sort>('good', 'review', 'review', 'unreadable', 'misnamed', 'link', 'changing'),
      fc.integer({ min: 1, max: 3 }),
    ),
    {
      minLength: 1,
      maxLength: 4,
    },
  )
  .map((picks) => picks.map(([sort, rows], i) => aFile(sort, i, rows)));

interface Side {
  dir: string;
  folder: string;
  store: StateStore;
  /** The store's intake; a `changing` file is touched (new modification time) each time its checksum is looked up. */
  intake: FeedbackIntakeStore;
  crm: ReturnType<typeof idempotentCrm>;
}

/** Drops the files: a link's target lies outside the folder; a changing file was found changing on all polls but this one, over two hours. */
function drop(dir: string, folder: string, files: readonly Dropped[]) {
  mkdirSync(dir, { recursive: true });
  for (const file of files) {
    const path = join(folder, file.name);
    if (file.sort !== 'link') writeFileSync(path, file.body);
    else {
      writeFileSync(join(dir, `${file.name}.target`), file.body);
      symlinkSync(join(dir, `${file.name}.target`), path);
    }
    if (file.sort !== 'changing') continue;
    const note = { name: file.name, firstSeen: new Date(NOW - 2 * HOUR).toISOString(), lastSeen: new Date(NOW - HOUR).toISOString() };
    mkdirSync(join(folder, 'changing'), { recursive: true });
    const hash = createHash('sha256').update(file.name).digest('hex').slice(0, 32);
    writeFileSync(join(folder, 'changing', `${hash}.json`), JSON.stringify({ ...note, polls: CHANGING_POLLS - 1 }));
  }
}

async function aSide(dir: string, files: readonly Dropped[]): Promise<Side> {
  const folder = join(dir, 'drop');
  mkdirSync(folder, { recursive: true });
  drop(dir, folder, files);
  const store = await createStateStore({ kind: 'sqlite', file: ':memory:' });
  await recordListRuns(store, LEDGER_SINCE);
  // A job that never finishes the changing files: it rewrites them (the same bytes) while they are read.
  let touches = 0;
  const touchChanging = () => {
    for (const file of files)
      if (file.sort === 'changing' && existsSync(join(folder, file.name)))
        utimesSync(join(folder, file.name), new Date(NOW), new Date(NOW + ++touches * 1000));
  };
  const intake: FeedbackIntakeStore = {
    ...store.feedbackIntake,
    file: (client, checksum) => {
      touchChanging();
      return store.feedbackIntake.file(client, checksum);
    },
  };
  return { dir, folder, store, intake, crm: idempotentCrm() };
}

/** One attempt of the night's import under `runId`, every outside call of it (store, CRM, file writes) able to kill it. */
async function attempt(side: Side, runId: string, life: CrashAttempt) {
  mockFsSteps.through = life.wrap({ rename: realFs.rename, writeFile: realFs.writeFile, rm: realFs.rm }) as typeof mockFsSteps.through;
  try {
    return await importDroppedFolder({
      folder: side.folder,
      store: life.wrap(side.store),
      intake: life.wrap(side.intake),
      crm: life.wrap(side.crm),
      runDir: join(side.dir, 'runs', runId),
      runId,
      nowMs: NOW,
      retentionRunDays: 90,
    });
  } finally {
    mockFsSteps.through = undefined;
  }
}

const inside = (folder: string, sub: string) => (existsSync(join(folder, sub)) ? readdirSync(join(folder, sub)).sort() : []);

/** A report's set-aside files by name; how many polls found a changing file changing depends on where the attempts died. */
const noticesOf = (quarantined: ReadonlyArray<{ name: string; reason: string }>) =>
  quarantined
    .map((q) => ({ name: q.name, reason: q.reason.replace(/on each of \d+ polls/, 'on each of N polls') }))
    .sort((a, b) => a.name.localeCompare(b.name));

async function suppressionsOf(store: StateStore): Promise<string[]> {
  const keys = [];
  for (const kind of ['unsubscribe', 'bounce'] as const)
    keys.push(...(await store.suppressions.recipientKeys('acme', { kind, limit: 1000 })).map((k) => `${kind}|${k}`));
  return keys.sort();
}

async function checkAfterCrashes(files: readonly Dropped[], crashes: readonly CrashPoint[]) {
  const dir = mkdtempSync(join(tmpdir(), 'cs-set-aside-crash-'));
  const crashed = await aSide(join(dir, 'crashed'), files);
  const reference = await aSide(join(dir, 'reference'), files);
  try {
    const { result } = await runUntilDone(crashes, (life) => attempt(crashed, 'day-1', life));
    const expected = await attempt(reference, 'day-1', { wrap: (x) => x } as CrashAttempt);
    const setAside = files.filter((f) => f.sort !== 'good');

    // Nothing left in the folder; each file exactly once, where it belongs, a quarantined one with its reason.
    expect(readdirSync(crashed.folder).filter((n) => n.endsWith('.csv'))).toEqual([]);
    const kept = [...inside(crashed.folder, 'processed'), ...inside(crashed.folder, 'quarantine')].filter((n) => n.endsWith('.csv'));
    expect(kept.sort()).toEqual(files.map((f) => f.name).sort());
    expect(inside(crashed.folder, 'processed')).toEqual(
      files
        .filter((f) => f.sort === 'good')
        .map((f) => f.name)
        .sort(),
    );
    for (const file of setAside) {
      const reason = readFileSync(join(crashed.folder, 'quarantine', `${file.name}.reason.txt`), 'utf8');
      expect(reason).toContain(REASON_OF[file.sort as Exclude<Sort, 'good'>]);
      expect(readFileSync(join(crashed.folder, 'quarantine', file.name), 'utf8')).toBe(file.body);
    }
    // The notice: the completing attempt names each set-aside file once, with its reason.
    expect(result.dropped.quarantined.map((q) => q.name).sort()).toEqual(setAside.map((f) => f.name).sort());
    expect(noticesOf(result.dropped.quarantined)).toEqual(noticesOf(expected.dropped.quarantined));
    // Rows applied once: the CRM and the suppression ledger hold what the crash-free import wrote.
    expect([...crashed.crm.changes.keys()].sort()).toEqual([...reference.crm.changes.keys()].sort());
    expect(await suppressionsOf(crashed.store)).toEqual(await suppressionsOf(reference.store));
    // The next night (the changing files' job stopped): nothing new, and nothing reported again.
    const again = files.filter((f) => f.sort !== 'changing');
    drop(join(dir, 'crashed', 'again'), crashed.folder, again);
    const next = await attempt(crashed, 'day-2', { wrap: (x) => x } as CrashAttempt);
    expect(next.dropped.quarantined.map((q) => q.name).sort()).toEqual(
      again
        .filter((f) => ['unreadable', 'misnamed', 'link'].includes(f.sort))
        .map((f) => f.name)
        .sort(),
    );
    expect(next.dropped.duplicates.sort()).toEqual(
      again
        .filter((f) => f.sort === 'good' || f.sort === 'review')
        .map((f) => f.name)
        .sort(),
    );
    expect(next.unsubscribes.rows + next.bounces.rows).toBe(0);
  } finally {
    await Promise.all([crashed.store.close(), reference.store.close()]);
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Every outside call a crash-free import of `files` makes (counted on a throwaway copy), and one past it; the import dies at each in turn. */
async function atEveryStep(files: readonly Dropped[], steps: readonly string[]) {
  const dir = mkdtempSync(join(tmpdir(), 'cs-set-aside-count-'));
  const counted = await aSide(dir, files);
  const life = crashAttempt();
  await attempt(counted, 'day-1', life);
  await counted.store.close();
  rmSync(dir, { recursive: true, force: true });
  expect(life.log).toEqual(expect.arrayContaining([...steps]));
  for (let at = 1; at <= life.calls + 1; at += 1)
    for (const replyLost of [false, true]) await checkAfterCrashes(files, [{ at, replyLost }]);
}

describe('a dropped file set aside for review, the import dying at any step', () => {
  it('every step of one review file: set aside once with its reason, its rows applied once, the notice reported', async () => {
    await atEveryStep([aFile('review', 0, 2)], ['recordFile', 'writeFile', 'rename']);
  });

  it('every step of files set aside unread without a checksum (misnamed, a link, changing too long): each reported once', async () => {
    const files = [aFile('misnamed', 0, 1), aFile('link', 1, 1), aFile('changing', 2, 2)];
    await atEveryStep(files, ['writeFile', 'rename']);
  });

  it('any mix of files, any crash points, retried until done', async () => {
    await fc.assert(
      fc.asyncProperty(aFolder, fc.array(aCrashPoint(60), { minLength: 1, maxLength: 3 }), async (files, crashes) => {
        await checkAfterCrashes(files, crashes);
      }),
      { numRuns: 60 },
    );
  });
});
