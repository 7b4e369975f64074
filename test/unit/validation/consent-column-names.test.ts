import fc from 'fast-check';
import { crmConfigSchema } from '../../../src/crm/crm-config';
import { CONSENT_COLUMNS, checkSelectionColumnNames, consentColumnNearMiss } from '../../../src/crm/selection-column-names';
import { CrmSelectionAmbiguousError } from '../../../src/errors/crm-selection-ambiguous-error';
import { exportAndValidate, type AcceptedRow } from '../../../src/validation/export-and-validate';
import { listRulesSchema } from '../../../src/validation/list-rules';
import type { Exclusion } from '../../../src/validation/recipient';
import { selectionColumns } from '../../../src/validation/validate-row';
import { inMemoryCrm, row } from '../crm/in-memory-crm';

// A consent column is optional and read by its exact name, so a selection returning it under another
// spelling (`Unsubscribed`, `consent-withdrawn`, `unsubscribed_at`, full-width or with a zero-width
// space) had its opt-outs ignored and every row sent. Such a selection now fails the export before
// any row is used; exact names, mapped attributes and unrelated columns pass as before.

const OPT_OUTS = ['consent_withdrawn', 'bounced', 'unsubscribed'];

/** Another spelling of `name`: letter case, separators, padding, full width, invisible characters, suffixes. */
const respelled = (name: string): fc.Arbitrary<string> =>
  fc
    .record({
      upper: fc.array(fc.boolean(), { minLength: name.length, maxLength: name.length }),
      separator: fc.constantFrom('_', '-', ' ', '.', '_'),
      pad: fc.constantFrom('', ' ', '\t'),
      fullWidth: fc.boolean(),
      invisible: fc.constantFrom('', '\u200b', '\u00ad', '\ufeff'),
      suffix: fc.constantFrom('', '', '_at', '-date', ' flag', '_status'),
    })
    .map(({ upper, separator, pad, fullWidth, invisible, suffix }) => {
      let text = [...name].map((c, i) => (upper[i] ? c.toUpperCase() : c)).join('');
      text = text.replace(/_/g, separator) + suffix;
      if (fullWidth) text = text.replace(/[a-z]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0));
      return pad + text.slice(0, 2) + invisible + text.slice(2) + pad;
    })
    .filter((text) => text !== name);

async function exportRows(rows: Record<string, unknown>[], attributes: Record<string, string> = {}) {
  const accepted: AcceptedRow[] = [];
  const excluded: Exclusion[] = [];
  const work = exportAndValidate({
    crm: inMemoryCrm({ newsletter: rows }),
    rules: listRulesSchema.parse({ listKey: 'newsletter', optInId: 11, attributes }),
    accepted: { write: (a) => void accepted.push(a) },
    excluded: { write: (e) => void excluded.push(e) },
  });
  return { work, accepted, excluded };
}

describe('consent columns under another name', () => {
  it('fails the export, sending nobody, when an opt-out column comes under any other spelling', async () => {
    const variant = fc.constantFrom(...OPT_OUTS).chain((column) => respelled(column).map((name) => ({ column, name })));
    await fc.assert(
      fc.asyncProperty(variant, fc.constantFrom(1, 'yes', 'ja', true, '2026-01-01'), async ({ column, name }, value) => {
        const { work, accepted } = await exportRows([row({ [name]: value, entity_id: 'C1' }), row({ entity_id: 'C2' })]);
        await expect(work).rejects.toThrow(CrmSelectionAmbiguousError);
        await expect(work).rejects.toThrow(`name it ${column}`);
        expect(accepted).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });

  it('names consent_granted_at under another spelling too (an unknown consent time would be read as none)', () => {
    fc.assert(
      fc.property(respelled('consent_granted_at'), (name) => {
        expect(consentColumnNearMiss(name)).toBe('consent_granted_at');
      }),
    );
  });

  it('lets exact names, mapped attributes and unrelated columns through', async () => {
    const unrelated = fc.constantFrom('city', 'first_name', 'segment', 'bounce_rate_total', 'unsubscribe_link', 'consents', 'status', 'x');
    await fc.assert(
      fc.asyncProperty(fc.subarray([...CONSENT_COLUMNS]), unrelated, async (present, extra) => {
        const cells = Object.fromEntries(present.map((c) => [c, null]));
        const { work } = await exportRows([row({ ...cells, [extra]: 'v', Unsubscribed_At: '2026-01-01' })], {
          Unsubscribed_At: 'unsub_date',
        });
        await expect(work).resolves.toEqual(expect.objectContaining({ accepted: 1 }));
      }),
    );
  });

  it('refuses a column the export reads returned twice, and lets any other repeated name pass', () => {
    const read = [...selectionColumns({ city: 'city' }), ...CONSENT_COLUMNS];
    for (const column of read) {
      expect(() => checkSelectionColumnNames('newsletter', [...read, column], { city: 'city' })).toThrow(
        `returns the column ${column} twice (fields ${read.indexOf(column) + 1} and ${read.length + 1})`,
      );
    }
    expect(() => checkSelectionColumnNames('newsletter', [...read, 'id', 'id'], { city: 'city' })).not.toThrow();
  });
});

describe('an exchange file’s consent column mapped away', () => {
  it('refuses a columns mapping that gives a file consent column (any spelling) another name, naming it', () => {
    const theirs = fc.oneof(
      fc.constantFrom(...CONSENT_COLUMNS),
      fc.constantFrom(...OPT_OUTS).chain(respelled),
      fc.constantFrom('Abgemeldet_unsub', 'opt-out', 'Opted Out', 'UNSUB'),
    );
    const ours = fc.constantFrom('unsub_flag', 'first_name', 'status', 'x');
    fc.assert(
      fc.property(theirs, ours, (from, to) => {
        const parsed = crmConfigSchema.safeParse({
          kind: 'csv',
          outbox: '/out',
          lists: { newsletter: { file: '/in.csv', columns: { [from]: to } } },
        });
        const meant = CONSENT_COLUMNS.includes(from.trim()) ? from.trim() : consentColumnNearMiss(from);
        if (meant === undefined) return;
        expect(parsed.success).toBe(false);
        expect(parsed.error?.issues.map((i) => i.message).join('\n')).toContain(
          `is mapped to ${to}: its opt-outs would be ignored; map it to ${meant}`,
        );
      }),
    );
  });

  it('accepts a file consent column mapped to our exact name', () => {
    // `Opt-Out` reads as unsubscribed: mapped to bounced it is refused.
    expect(
      crmConfigSchema.safeParse({
        kind: 'csv',
        outbox: '/out',
        lists: { newsletter: { file: '/in.csv', columns: { 'Opt-Out': 'bounced' } } },
      }).success,
    ).toBe(false);
    expect(
      crmConfigSchema.safeParse({
        kind: 'csv',
        outbox: '/out',
        lists: { newsletter: { file: '/in.csv', columns: { Unsubscribed: 'unsubscribed' } } },
      }).success,
    ).toBe(true);
  });
});
