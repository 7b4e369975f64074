import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { FEEDBACK_COLUMNS, type FeedbackColumn } from '../../../src/feedback/feedback-columns';
import { createStateStore } from '../../../src/store';
import { suppressionKey } from '../../../src/validation/suppressions';
import { importDroppedFolder, recordingCrm, sentLedger } from '../../helpers/feedback-harness';

// A `feedbackColumns` mapping (or an export job) that swaps recipientId and mailingId: both columns
// hold ids, numeric ones where the CRM's ids are numbers, so the cells alone do not show it. Applied
// on the former import, mailing 1001 read as recipient 1001 withdrew contact 1001's consent, and every
// mailing id went into the suppression ledger. The ledger and the CRM's campaigns tell it: such a file
// is quarantined naming the setting, nothing of it applied; the same file mapped right is applied,
// unknown ids and all, as long as fewer of its ids are unknown than sent (feedback-file-ids.ts).

const NOW = Date.parse('2026-11-30T06:00:00.000Z');
const KIND = fc.constantFrom('unsubscribes', 'bounces');
const ORDER = fc.shuffledSubarray([...FEEDBACK_COLUMNS], { minLength: FEEDBACK_COLUMNS.length });

/** Mailing ids and contact ids share one range of numbers: mailing 1001 and contact 1001 are two things. */
const NUMBERS = Array.from({ length: 12 }, (_, i) => String(1001 + i));

/** A file's people (sent ones first, never fewer sent than unsent), its mailings (fewer), campaigns among them. */
const aFile = fc
  .record({
    sent: fc.uniqueArray(fc.oneof(fc.constantFrom(...NUMBERS), fc.constantFrom('sent-a@x.test', 'sent-b@x.test', 'Sent-C@x.test')), {
      minLength: 1,
      maxLength: 6,
    }),
    unsent: fc.uniqueArray(fc.constantFrom('u-1@x.test', 'u-2@x.test', '3001', '3002', ' 3003 '), { maxLength: 6 }),
    mailings: fc.uniqueArray(fc.constantFrom(...NUMBERS), { minLength: 1, maxLength: 5 }),
    campaigns: fc.boolean(),
    extra: fc.array(fc.tuple(fc.nat(), fc.nat()), { maxLength: 6 }),
    listId: fc.constantFrom<string>('0', '7', '8'),
  })
  .map((f) => {
    const unsent = f.unsent.slice(0, f.sent.length);
    const people = [...f.sent, ...unsent];
    const mailings = f.mailings.slice(0, Math.max(1, people.length - 1));
    return { ...f, unsent, people, mailings };
  })
  .filter((f) => f.people.length > f.mailings.length);

type File = typeof aFile extends fc.Arbitrary<infer T> ? T : never;

function rows(file: File): Array<[string, string]> {
  const n = Math.max(file.people.length, file.mailings.length);
  const base = Array.from({ length: n }, (_, i): [string, string] => [
    file.people[i % file.people.length]!,
    file.mailings[i % file.mailings.length]!,
  ]);
  const more = file.extra.map(([p, m]): [string, string] => [
    file.people[p % file.people.length]!,
    file.mailings[m % file.mailings.length]!,
  ]);
  return [...base, ...more];
}

function text(file: File, order: readonly FeedbackColumn[], otherList: readonly string[] = []): string {
  const header = order.map((c) => (c === 'recipientId' || c === 'mailingId' ? `job-${c}` : c));
  const cells = ([recipient, mailing]: [string, string]): Record<FeedbackColumn, string> => ({
    recipientId: recipient,
    mailingId: mailing,
    timestamp: '2026-11-29T10:15:00Z',
    recipientListId: file.listId,
    category: 'hardbounce',
  });
  // Rows of a list this client does not synchronise (99), about people it never sent.
  const other = otherList.map((id): [string, string] => [id, file.mailings[0]!]);
  const line = (row: [string, string], listId: string) => order.map((c) => ({ ...cells(row), recipientListId: listId })[c]).join(',');
  return [header.join(','), ...rows(file).map((row) => line(row, file.listId)), ...other.map((row) => line(row, '99'))].join('\n') + '\n';
}

async function night(
  dir: string,
  name: string,
  file: File,
  order: readonly FeedbackColumn[],
  swapped: boolean,
  otherList: readonly string[] = [],
) {
  const folder = join(dir, 'drop');
  mkdirSync(folder, { recursive: true });
  writeFileSync(join(folder, name), text(file, order, otherList));
  const store = await createStateStore({ kind: 'sqlite', file: ':memory:' });
  const recording = recordingCrm();
  const campaigns = new Set(file.campaigns ? file.mailings : []);
  const crm = { ...recording, campaignForMailing: async (id: string) => (campaigns.has(id) ? `CMP-${id}` : undefined) };
  const feedbackColumns = swapped
    ? { recipientId: 'job-mailingId', mailingId: 'job-recipientId' }
    : { recipientId: 'job-recipientId', mailingId: 'job-mailingId' };
  try {
    const result = await importDroppedFolder({
      folder,
      store,
      crm,
      ledger: sentLedger(file.sent),
      runDir: join(dir, 'run'),
      runId: 'r1',
      nowMs: NOW,
      client: { feedbackColumns },
    });
    const suppressed: string[] = [];
    for (const kind of ['unsubscribe', 'bounce'] as const)
      suppressed.push(...(await store.suppressions.recipientKeys('acme', { kind, limit: 100 })));
    const inside = (sub: string) => (existsSync(join(folder, sub)) ? readdirSync(join(folder, sub)) : []);
    return { events: recording.events, suppressed, processed: inside('processed'), report: result.dropped };
  } finally {
    await store.close();
  }
}

describe('a dropped file whose recipient and mailing ids are swapped', () => {
  let dir: string;
  let n = 0;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), `cs-swapped-ids-${++n}-`))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('is quarantined naming feedbackColumns, nothing applied or ledgered; mapped right it is applied, unknown ids and all', async () => {
    await fc.assert(
      fc.asyncProperty(KIND, ORDER, aFile, fc.boolean(), async (kind, order, file, swapped) => {
        const sub = mkdtempSync(join(dir, 'case-'));
        const name = `${kind}-1.csv`;
        const got = await night(sub, name, file, order, swapped);
        if (swapped) {
          expect({ events: got.events.length, suppressed: got.suppressed, processed: got.processed }).toEqual({
            events: 0,
            suppressed: [],
            processed: [],
          });
          expect(got.report.quarantined).toEqual([{ name, reason: expect.stringContaining('feedbackColumns.') }]);
        } else {
          expect(got.report.quarantined).toEqual([]);
          expect(got.processed).toEqual([name]);
          // Only the people the file names, and each sent one reached the CRM.
          const people = new Set(file.people.map((id) => id.trim()));
          expect(got.events.every((e) => people.has(e.recipientId))).toBe(true);
          for (const id of file.sent) expect(got.events.some((e) => e.recipientId === id)).toBe(true);
        }
      }),
      { numRuns: 120 },
    );
  });

  it('as an unsubscribe file, is applied however many people of lists the client does not synchronise it also names', async () => {
    // An export job that exports every list of the account: the rows of list 99 name people never
    // sent by us, and an unsubscribe from list 99 concerns list 99 only (never applied to our
    // people); the former sample counted them, and the file was quarantined as one whose ids are
    // mostly wrong, our lists' opt-outs with it.
    const others = fc.uniqueArray(fc.stringMatching(/^o-[a-z0-9]{1,6}@x\.test$/), { minLength: 1, maxLength: 30 });
    await fc.assert(
      fc.asyncProperty(ORDER, aFile, others, async (order, file, otherList) => {
        const kind = 'unsubscribes';
        const sub = mkdtempSync(join(dir, 'case-'));
        const name = `${kind}-1.csv`;
        const got = await night(sub, name, file, order, false, otherList);
        expect(got.report.quarantined).toEqual([]);
        expect(got.processed).toEqual([name]);
        for (const id of file.sent) expect(got.events.some((e) => e.recipientId === id)).toBe(true);
        expect(got.events.some((e) => otherList.includes(e.recipientId))).toBe(false);
      }),
      { numRuns: 60 },
    );
  });

  it('as a bounce file, is quarantined swapped even when every row names a list the client does not synchronise', async () => {
    // A bounce concerns the person whichever list it came through: a swapped bounce file on list 99
    // bounces whoever a mailing id matches (contact 1001 for mailing 1001), so its rows all count.
    await fc.assert(
      fc.asyncProperty(ORDER, aFile, async (order, file) => {
        const sub = mkdtempSync(join(dir, 'case-'));
        const name = 'bounces-1.csv';
        const got = await night(sub, name, { ...file, listId: '99' }, order, true);
        expect({ events: got.events.length, suppressed: got.suppressed, processed: got.processed }).toEqual({
          events: 0,
          suppressed: [],
          processed: [],
        });
        expect(got.report.quarantined).toEqual([{ name, reason: expect.stringContaining('feedbackColumns.') }]);
      }),
      { numRuns: 60 },
    );
  });

  it('is quarantined when most of its recipient ids were never sent while some were', async () => {
    await fc.assert(
      fc.asyncProperty(KIND, ORDER, aFile, async (kind, order, file) => {
        // Two unsent ids more than sent ones: the sent ones may be ids that only happen to match.
        const unsent = [
          'u-7@x.test',
          'u-8@x.test',
          'u-9@x.test',
          'u-10@x.test',
          'u-11@x.test',
          'u-12@x.test',
          'u-13@x.test',
          'u-14@x.test',
        ];
        const people = [...file.sent, ...unsent.slice(0, file.sent.length + 1)];
        const mostlyUnknown = { ...file, unsent: [], people, campaigns: false };
        const sub = mkdtempSync(join(dir, 'case-'));
        const name = `${kind}-1.csv`;
        const got = await night(sub, name, mostlyUnknown, order, false);
        // Nothing reaches the CRM; an unsubscribe file's rows of ids we sent are ledgered (dropped-file-mostly-unsent.test.ts).
        const ours = kind === 'unsubscribes' ? [...new Set(file.sent.map(suppressionKey))].sort() : [];
        expect({ events: got.events.length, suppressed: [...got.suppressed].sort(), processed: got.processed }).toEqual({
          events: 0,
          suppressed: ours,
          processed: [],
        });
        expect(got.report.quarantined).toEqual([{ name, reason: expect.stringMatching(/^most ids in column recipientId .*never sent/) }]);
      }),
      { numRuns: 60 },
    );
  });
});
