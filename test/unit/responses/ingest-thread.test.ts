import Database from 'better-sqlite3';
import fc from 'fast-check';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ClientConfig } from '../../../src/config/config-schema';
import { parseConfig } from '../../../src/config/load-config';
import type { CrmConfig } from '../../../src/crm/crm-config';
import { openCrm } from '../../../src/crm/open-crm';
import { demoConfig } from '../../../src/demo/demo-config';
import { generateDemoCrm } from '../../../src/demo/generate-demo-crm';
import type { Row } from '../../../src/optimizely/client/optimizely-port';
import { ingestThreadData, ResponseIngestThread } from '../../../src/responses/ingest-thread/response-ingest-thread';
import { emptyCounts, OUTCOMES } from '../../../src/responses/response-counts';
import { RESPONSE_GETTERS } from '../../../src/responses/response-rows';
import { localWindowIngester, type PagePosition, type WindowCheckpoint, type WindowIngester } from '../../../src/responses/window-ingester';
import { createStateStore, type StateStore } from '../../../src/store';
import { aRun, aSent } from '../../helpers/store-builders';

// The response ingestion thread runs the same page code as ingestion on one thread, against
// connections of its own: for any pages, hostile rows included, it must answer the same checkpoints
// and leave the CRM and the state store exactly as one-thread ingestion leaves copies of them.

const CLIENT = {
  key: 'demo',
  lists: [{ key: 'newsletter', listId: 100, optInId: '11', mediaType: 'email' }],
} as unknown as ClientConfig;
const UNTIL = Date.parse('2026-06-01T00:00:00Z');

interface Pair {
  dir: string;
  crm: CrmConfig;
  store: { kind: 'sqlite'; file: string };
}

/** A demo CRM and a state store whose ledger has some of its contacts as sent, in a new folder. */
async function filesWithLedger(contacts: Array<{ id: string; email: string }>): Promise<Pair> {
  const dir = mkdtempSync(join(tmpdir(), 'ingest-thread-'));
  const raw = demoConfig() as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- raw, unparsed configuration
  raw.dataDir = join(dir, 'data');
  raw.crm.file = join(dir, 'crm.sqlite');
  raw.store.file = join(dir, 'state.sqlite');
  generateDemoCrm({ contacts: 40, file: raw.crm.file, seed: 5 });
  const config = parseConfig(raw, 'ingest-thread test', dir);
  const store = await createStateStore({ kind: 'sqlite', file: raw.store.file });
  await store.runs.upsert(aRun({ client: 'demo' }));
  if (contacts.length === 0) {
    const crm = new Database(raw.crm.file, { readonly: true });
    contacts.push(...(crm.prepare("SELECT id, email FROM contacts WHERE email LIKE '%@%' LIMIT 6").all() as typeof contacts));
    crm.close();
  }
  await store.ledger.record(contacts.map((c) => aSent(c.email, 0, { entityId: c.id })));
  await store.close();
  return { dir, crm: config.crm, store: { kind: 'sqlite', file: raw.store.file } };
}

/** A copy of both files, so the thread and one-thread ingestion start from the same state. */
function copyOf(pair: Pair): Pair {
  const dir = mkdtempSync(join(tmpdir(), 'ingest-thread-copy-'));
  const crmFile = join(dir, 'crm.sqlite');
  const storeFile = join(dir, 'state.sqlite');
  copyFileSync((pair.crm as { file: string }).file, crmFile);
  copyFileSync(pair.store.file, storeFile);
  return { dir, crm: { ...pair.crm, file: crmFile } as CrmConfig, store: { kind: 'sqlite', file: storeFile } };
}

/** What ingestion leaves behind, without the columns that only say when it was recorded. */
function contents(pair: Pair): Record<string, unknown[]> {
  const read = (file: string, sql: string) => {
    const db = new Database(file, { readonly: true });
    try {
      return db.prepare(sql).all();
    } finally {
      db.close();
    }
  };
  const crmFile = (pair.crm as { file: string }).file;
  return {
    responses: read(crmFile, 'SELECT * FROM campaign_responses ORDER BY 1, 2, 3, 4, 5, 6, 7'),
    bounces: read(crmFile, 'SELECT * FROM bounces ORDER BY 1, 2'),
    consents: read(crmFile, 'SELECT * FROM consents ORDER BY 1, 2, 3, 4'),
    suppressions: read(
      pair.store.file,
      'SELECT client, kind, recipient_key, list_id, occurred_at, source FROM suppressions ORDER BY 1, 2, 3, 4, 5',
    ),
    keys: read(pair.store.file, 'SELECT client, event_key, run_id FROM feedback_event_keys ORDER BY 1, 2'),
  };
}

const pageArb = (emails: readonly string[]) => {
  // Mostly plausible cells, so rows reach the CRM; the rest hostile.
  const time = fc.oneof(
    { arbitrary: fc.integer({ min: -72, max: 2 }).map((h) => new Date(UNTIL + h * 3_600_000).toISOString()), weight: 6 },
    { arbitrary: fc.constantFrom('', 'yesterday', '2026-13-40T99:00:00Z'), weight: 1 },
    { arbitrary: fc.string(), weight: 1 },
  );
  const cell = (...plausible: string[]) =>
    fc.oneof(
      { arbitrary: fc.constantFrom(...plausible), weight: 6 },
      { arbitrary: fc.string(), weight: 1 },
      { arbitrary: fc.constant(null), weight: 1 },
    );
  const row: fc.Arbitrary<Row> = fc.tuple(
    cell(...emails, 'never@x.test', ''),
    cell('1001', '2001', ''),
    time,
    cell('100', '0', '-1', 'abc'),
    cell('hardbounce', 'softbounce', 'autoresponder', 'https://e.test/'),
    cell('https://e.test/a', '7'),
  );
  return fc.record({ getterIndex: fc.nat({ max: RESPONSE_GETTERS.length - 1 }), rows: fc.array(row, { maxLength: 40 }) });
};

describe('ResponseIngestThread', () => {
  let thread: ResponseIngestThread | undefined;
  const dirs: string[] = [];
  afterEach(async () => {
    await thread?.close();
    thread = undefined;
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it('answers the checkpoints and leaves the CRM and state store as one-thread ingestion of the same pages', async () => {
    const contacts: Array<{ id: string; email: string }> = [];
    const threaded = await filesWithLedger(contacts);
    const local = copyOf(threaded);
    dirs.push(threaded.dir, local.dir);
    const data = ingestThreadData(threaded.store, threaded.crm, {});
    if (!data) throw new Error('a SQLite file store and CRM must run on the thread');
    thread = new ResponseIngestThread(data);
    await thread.ready();
    const localStore: StateStore = await createStateStore(local.store);
    const localCrm = openCrm(local.crm);
    let windowNo = 0;
    try {
      await fc.assert(
        fc.asyncProperty(
          fc.array(pageArb(contacts.map((c) => c.email)), { minLength: 1, maxLength: 6 }),
          fc.integer({ min: 1, max: 3 }),
          async (pages, pagesPerCommit) => {
            windowNo += 1;
            const setup = {
              client: CLIENT,
              window: { since: 0, until: UNTIL },
              counts: emptyCounts(),
              runId: `w${windowNo}`,
            };
            const ingesters: WindowIngester[] = [
              (thread as ResponseIngestThread).openWindow(setup),
              localWindowIngester({ store: localStore, crm: localCrm }, setup),
            ];
            const answers: Array<Array<WindowCheckpoint | undefined>> = [[], []];
            const threadAnswers: Array<Promise<WindowCheckpoint | undefined>> = [];
            for (const [i, page] of pages.entries()) {
              const at: PagePosition = { getterIndex: page.getterIndex, startRow: i * 1000 };
              const last = i + 1 === pages.length;
              // A commit every few pages and at the last, as ingestWindow asks for them.
              const commitAt =
                last || (i + 1) % pagesPerCommit === 0
                  ? { getterIndex: last ? RESPONSE_GETTERS.length : (pages[i + 1] as typeof page).getterIndex, startRow: (i + 1) * 1000 }
                  : undefined;
              // The thread is handed every page at once (it must apply them in order); one-thread ingestion one at a time.
              threadAnswers.push((ingesters[0] as WindowIngester).ingest(at, page.rows, commitAt));
              (answers[1] as unknown[]).push(await (ingesters[1] as WindowIngester).ingest(at, page.rows, commitAt));
            }
            answers[0] = await Promise.all(threadAnswers);
            await Promise.all(ingesters.map((ingester) => ingester.close()));
            expect(answers[0]).toEqual(answers[1]);
            // Every row is accounted for: read once, and every event row given exactly one outcome.
            const last = answers[0]?.at(-1) as WindowCheckpoint;
            const rowCount = pages.reduce((sum, page) => sum + page.rows.length, 0);
            expect(Object.values(last.counts).reduce((sum, c) => sum + c.read, 0)).toBe(rowCount);
            for (const [kind, c] of Object.entries(last.counts))
              if (kind !== 'mailing') expect(OUTCOMES.filter((o) => o !== 'read').reduce((sum, o) => sum + c[o], 0)).toBe(c.read);
          },
        ),
        { numRuns: 30 },
      );
    } finally {
      await localCrm.close();
      await localStore.close();
    }
    expect(contents(threaded)).toEqual(contents(local));
    expect((contents(threaded).responses as unknown[]).length).toBeGreaterThan(0);
  });

  it('fails the page with the error of the thread, under its class name, and applies the pages after it on a new window', async () => {
    const pair = await filesWithLedger([]);
    dirs.push(pair.dir);
    const broken = {
      ...pair.crm,
      statements: {
        ...(pair.crm as { statements: Record<string, string> }).statements,
        response: 'INSERT INTO no_such_table VALUES (:kind)',
      },
    } as CrmConfig;
    thread = new ResponseIngestThread(ingestThreadData(pair.store, broken, {}) as NonNullable<ReturnType<typeof ingestThreadData>>);
    const email = (
      new Database((pair.crm as { file: string }).file, { readonly: true })
        .prepare("SELECT email FROM contacts WHERE email LIKE '%@%' LIMIT 1")
        .get() as { email: string }
    ).email;
    const open = { client: CLIENT, window: { since: 0, until: UNTIL }, counts: emptyCounts() };
    const opens = RESPONSE_GETTERS.indexOf('getOpens');
    const END = { getterIndex: RESPONSE_GETTERS.length, startRow: 0 };
    const failing = thread
      .openWindow(open)
      .ingest({ getterIndex: opens, startRow: 0 }, [[email, '1001', new Date(UNTIL - 60_000).toISOString(), '100']], END);
    const error = await failing.then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    expect(error).toMatchObject({ name: 'CrmStatementError', message: expect.stringContaining('no_such_table') });
    // Temporal names an activity's failure by the error's class: the retry policy's permanent types match it.
    expect(error?.constructor.name).toBe('CrmStatementError');
    const later = await thread.openWindow(open).ingest({ getterIndex: RESPONSE_GETTERS.indexOf('getMailings'), startRow: 0 }, [], END);
    expect(later).toMatchObject({ getterIndex: RESPONSE_GETTERS.length, startRow: 0 });
  });

  it('fails a window whose connections did not open with their error, and opens them anew on a new thread for the next', async () => {
    const pair = await filesWithLedger([]);
    dirs.push(pair.dir);
    const crmFile = join(pair.dir, 'crm-later.sqlite');
    thread = new ResponseIngestThread(
      ingestThreadData(pair.store, { ...pair.crm, file: crmFile } as CrmConfig, {}) as NonNullable<ReturnType<typeof ingestThreadData>>,
    );
    const open = { client: CLIENT, window: { since: 0, until: UNTIL }, counts: emptyCounts() };
    const END = { getterIndex: RESPONSE_GETTERS.length, startRow: 0 };
    const mailings = { getterIndex: 0, startRow: 0 };
    const failed = thread.openWindow(open);
    await expect(failed.ingest(mailings, [], END)).rejects.toThrow(/crm-later\.sqlite|directory does not exist|unable to open/);
    // The window's close does not start a thread (and open connections) just to drop a window that
    // went with the ended one.
    await failed.close();
    expect((thread as unknown as { worker?: unknown }).worker).toBeUndefined();
    // The CRM is there now: the next window gets a thread whose connections open.
    copyFileSync((pair.crm as { file: string }).file, crmFile);
    await expect(thread.openWindow(open).ingest(mailings, [], END)).resolves.toMatchObject(END);
  });

  it('is not used for a store or CRM another thread cannot open', () => {
    const sqliteCrm = { kind: 'sqlite', file: '/data/crm.sqlite' } as CrmConfig;
    expect(ingestThreadData({ kind: 'sqlite', file: ':memory:' }, sqliteCrm, {})).toBeUndefined();
    expect(ingestThreadData({ kind: 'sqlite', file: '/data/state.sqlite' }, { kind: 'csv' } as CrmConfig, {})).toBeUndefined();
    const postgres = { kind: 'postgres', urlEnv: 'CRM_URL' } as CrmConfig;
    expect(
      ingestThreadData({ kind: 'sqlite', file: '/data/state.sqlite' }, postgres, { CRM_URL: 'postgres://crm', OTHER_SECRET: 'x' }),
    ).toEqual({
      store: { kind: 'sqlite', file: '/data/state.sqlite' },
      crm: postgres,
      crmEnv: { CRM_URL: 'postgres://crm' },
    });
  });
});
