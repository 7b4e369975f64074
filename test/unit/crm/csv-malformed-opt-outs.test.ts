import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { exportCsvConsentList } from '../../helpers/export-csv-selection';

// One person in several lines of a CSV CRM file (a contact and its lead twin), one of them stating an
// opt-out, and some lines damaged where no consent is written: Latin-1 bytes in a UTF-8 file
// (`Müller`), a stray quote (`O"Brien`), text after a closing quote. A damaged line is excluded as
// `malformed_row` (its values are never used), but the opt-out it states is not lost with it: the
// person's clean twin is never sent on it. Every line read ends in exactly one sink.

const COLUMNS = [
  'recipient_id',
  'email',
  'opt_in_id',
  'description',
  'media_type',
  'entity_type',
  'entity_id',
  'first_name',
  'consent_withdrawn',
  'bounced',
  'unsubscribed',
];
const PEOPLE = ['anna@example.com', 'bob@example.com', 'cy@example.com'];
const SET = ['1', 'yes', 'TRUE', 'ja', '2026-01-01'];
const NOT_SET = ['', '0', 'no', 'false'];
type Damage = 'none' | 'latin1' | 'stray-quote' | 'after-quote';
const DAMAGED_NAME: Record<Damage, Buffer> = {
  none: Buffer.from('Anna'),
  latin1: Buffer.from([0x4d, 0xfc, 0x6c, 0x6c, 0x65, 0x72]), // Müller in Latin-1
  'stray-quote': Buffer.from('O"Brien'),
  'after-quote': Buffer.from('"Ann"a'),
};

const aLine = fc.record({
  person: fc.nat({ max: PEOPLE.length - 1 }),
  entity: fc.constantFrom('contact', 'lead'),
  ownConsent: fc.nat({ max: 4 }).map((n) => n > 0),
  optOut: fc.option(fc.record({ column: fc.constantFrom(8, 9, 10), value: fc.constantFrom(...SET) }), { freq: 3 }),
  notSet: fc.constantFrom(...NOT_SET),
  damage: fc.constantFrom<Damage>('none', 'none', 'latin1', 'stray-quote', 'after-quote'),
});
type Line = typeof aLine extends fc.Arbitrary<infer T> ? T : never;

function lineBytes(line: Line, index: number, eol: string): Buffer {
  const email = PEOPLE[line.person] as string;
  const cells = [email, email, line.ownConsent ? '11' : '12', 'News', 'email', line.entity, `${line.entity[0]}${index}`];
  const optOuts = [8, 9, 10].map((column) => (line.optOut?.column === column ? line.optOut.value : line.notSet));
  return Buffer.concat([Buffer.from(`${cells.join(',')},`), DAMAGED_NAME[line.damage], Buffer.from(`,${optOuts.join(',')}${eol}`)]);
}

let dir: string;
beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'cs-csv-malformed-'))));
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('a damaged CSV CRM line stating an opt-out', () => {
  it('is excluded as malformed and its opt-out still wins for the person', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(aLine, { minLength: 1, maxLength: 10 }), fc.constantFrom('\n', '\r\n'), async (lines, eol) => {
        const path = join(dir, 'selection.csv');
        writeFileSync(path, Buffer.concat([Buffer.from(COLUMNS.join(',') + eol), ...lines.map((l, i) => lineBytes(l, i, eol))]));
        const { counts, accepted, excluded } = await exportCsvConsentList(dir, path);
        expect(counts.rowsRead).toBe(lines.length);
        expect(accepted.length + excluded.length).toBe(lines.length);
        // Every damaged line is malformed, whatever it states.
        expect(excluded.filter((e) => e.reason === 'malformed_row').length).toBe(lines.filter((l) => l.damage !== 'none').length);
        const withdrawn = new Set(lines.filter((l) => l.ownConsent && l.optOut).map((l) => PEOPLE[l.person]));
        expect(accepted.map((a) => a.recipient.email).filter((email) => withdrawn.has(email))).toEqual([]);
        // A person no line withdrew, with an undamaged line of the consent, is sent.
        const clean = new Set(lines.filter((l) => l.ownConsent && l.damage === 'none').map((l) => PEOPLE[l.person]));
        const expected = [...clean].filter((email) => !withdrawn.has(email)).sort();
        expect(accepted.map((a) => a.recipient.email).sort()).toEqual(expected);
      }),
      { numRuns: 150 },
    );
  });
});
