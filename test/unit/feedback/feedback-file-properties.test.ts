import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { FeedbackFileUnreadableError } from '../../../src/errors/feedback-file-unreadable-error';
import { applyFeedbackFile, emptyTally } from '../../../src/feedback/apply-feedback-file';
import { FEEDBACK_COLUMNS } from '../../../src/feedback/feedback-columns';
import { inspectFeedbackFile } from '../../../src/feedback/feedback-file';
import { MAX_FEEDBACK_CELL, type RowRejection } from '../../../src/feedback/feedback-row';
import { applyPorts, feedbackClient } from '../../helpers/feedback-harness';

// Feedback files as an export job (or an attacker) might write them. Every generated row carries
// at most one defect, so its fate is known: valid, or rejected for exactly that reason.

const NOW = Date.parse('2026-11-30T06:00:00Z');
const OPT_IN_OF: Record<number, number[]> = { 0: [11, 12], 7: [11], 8: [12], 99: [] };

type Defect = 'none' | RowRejection;
interface GenRow {
  recipientId: string;
  listText: string;
  listId: number;
  timeText: string;
  iso: string;
  mailingId: string;
  category: string;
  defect: Defect;
}

const validTime = fc
  .tuple(
    fc.integer({ min: Date.UTC(2001, 0, 1) / 1000, max: NOW / 1000 }),
    fc.integer({ min: 0, max: 999 }),
    fc.constantFrom('Z', '+00:00', '+02:00', '-05:30', 'space', 'seconds'),
  )
  .map(([s, frac, style]) => {
    const ms = s * 1000 + (style === 'seconds' ? 0 : frac);
    const iso = new Date(ms).toISOString();
    const offset = (sign: number, h: number, m: number, text: string) =>
      new Date(ms + sign * (h * 60 + m) * 60_000).toISOString().replace('Z', text);
    const text =
      style === '+00:00'
        ? iso.replace('Z', '+00:00')
        : style === '+02:00'
          ? offset(1, 2, 0, '+02:00')
          : style === '-05:30'
            ? offset(-1, 5, 30, '-05:30')
            : style === 'space'
              ? iso.replace('T', ' ')
              : style === 'seconds'
                ? iso.replace('.000', '')
                : iso;
    return { text, iso };
  });
const badTime = fc.constantFrom(
  '',
  'not a time',
  '2026-13-01T00:00:00Z',
  '2026-02-30T10:00:00Z',
  '1970-01-01T00:00:00Z',
  '2026-11-28T06:15:00',
  '1732780500000',
  '2099-01-01T00:00:00Z',
  '2026-11-28T24:00:00Z',
  '28.11.2026 06:15',
);
const validList = fc
  .constantFrom(0, 7, 8, 99)
  .chain((id) => fc.constantFrom(String(id), ` ${id} `, `00${id}`).map((text) => ({ id, text })));
const badList = fc.constantFrom('', 'abc', '-1', '7.0', '1e3', '0x7', '７', 'seven', '7,8');
const freeText = fc.string({ maxLength: 30, unit: fc.constantFrom('a', 'Z', ' ', ',', '"', '\n', '\r\n', 'é', '=', '1') });
const recipient = fc.constantFrom('sent-a@x.test', 'sent-b@x.test', 'sent-"q",x@x.test', 'never@x.test');

const row: fc.Arbitrary<GenRow> = fc
  .record({
    recipientId: recipient,
    list: validList,
    time: validTime,
    mailingId: freeText,
    category: freeText,
    defect: fc.constantFrom<Defect>('none', 'none', 'none', 'column_count', 'missing_recipient_id', 'invalid_list_id', 'invalid_timestamp'),
    badList,
    badTime,
    blank: fc.constantFrom('', '   '),
  })
  .map((r) => ({
    recipientId: r.defect === 'missing_recipient_id' ? r.blank : r.recipientId,
    listText: r.defect === 'invalid_list_id' ? r.badList : r.list.text,
    listId: r.list.id,
    timeText: r.defect === 'invalid_timestamp' ? r.badTime : r.time.text,
    iso: r.time.iso,
    mailingId: r.mailingId,
    category: r.category,
    defect: r.defect,
  }));

const header = fc.record({
  order: fc.shuffledSubarray([...FEEDBACK_COLUMNS], { minLength: 5, maxLength: 5 }),
  variant: fc.constantFrom('exact', 'exact', 'mapped', 'unmapped listId', 'missing', 'extra', 'twice', 'case'),
});

const quote = (value: string, always: boolean) =>
  always || /[",\r\n]/.test(value) || value !== value.trim() ? `"${value.replace(/"/g, '""')}"` : value;

function fileText(
  h: { order: string[]; variant: string },
  rows: GenRow[],
  opts: { bom: boolean; eol: string; quoteAll: boolean; hugeField: number },
): string {
  const names = h.order.map((c) =>
    c === 'recipientListId' && h.variant !== 'exact' && h.variant.includes('mapped')
      ? 'listId'
      : c === 'recipientId' && h.variant === 'case'
        ? 'RecipientId'
        : c,
  );
  if (h.variant === 'missing') names.pop();
  if (h.variant === 'extra') names.push('note');
  if (h.variant === 'twice') names[names.length - 1] = names[0] as string;
  const lines = [names.join(',')];
  rows.forEach((r, i) => {
    const byColumn: Record<string, string> = {
      recipientId: r.recipientId,
      mailingId: i === 0 && opts.hugeField > 0 ? 'm'.repeat(opts.hugeField) : r.mailingId,
      timestamp: r.timeText,
      recipientListId: r.listText,
      category: r.category,
    };
    const cells = h.order.map((c) => quote(byColumn[c] as string, opts.quoteAll));
    if (r.defect === 'column_count' && i % 2 === 0) cells.pop();
    else if (r.defect === 'column_count') cells.push('extra');
    lines.push(cells.join(','));
  });
  return `${opts.bom ? '\uFEFF' : ''}${lines.join(opts.eol)}${opts.eol}`;
}

describe('feedback files, whatever they hold', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cs-feedback-prop-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  let n = 0;

  it('account for every row once, never widen an unsubscribe and never date a row before 2000', async () => {
    await fc.assert(
      fc.asyncProperty(
        header,
        fc.array(row, { maxLength: 25 }),
        fc.constantFrom('unsubscribe', 'bounce') as fc.Arbitrary<'unsubscribe' | 'bounce'>,
        fc.record({
          bom: fc.boolean(),
          eol: fc.constantFrom('\n', '\r\n'),
          quoteAll: fc.boolean(),
          hugeField: fc.constantFrom(0, 0, 0, 20_000, 70_000),
        }),
        async (h, rows, kind, opts) => {
          const file = join(dir, `f-${++n}.csv`);
          const text = fileText(h, rows, opts);
          writeFileSync(file, text);
          const mapping = h.variant === 'mapped' ? { recipientListId: 'listId' } : undefined;
          const ports = applyPorts({ client: feedbackClient(mapping ? { feedbackColumns: mapping } : {}), nowMs: NOW, mapping });
          const oversize = text.split('\n').some((line) => line.length > 65_536);
          const readable = ['exact', 'mapped'].includes(h.variant) && !oversize;
          if (!readable) {
            await expect(inspectFeedbackFile(file, { mapping, nowMs: NOW })).rejects.toBeInstanceOf(FeedbackFileUnreadableError);
            return;
          }
          expect((await inspectFeedbackFile(file, { mapping, nowMs: NOW })).rows).toBe(rows.length);
          // The huge mailing id of the first row (in a readable file) is over the cell bound: that row is
          // rejected for it, unless its column count decided first.
          const judged = rows.map((r, i) =>
            i === 0 && opts.hugeField > MAX_FEEDBACK_CELL && r.defect !== 'column_count' ? { ...r, defect: 'value_too_long' as const } : r,
          );
          const tally = emptyTally();
          await applyFeedbackFile(file, kind, ports, tally);

          expect(tally.rows).toBe(rows.length);
          const rejected = Object.values(tally.rejected).reduce((a, b) => a + b, 0);
          expect(
            tally.applied + tally.handed + tally.alreadyApplied + tally.repeated + tally.unknownRecipient + tally.unknownEntity + rejected,
          ).toBe(rows.length);
          for (const reason of Object.keys(tally.rejected) as RowRejection[])
            expect(tally.rejected[reason]).toBe(judged.filter((r) => r.defect === reason).length);

          const valid = judged.filter((r) => r.defect === 'none');
          for (const event of ports.crm.events) {
            expect(Date.parse(event.occurredAt)).toBeGreaterThanOrEqual(Date.UTC(2000, 0, 1));
            const mine = valid.filter((r) => r.recipientId.trim() === event.recipientId && r.iso === event.occurredAt);
            expect(mine.length).toBeGreaterThan(0);
            if (kind === 'unsubscribe') expect(mine.flatMap((r) => OPT_IN_OF[r.listId] ?? []).map(String)).toContain(event.optInId);
          }
          const sentValid = valid.filter((r) => r.recipientId.startsWith('sent-') && (kind === 'bounce' || r.listId !== 99));
          const distinct = new Set(sentValid.map((r) => `${r.recipientId}|${r.listId}|${r.iso}`));
          expect(tally.applied).toBe(distinct.size);
        },
      ),
      { numRuns: 150 },
    );
  });
});
