import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { FEEDBACK_COLUMNS, type FeedbackColumn } from '../../../src/feedback/feedback-columns';
import { createStateStore, type StateStore } from '../../../src/store';
import { suppressionKey } from '../../../src/validation/suppressions';
import { importDroppedFolder, recordingCrm, sentLedger } from '../../helpers/feedback-harness';

// A dropped file most of whose recipient ids were never sent, while some were
// (feedback-file-ids.ts): its column may hold other ids (mailing ids, another account's numbers), and
// applied it would withdraw the consent of whoever the ids happen to match. It was quarantined with
// nothing applied, so if it was right its opt-outs waited for an operator while those people could be
// mailed. Now an unsubscribe file's rows whose ids we sent go into the suppression ledger (everyone it
// names that we mail is left out of our lists), the CRM gets nothing, and the file is quarantined
// saying so; a bounce file is still quarantined with nothing applied. Over files of sent and
// never-sent ids, numeric ids that are mailing ids too, the job's columns swapped, rows of a list the
// client does not synchronise, dropped twice:
// - no file set aside reaches the CRM;
// - set aside by this rule, an unsubscribe file's ledger entries are exactly its rows whose
//   recipient id (as read) we sent, on their rows' lists; a bounce file's none;
// - dropped again, it is judged again: the same ledger, still nothing in the CRM.

const NOW = Date.parse('2026-11-30T06:00:00.000Z');
const ORDER = fc.shuffledSubarray([...FEEDBACK_COLUMNS], { minLength: FEEDBACK_COLUMNS.length });
/** Contacts and mailings share one range of numbers. */
const aNumber = fc.integer({ min: 1001, max: 1012 }).map(String);
const anId = fc.oneof(aNumber, fc.constantFrom('a@x.test', 'b@x.test', 'c@x.test', 'd@x.test', 'e@x.test', 'f@x.test'));

const aFile = fc
  .record({
    kind: fc.constantFrom('unsubscribes' as const, 'bounces' as const),
    order: ORDER,
    ids: fc.uniqueArray(anId, { minLength: 3, maxLength: 9 }),
    sentCut: fc.nat(),
    mailings: fc.uniqueArray(aNumber, { minLength: 1, maxLength: 3 }),
    campaigns: fc.subarray(['1001', '1002', '1003', '1004', '1005', '1006']),
    // Rows of each id on the client's lists (7, 8, all: 0), and of any id on a list it does not synchronise.
    lists: fc.array(fc.constantFrom('7', '8', '0'), { minLength: 1, maxLength: 9 }),
    otherList: fc.array(fc.nat(), { maxLength: 3 }),
    swapped: fc.boolean(),
  })
  .map((f) => {
    // Fewer sent than never sent, at least one.
    const sentCount = 1 + (f.sentCut % Math.ceil(f.ids.length / 2 - 1));
    return { ...f, sent: new Set(f.ids.slice(0, sentCount)) };
  });
type File = typeof aFile extends fc.Arbitrary<infer T> ? T : never;

interface Row {
  recipientId: string;
  mailingId: string;
  recipientListId: string;
}

/** The rows as the export job meant them: person, mailing, list. */
function rowsOf(file: File): Row[] {
  const row = (id: string, i: number, list: string): Row => ({
    recipientId: id,
    mailingId: file.mailings[i % file.mailings.length]!,
    recipientListId: list,
  });
  return [
    ...file.ids.map((id, i) => row(id, i, file.lists[i % file.lists.length]!)),
    ...file.otherList.map((n, i) => row(file.ids[n % file.ids.length]!, i, '99')),
  ];
}

/** The file's text; swapped, the job wrote the mailing ids under `recipientId` and the people under `mailingId`. */
function text(file: File): string {
  const cells = (row: Row, i: number): Record<FeedbackColumn, string> => ({
    recipientId: file.swapped ? row.mailingId : row.recipientId,
    mailingId: file.swapped ? row.recipientId : row.mailingId,
    timestamp: new Date(NOW - (i + 1) * 60_000).toISOString(),
    recipientListId: row.recipientListId,
    category: 'hardbounce',
  });
  return [file.order.join(','), ...rowsOf(file).map((row, i) => file.order.map((c) => cells(row, i)[c]).join(','))].join('\n') + '\n';
}

/** Every suppression ledger entry of the ids: `kind|key|list`. */
async function ledgered(store: StateStore, ids: Iterable<string>): Promise<string[]> {
  const entries = new Set<string>();
  for (const id of ids)
    for (const e of await store.suppressions.events('acme', suppressionKey(id))) entries.add(`${e.kind}|${e.recipientKey}|${e.listId}`);
  return [...entries].sort();
}

async function twoNights(dir: string, file: File) {
  const folder = join(dir, 'drop');
  mkdirSync(folder, { recursive: true });
  const name = `${file.kind}-1.csv`;
  const store = await createStateStore({ kind: 'sqlite', file: ':memory:' });
  const recording = recordingCrm();
  const campaigns = new Set(file.campaigns);
  const crm = { ...recording, campaignForMailing: async (id: string) => (campaigns.has(id) ? `CMP-${id}` : undefined) };
  const ids = new Set([...file.ids, ...file.mailings]);
  try {
    const nights = [];
    for (const runId of ['r1', 'r2']) {
      writeFileSync(join(folder, name), text(file));
      const result = await importDroppedFolder({
        folder,
        store,
        crm,
        ledger: sentLedger(file.sent),
        runDir: join(dir, runId),
        runId,
        nowMs: NOW,
      });
      nights.push({ result, events: recording.events.length, ledger: await ledgered(store, ids) });
    }
    const quarantine = existsSync(join(folder, 'quarantine')) ? readdirSync(join(folder, 'quarantine')).sort() : [];
    const reason = quarantine.includes(`${name}.reason.txt`) ? readFileSync(join(folder, 'quarantine', `${name}.reason.txt`), 'utf8') : '';
    return { name, nights, quarantine, reason };
  } finally {
    await store.close();
  }
}

/** What the rule must ledger: each row whose recipient id, as the file reads, we sent, on its list. */
function expectedLedger(file: File): string[] {
  const read = rowsOf(file).map((row) => ({ id: file.swapped ? row.mailingId : row.recipientId, list: row.recipientListId }));
  return [...new Set(read.filter((r) => file.sent.has(r.id)).map((r) => `unsubscribe|${suppressionKey(r.id)}|${r.list}`))].sort();
}

describe('a dropped file most of whose recipient ids were never sent, while some were', () => {
  let dir: string;
  let n = 0;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), `cs-mostly-unsent-${++n}-`))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('never reaches the CRM; as an unsubscribe file, ledgers exactly its rows of ids we sent, then is quarantined saying so, each night', async () => {
    await fc.assert(
      fc.asyncProperty(aFile, async (file) => {
        const got = await twoNights(mkdtempSync(join(dir, 'case-')), file);
        const [first, second] = got.nights;
        const quarantined = first!.result.dropped.quarantined;
        // Read as meant, no id a campaign's mailing and no mailing id one we sent: no other rule fits, this one sets it aside.
        const campaigns = new Set(file.campaigns);
        const plain =
          !file.swapped && ![...file.ids, ...file.mailings].some((id) => campaigns.has(id)) && !file.mailings.some((m) => file.sent.has(m));
        if (plain) expect(quarantined).toEqual([{ name: got.name, reason: expect.stringMatching(/^most ids in column recipientId/) }]);
        if (quarantined.length === 0) return;
        // Set aside by any rule: the CRM got nothing, either night.
        expect([first!.events, second!.events]).toEqual([0, 0]);
        expect(second!.result.dropped.quarantined).toEqual(quarantined);
        const mostlyUnsent = /^most ids in column recipientId/.test(quarantined[0]!.reason);
        const wanted = mostlyUnsent && file.kind === 'unsubscribes' ? expectedLedger(file) : [];
        expect(first!.ledger).toEqual(wanted);
        expect(second!.ledger).toEqual(wanted);
        if (!mostlyUnsent) return;
        if (file.kind === 'unsubscribes') {
          const rows = rowsOf(file).filter((row) => file.sent.has(file.swapped ? row.mailingId : row.recipientId)).length;
          expect(quarantined[0]!.reason).toContain(
            `nothing applied to the CRM; its ${rows} row(s) of ids a run of ours sent were recorded`,
          );
        } else expect(quarantined[0]!.reason).toMatch(/nothing applied$/);
        expect(got.reason).toContain(quarantined[0]!.reason);
      }),
      { numRuns: 120 },
    );
  });
});
