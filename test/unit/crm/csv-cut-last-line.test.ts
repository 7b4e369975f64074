import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { crmConfigSchema } from '../../../src/crm/crm-config';
import { selectionColumns } from '../../../src/validation/validate-row';
import { exportCsvConsentList } from '../../helpers/export-csv-selection';

// A CSV CRM file cut inside its last line (a writer still at work, an upload that broke off): the
// line's cells up to the cut read as other values, recipient 12345 as 123 (another person), an
// address as a shorter one. Under the default `lastLineWithoutEnd: exclude` that line is never sent:
// it is excluded as `cut_last_line`, while the opt-outs it states still win for the person
// (docs/crm.md, "Reading an exchange file"). Addresses are prefixes of one another, so a cut one is a person.

// The consent list's selection (exportCsvConsentList: attribute first_name) and one opt-out column.
const COLUMNS = [...selectionColumns({ first_name: 'firstname' }), 'consent_withdrawn'];
const IDS = ['anna@example.com', 'anna@example.co', 'bob@example.de', 'bob@example.d'];
const SET = ['1', 'yes', 'ja'];
const NOT_SET = ['', '0', 'no'];

const aLine = fc.record({
  person: fc.nat({ max: IDS.length - 1 }),
  entity: fc.constantFrom('contact', 'lead'),
  ownConsent: fc.nat({ max: 4 }).map((n) => n > 0),
  withdrawn: fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...NOT_SET) }, fc.constantFrom(...SET)),
});
type Line = typeof aLine extends fc.Arbitrary<infer T> ? T : never;

const aFile = fc.record({
  order: fc.shuffledSubarray(
    COLUMNS.map((_, i) => i),
    { minLength: COLUMNS.length, maxLength: COLUMNS.length },
  ),
  lines: fc.array(aLine, { minLength: 1, maxLength: 8 }),
  eol: fc.constantFrom('\n', '\r\n'),
  /** Characters the last line lost at its end (0: the writer never ends its last line). */
  cut: fc.nat({ max: 40 }),
});

function cellsOf(line: Line, index: number): Record<string, string> {
  const id = IDS[line.person] as string;
  return {
    recipient_id: id,
    email: id,
    opt_in_id: line.ownConsent ? '11' : '12',
    description: 'News',
    media_type: 'email',
    entity_type: line.entity,
    entity_id: `${line.entity[0]}${index}`,
    first_name: 'Anna',
    consent_withdrawn: line.withdrawn,
  };
}

let dir: string;
beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'cs-csv-cut-'))));
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('a CSV CRM file whose last line has no line break', () => {
  it('never sends that line, excludes it as cut_last_line and keeps its opt-outs', async () => {
    await fc.assert(
      fc.asyncProperty(aFile, async ({ order, lines, eol, cut }) => {
        const columns = order.map((i) => COLUMNS[i] as string);
        const texts = lines.map((line, i) => columns.map((c) => cellsOf(line, i)[c]).join(','));
        const last = texts.length - 1;
        const whole = texts[last] as string;
        // At least one character stays: an empty last line is no line.
        const kept = whole.slice(0, Math.max(1, whole.length - cut));
        texts[last] = kept;
        const path = join(dir, 'selection.csv');
        writeFileSync(path, [columns.join(','), ...texts].join(eol));
        const { counts, accepted, excluded } = await exportCsvConsentList(dir, path);
        expect(counts.rowsRead).toBe(lines.length);
        expect(accepted.length + excluded.length).toBe(lines.length);
        // The last line is row `lines.length`: never sent, excluded under its own reason.
        expect(accepted.map((a) => a.rowNumber)).not.toContain(lines.length);
        expect(excluded.filter((e) => e.rowNumber === lines.length)).toEqual([
          { rowNumber: lines.length, reason: 'cut_last_line', field: `line ${lines.length + 1} (no_line_end)` },
        ]);
        // Its opt-out still counts when the cut left the cells that state it whole (a cell is whole
        // when a delimiter follows it in what is left, or nothing was cut).
        const wholeCells = kept.split(',').slice(0, cut === 0 ? undefined : -1);
        const said = new Map(columns.map((c, at) => [c, wholeCells[at]]));
        const stated =
          said.get('opt_in_id') === '11' && said.get('media_type') === 'email' && SET.includes(said.get('consent_withdrawn') ?? '');
        const id = said.get('recipient_id');
        if (stated && id !== undefined) expect(accepted.map((a) => a.recipient.recipientId)).not.toContain(id);
      }),
      { numRuns: 200 },
    );
  });

  // The consent or medium the opt-out is stated under may be the cut cell: `11` cut to `1`, `email`
  // to `em` reads as another list's, and the opt-out then said nothing about this one.
  it('keeps its opt-out when the cut falls in the consent or medium it is stated under', async () => {
    const aCutFile = fc.record({
      order: fc.shuffledSubarray(
        COLUMNS.map((_, i) => i),
        { minLength: COLUMNS.length, maxLength: COLUMNS.length },
      ),
      last: fc.constantFrom('opt_in_id', 'media_type'),
      withdrawn: fc.constantFrom(...SET),
      eol: fc.constantFrom('\n', '\r\n'),
      cut: fc.nat({ max: 10 }),
    });
    await fc.assert(
      fc.asyncProperty(aCutFile, async ({ order, last, withdrawn, eol, cut }) => {
        const columns = [...order.map((i) => COLUMNS[i] as string).filter((c) => c !== last), last];
        const twin = cellsOf({ person: 0, entity: 'contact', ownConsent: true, withdrawn: '0' }, 0);
        const optOut = cellsOf({ person: 0, entity: 'lead', ownConsent: true, withdrawn }, 1);
        const lastCell = optOut[last] as string;
        // The cut leaves a non-empty part of the last cell (a blank one already may be the list's).
        optOut[last] = lastCell.slice(0, 1 + (cut % (lastCell.length - 1)));
        const path = join(dir, 'selection.csv');
        writeFileSync(path, [columns, columns.map((c) => twin[c]), columns.map((c) => optOut[c])].map((l) => l.join(',')).join(eol));
        const { accepted, excluded } = await exportCsvConsentList(dir, path);
        expect(accepted).toEqual([]);
        const reasons = [...excluded].sort((a, b) => a.rowNumber - b.rowNumber).map((e) => e.reason);
        expect(reasons).toEqual(['consent_withdrawn', 'cut_last_line']);
      }),
      { numRuns: 100 },
    );
  });

  // A cut last line that cannot be read either (wider than its header, a stray quote): its salvage's
  // last cell may be cut too, and an opt-out `1` cut to nothing must not read "not set".
  it('keeps the opt-out of a malformed last line whose last cell, an opt-out, is cut to nothing', async () => {
    const aMalformedCut = fc.record({
      order: fc.shuffledSubarray(
        COLUMNS.filter((c) => c !== 'consent_withdrawn').map((_, i) => i),
        { minLength: COLUMNS.length - 1, maxLength: COLUMNS.length - 1 },
      ),
      withdrawn: fc.constantFrom(...SET),
      /** Empty cells a delimiter-laden description adds (0: a stray quote in it instead). */
      extra: fc.nat({ max: 7 }),
      huge: fc.boolean(),
      eol: fc.constantFrom('\n', '\r\n'),
    });
    await fc.assert(
      fc.asyncProperty(aMalformedCut, async ({ order, withdrawn, extra, huge, eol }) => {
        const others = COLUMNS.filter((c) => c !== 'consent_withdrawn');
        const columns = [...order.map((i) => others[i] as string), 'consent_withdrawn'];
        const twin = cellsOf({ person: 0, entity: 'contact', ownConsent: true, withdrawn: '0' }, 0);
        const optOut = cellsOf({ person: 0, entity: 'lead', ownConsent: true, withdrawn }, 1);
        const text = huge ? 'N'.repeat(70_000) : 'News';
        optOut['description'] = extra === 0 ? `${text}"s` : text + ','.repeat(extra);
        // The cut took the whole opt-out cell: the line ends in the delimiter before it.
        optOut['consent_withdrawn'] = '';
        const path = join(dir, 'selection.csv');
        writeFileSync(path, [columns, columns.map((c) => twin[c]), columns.map((c) => optOut[c])].map((l) => l.join(',')).join(eol));
        const { accepted } = await exportCsvConsentList(dir, path);
        expect(accepted).toEqual([]);
      }),
      { numRuns: 60 },
    );
  });

  it('reads that line under lastLineWithoutEnd: read, for a writer that never ends its last line', async () => {
    const path = join(dir, 'selection.csv');
    // Not an opt-out cell last: that one stays unread either way (a cut `1` reads as nothing).
    const header = 'recipient_id,email,opt_in_id,description,media_type,entity_type,entity_id,consent_withdrawn,first_name';
    writeFileSync(path, `${header}\nanna@example.com,anna@example.com,11,News,email,contact,c1,0,Anna`);
    const { accepted, excluded } = await exportCsvConsentList(dir, path, { lastLineWithoutEnd: 'read' });
    expect(excluded).toEqual([]);
    expect(accepted.map((a) => a.recipient.recipientId)).toEqual(['anna@example.com']);
  });

  it('takes only exclude or read as lastLineWithoutEnd, exclude by default', () => {
    const csv = (list: Record<string, unknown>) => ({ kind: 'csv', outbox: dir, lists: { l: { file: 'x.csv', ...list } } });
    const parsed = crmConfigSchema.parse(csv({}));
    expect(parsed.kind === 'csv' && parsed.lists.l?.lastLineWithoutEnd).toBe('exclude');
    for (const value of ['skip', '', true, 'EXCLUDE'])
      expect(crmConfigSchema.safeParse(csv({ lastLineWithoutEnd: value })).success).toBe(false);
  });
});
