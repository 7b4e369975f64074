import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { createHash } from 'node:crypto';
import { FEEDBACK_COLUMNS, type FeedbackColumn } from '../../../src/feedback/feedback-columns';
import { createStateStore } from '../../../src/store';
import type { StateStore } from '../../../src/store/state-store';
import { suppressionKey } from '../../../src/validation/suppressions';
import { importDroppedFolder, recordListRuns, recordingCrm, sentLedger } from '../../helpers/feedback-harness';

// What the ids of a dropped file tell, asked of the ledger of what we sent and the CRM's campaigns
// (src/feedback/feedback-file-ids.ts), for three classes the former check got wrong:
// - a file none of whose recipients we ever sent (another account's, shifted columns) was applied
//   like any other: a bounce file put every id into the suppression ledger on every list. Now a bounce
//   file is quarantined, nothing applied; an unsubscribe file is applied (every row into the
//   suppression ledger: an opt-out is never lost) and set aside in quarantine/ for review;
// - rows older than where the ledger is complete (the retention pruned the runs that sent them)
//   named people it no longer knows: a file covering a long period was quarantined as "most ids never
//   sent". Now only the rows since then are judged; a file with none such is judged on all, as before;
// - numeric recipient ids that happen to be a campaign's mailing id (or the client's list ids)
//   quarantined a sound file on one coincidence.
// Every row is accounted for, and nothing is applied twice when the same bytes are dropped again.

const NOW = Date.parse('2026-11-30T06:00:00.000Z');
const DAY = 24 * 60 * 60 * 1000;
/** The ledger is complete from here: each list's first run since the retention's cut. */
const LEDGER_SINCE = new Date(NOW - 20 * DAY).toISOString();
const RECENT = fc.integer({ min: 1, max: 19 * 24 }).map((h) => new Date(NOW - h * 3600 * 1000).toISOString());
const OLD = fc.integer({ min: 21, max: 400 }).map((d) => new Date(NOW - d * DAY).toISOString());
const ORDER = fc.shuffledSubarray([...FEEDBACK_COLUMNS], { minLength: FEEDBACK_COLUMNS.length });
const KIND = fc.constantFrom('unsubscribes' as const, 'bounces' as const);

type Row = Record<FeedbackColumn, string>;

const text = (order: readonly FeedbackColumn[], rows: readonly Row[]) =>
  [order.join(','), ...rows.map((row) => order.map((c) => row[c]).join(','))].join('\n') + '\n';

interface Night {
  dir: string;
  name: string;
  body: string;
  sent: ReadonlySet<string>;
  campaigns?: ReadonlySet<string>;
  /** Whether the store holds list runs (else: a new installation, nothing sent yet). */
  runs?: boolean;
}

async function nights(night: Night, count = 1) {
  const folder = join(night.dir, 'drop');
  mkdirSync(folder, { recursive: true });
  const store: StateStore = await createStateStore({ kind: 'sqlite', file: ':memory:' });
  if (night.runs !== false) await recordListRuns(store, LEDGER_SINCE);
  const recording = recordingCrm();
  const crm = { ...recording, campaignForMailing: async (id: string) => (night.campaigns?.has(id) ? `CMP-${id}` : undefined) };
  try {
    const results = [];
    for (let n = 1; n <= count; n++) {
      // The same bytes dropped again on every later night.
      if (!existsSync(join(folder, night.name))) writeFileSync(join(folder, night.name), night.body);
      results.push(
        await importDroppedFolder({
          folder,
          store,
          crm,
          ledger: sentLedger(night.sent),
          runDir: join(night.dir, `run-${n}`),
          runId: `r${n}`,
          nowMs: NOW,
          retentionRunDays: 90,
        }),
      );
    }
    const suppressed: Record<string, string[]> = {};
    for (const kind of ['unsubscribe', 'bounce'] as const)
      suppressed[kind] = await store.suppressions.recipientKeys('acme', { kind, limit: 1000 });
    const inside = (sub: string) => (existsSync(join(folder, sub)) ? readdirSync(join(folder, sub)).sort() : []);
    const checksum = createHash('sha256').update(night.body).digest('hex');
    const record = await store.feedbackIntake.file('acme', checksum);
    return { results, events: recording.events, suppressed, quarantine: inside('quarantine'), processed: inside('processed'), record };
  } finally {
    await store.close();
  }
}

const aNumeric = fc.integer({ min: 1000, max: 1030 }).map(String);
const anEmail = fc.stringMatching(/^[a-z]{1,5}[0-9]{0,2}@x\.test$/);
const anId = fc.oneof(aNumeric, anEmail);

describe('a dropped file none of whose recipients we ever sent', () => {
  let dir: string;
  let n = 0;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), `cs-ledger-fit-${++n}-`))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('is quarantined as a bounce file, nothing applied; as an unsubscribe file applied into the suppression ledger and set aside for review, once', async () => {
    await fc.assert(
      fc.asyncProperty(
        KIND,
        ORDER,
        fc.uniqueArray(anId, { minLength: 1, maxLength: 8 }),
        fc.uniqueArray(anId, { maxLength: 5 }),
        fc.array(fc.tuple(fc.nat(), fc.constantFrom('0', '7', '8'), fc.oneof(RECENT, OLD)), { minLength: 1, maxLength: 12 }),
        async (kind, order, unknown, others, picks) => {
          // The ledger knows other people (the client has sent), none of the file's.
          const sent = new Set(others.filter((id) => !unknown.includes(id)));
          const rows = picks.map(([i, list, at]): Row => ({
            recipientId: unknown[i % unknown.length]!,
            mailingId: '4711',
            timestamp: at,
            recipientListId: list,
            category: 'hardbounce',
          }));
          const name = `${kind}-1.csv`;
          const got = await nights({ dir: mkdtempSync(join(dir, 'case-')), name, body: text(order, rows), sent }, 2);
          const [first, second] = got.results;
          expect(got.events).toEqual([]);
          // The second night's drop: seen before (unsubscribes), or judged and set aside again (bounces).
          expect(got.processed).toEqual(kind === 'unsubscribes' ? [name] : []);
          expect(got.quarantine).toEqual(
            kind === 'unsubscribes' ? [name, `${name}.reason.txt`] : [name, `${name}.2`, `${name}.2.reason.txt`, `${name}.reason.txt`],
          );
          expect(first!.dropped.quarantined).toEqual([
            { name, reason: expect.stringMatching(/none of the \d+ distinct ids in column recipientId/) },
          ]);
          if (kind === 'bounces') {
            expect(got.suppressed).toEqual({ unsubscribe: [], bounce: [] });
            expect(first!.dropped.quarantined[0]!.reason).toMatch(/nothing applied$/);
            // No record of its bytes (the set-aside is recorded under the run's own key): dropped again, it is judged again.
            expect(got.record).toBeUndefined();
          } else {
            // Every row accounted: each event unknown to the CRM once, a row repeating an event of the
            // file (the same folded id, list and time) `repeated`, and every id in the suppression ledger.
            const events = new Set(rows.map((r) => [suppressionKey(r.recipientId), r.recipientListId, r.timestamp].join('\u0000'))).size;
            expect(first!.unsubscribes).toMatchObject({ rows: rows.length, unknownRecipient: events, repeated: rows.length - events });
            expect(got.suppressed.unsubscribe).toEqual([...new Set(rows.map((r) => suppressionKey(r.recipientId)))].sort());
            expect(first!.dropped.quarantined[0]!.reason).toMatch(/^applied, then set aside for review/);
            expect(got.record?.status).toBe('processed');
          }
          // Dropped again (the operator put it back): a bounce file is judged again, an applied one is seen before.
          if (kind === 'unsubscribes') expect(second!.dropped).toMatchObject({ duplicates: [name], quarantined: [] });
          else expect(second!.dropped.quarantined).toEqual(first!.dropped.quarantined);
          expect(second!.unsubscribes.rows + second!.bounces.rows).toBe(0);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('is applied as before on a new installation, whose ledger holds no run to judge by', async () => {
    await fc.assert(
      fc.asyncProperty(KIND, fc.uniqueArray(anId, { minLength: 1, maxLength: 6 }), async (kind, ids) => {
        const rows = ids.map((id): Row => ({
          recipientId: id,
          mailingId: '4711',
          timestamp: new Date(NOW - DAY).toISOString(),
          recipientListId: '7',
          category: 'hardbounce',
        }));
        const name = `${kind}-1.csv`;
        const got = await nights({
          dir: mkdtempSync(join(dir, 'case-')),
          name,
          body: text([...FEEDBACK_COLUMNS], rows),
          sent: new Set(),
          runs: false,
        });
        expect(got.processed).toEqual([name]);
        expect(got.results[0]!.dropped.quarantined).toEqual([]);
      }),
      { numRuns: 20 },
    );
  });
});

describe('a dropped file some of whose rows are older than the ledger', () => {
  let dir: string;
  let n = 0;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), `cs-ledger-old-${++n}-`))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('is judged on its recent rows: old rows of people the pruned runs sent do not set it aside', async () => {
    await fc.assert(
      fc.asyncProperty(
        KIND,
        ORDER,
        // Recent rows: people we sent (and at most as many we did not); old rows: anyone, unknown now.
        fc.uniqueArray(anEmail, { minLength: 1, maxLength: 5 }),
        fc.uniqueArray(
          anEmail.map((e) => `new-${e}`),
          { maxLength: 5 },
        ),
        fc.uniqueArray(
          anEmail.map((e) => `old-${e}`),
          { minLength: 1, maxLength: 20 },
        ),
        fc.array(RECENT, { minLength: 1, maxLength: 3 }),
        fc.array(OLD, { minLength: 1, maxLength: 3 }),
        async (kind, order, sentIds, unsentRecent, oldIds, recentAt, oldAt) => {
          const unsent = unsentRecent.slice(0, sentIds.length);
          const row = (id: string, at: string): Row => ({
            recipientId: id,
            mailingId: '4711',
            timestamp: at,
            recipientListId: '7',
            category: 'hardbounce',
          });
          const rows = [
            ...[...sentIds, ...unsent].map((id, i) => row(id, recentAt[i % recentAt.length]!)),
            ...oldIds.map((id, i) => row(id, oldAt[i % oldAt.length]!)),
          ];
          const name = `${kind}-1.csv`;
          const got = await nights({ dir: mkdtempSync(join(dir, 'case-')), name, body: text(order, rows), sent: new Set(sentIds) });
          expect(got.results[0]!.dropped.quarantined).toEqual([]);
          expect(got.processed).toEqual([name]);
          for (const id of sentIds) expect(got.events.some((e) => e.recipientId === id)).toBe(true);
          const tally = kind === 'bounces' ? got.results[0]!.bounces : got.results[0]!.unsubscribes;
          expect(tally.rows).toBe(rows.length);
          expect(tally.unknownRecipient).toBe(unsent.length + oldIds.length);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('is still quarantined when it is another account’s: mostly unknown among its recent rows, or all old and mostly unknown', async () => {
    await fc.assert(
      fc.asyncProperty(
        KIND,
        fc.uniqueArray(anEmail, { minLength: 1, maxLength: 4 }),
        fc.uniqueArray(
          anEmail.map((e) => `other-${e}`),
          { minLength: 5, maxLength: 10 },
        ),
        fc.boolean(),
        fc.array(OLD, { minLength: 1, maxLength: 3 }),
        async (kind, matching, foreign, allOld, oldAt) => {
          // A few ids that happen to be ours, more that are not: recent rows, or every row old.
          const ids = [...matching, ...foreign.slice(0, matching.length + 1)];
          const rows = ids.map((id, i): Row => ({
            recipientId: id,
            mailingId: '4711',
            timestamp: allOld ? oldAt[i % oldAt.length]! : new Date(NOW - DAY).toISOString(),
            recipientListId: '7',
            category: 'hardbounce',
          }));
          const name = `${kind}-1.csv`;
          const got = await nights({
            dir: mkdtempSync(join(dir, 'case-')),
            name,
            body: text([...FEEDBACK_COLUMNS], rows),
            sent: new Set(matching),
          });
          expect(got.events).toEqual([]);
          // An unsubscribe file's rows of the ids we sent are ledgered all the same (dropped-file-mostly-unsent.test.ts).
          const ours = kind === 'unsubscribes' ? [...new Set(matching.map(suppressionKey))].sort() : [];
          expect(got.suppressed).toEqual({ unsubscribe: ours, bounce: [] });
          expect(got.results[0]!.dropped.quarantined).toEqual([{ name, reason: expect.stringMatching(/^most ids in column recipientId/) }]);
        },
      ),
      { numRuns: 40 },
    );
  });
});

describe('a dropped file whose numeric recipient ids happen to be other ids too', () => {
  let dir: string;
  let n = 0;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), `cs-ledger-num-${++n}-`))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('is applied when a few unsent recipient ids are campaigns’ mailing ids, or its mailing ids are ids we sent', async () => {
    await fc.assert(
      fc.asyncProperty(
        KIND,
        ORDER,
        fc.uniqueArray(aNumeric, { minLength: 2, maxLength: 8 }),
        fc.nat(),
        fc.uniqueArray(aNumeric, { minLength: 1, maxLength: 6 }),
        fc.boolean(),
        async (kind, order, people, unsentCut, mailings, mailingsAreCampaigns) => {
          // Most people sent, fewer (at least one) never sent: those are campaigns' mailing ids too.
          const unsentCount = 1 + (unsentCut % Math.floor(people.length / 2));
          if (people.length - unsentCount < unsentCount) return;
          const unsent = people.slice(0, unsentCount);
          const sent = new Set(people.slice(unsentCount));
          const campaigns = new Set([...unsent, ...(mailingsAreCampaigns ? mailings : [])]);
          // Campaign ids among our mailing ids, or none known: either way the recipients fit.
          if (!mailingsAreCampaigns && mailings.some((m) => sent.has(m))) return;
          const rows = people.flatMap((id, i) =>
            mailings.slice(0, 1 + (i % mailings.length)).map((mailing): Row => ({
              recipientId: id,
              mailingId: mailing,
              timestamp: new Date(NOW - DAY).toISOString(),
              recipientListId: '7',
              category: 'hardbounce',
            })),
          );
          const name = `${kind}-1.csv`;
          const got = await nights({ dir: mkdtempSync(join(dir, 'case-')), name, body: text(order, rows), sent, campaigns });
          expect(got.results[0]!.dropped.quarantined).toEqual([]);
          expect(got.processed).toEqual([name]);
          for (const id of sent) expect(got.events.some((e) => e.recipientId === id)).toBe(true);
        },
      ),
      { numRuns: 80 },
    );
  });

  it("is applied when its recipient ids are the client's list ids and its list-id column holds the client's lists", async () => {
    await fc.assert(
      fc.asyncProperty(
        KIND,
        ORDER,
        fc.array(fc.constantFrom('7', '8', '0'), { minLength: 1, maxLength: 6 }),
        async (kind, order, lists) => {
          // Contacts 7 and 8, sent; the lists are 7 and 8 too.
          const rows = lists.map((list, i): Row => ({
            recipientId: i % 2 === 0 ? '7' : '8',
            mailingId: '4711',
            timestamp: new Date(NOW - DAY).toISOString(),
            recipientListId: list,
            category: 'hardbounce',
          }));
          const name = `${kind}-1.csv`;
          const got = await nights({ dir: mkdtempSync(join(dir, 'case-')), name, body: text(order, rows), sent: new Set(['7', '8']) });
          expect(got.results[0]!.dropped.quarantined).toEqual([]);
          expect(got.processed).toEqual([name]);
        },
      ),
      { numRuns: 30 },
    );
  });
});
