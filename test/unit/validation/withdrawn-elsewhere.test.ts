import fc from 'fast-check';
import type { CrmRow } from '../../../src/crm/crm-port';
import { checkEmail } from '../../../src/validation/email-rule';
import { suppressionKey, suppressionLookup } from '../../../src/validation/suppressions';
import { row } from '../crm/in-memory-crm';
import { validateNewsletter } from '../../helpers/validate-newsletter';

// One person in several rows of the list's consent (a contact and a lead with one address, one
// entity twice through a join) whose rows disagree: any withdrawal wins for every row of that
// recipient id or address, whatever the spelling of the opt-out or of the address, and whatever the
// order of the rows. Every row still ends in exactly one sink.

/** Opt-out cells that say "set" (an oracle of its own, not the export's `truthy`). */
const SET = [1, true, 2n, 'yes', 'ja', 'Y', 'TRUE ', ' 1', 'x', '2026-01-01', new Date(0), '\u200b', 'ｙｅｓ', NaN, { at: 1 }] as const;
/** Opt-out cells that clearly say "not set". */
const NOT_SET = [null, undefined, 0, 0n, false, '', '  ', 'no', 'N', 'false', 'F', 'NULL', ' 0 '] as const;
const OPT_OUT_COLUMNS = ['consent_withdrawn', 'bounced', 'unsubscribed'] as const;

const PEOPLE = ['anna@example.com', 'bob@example.com', 'cy@example.com'];
/** How a CRM may spell one address: case, blanks (all folded by the export). */
const spelled = (address: string) => fc.constantFrom(address, address.toUpperCase(), ` ${address} `, address.replace('a', 'A'));

interface Drawn {
  person: number;
  email: string;
  entityType: string;
  entityId: string;
  optOut: { column: (typeof OPT_OUT_COLUMNS)[number]; value: unknown } | undefined;
  notSet: unknown;
  otherConsent: boolean;
}

const drawnRow: fc.Arbitrary<Drawn> = fc
  .record({
    person: fc.nat({ max: PEOPLE.length - 1 }),
    entityType: fc.constantFrom('contact', 'lead', 'account', 'Contact'),
    entityId: fc.constantFrom('1', '2', '3'),
    optOut: fc.option(fc.record({ column: fc.constantFrom(...OPT_OUT_COLUMNS), value: fc.constantFrom(...SET) }), { freq: 3 }),
    notSet: fc.constantFrom(...NOT_SET),
    otherConsent: fc.nat({ max: 5 }).map((n) => n === 0),
  })
  .chain((d) => spelled(PEOPLE[d.person] as string).map((email) => ({ ...d, email, optOut: d.optOut ?? undefined })));

function crmRow(d: Drawn, recipientIdOf: (d: Drawn) => string): CrmRow {
  const cells: Record<string, unknown> = { consent_withdrawn: d.notSet, bounced: d.notSet, unsubscribed: d.notSet };
  if (d.optOut) cells[d.optOut.column] = d.optOut.value;
  return row({
    recipient_id: recipientIdOf(d),
    email: d.email,
    entity_type: d.entityType,
    entity_id: `${d.entityType[0]}${d.entityId}`,
    opt_in_id: d.otherConsent ? 12 : 11,
    ...cells,
  });
}

/** The people some row of the list's consent withdrew for (the other consent's rows say nothing here). */
const withdrawnPeople = (drawn: readonly Drawn[]) => new Set(drawn.filter((d) => d.optOut && !d.otherConsent).map((d) => d.person));

describe('a withdrawal in one row wins for every row of the person', () => {
  it('sends nobody any row of the list consent withdrew, whatever the spelling and order (recipient id = address)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(drawnRow, { minLength: 1, maxLength: 12 }), async (drawn) => {
        const { counts, accepted, excluded } = await validateNewsletter(drawn.map((d) => crmRow(d, (x) => x.email)));
        const withdrawn = withdrawnPeople(drawn);
        for (const a of accepted) expect(withdrawn.has(PEOPLE.indexOf(a.recipient.email))).toBe(false);
        // Everyone with a clean row of the consent and no withdrawal anywhere is still sent, once.
        const clean = new Set(drawn.filter((d) => !d.otherConsent && !withdrawn.has(d.person)).map((d) => d.person));
        expect(accepted.map((a) => PEOPLE.indexOf(a.recipient.email)).sort()).toEqual([...clean].sort());
        expect(counts.rowsRead).toBe(accepted.length + excluded.length);
        expect(excluded.every((e) => e.reason !== 'duplicate' || !withdrawn.has(PEOPLE.indexOf(e.recipientId ?? '')))).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('matches on the address too when the recipient ids are opaque CRM ids', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(drawnRow, { minLength: 1, maxLength: 12 }), async (drawn) => {
        const { accepted } = await validateNewsletter(
          drawn.map((d) => crmRow(d, (x) => `${x.entityType}-${x.entityId}`)),
          { recipientIdKind: 'opaque' },
        );
        const withdrawn = withdrawnPeople(drawn);
        for (const a of accepted) expect(withdrawn.has(PEOPLE.indexOf(a.recipient.email))).toBe(false);
      }),
      { numRuns: 300 },
    );
  });

  it('carries a suppression-ledger unsubscribe found on one row to a row of the same address under another id', async () => {
    const suppression = suppressionLookup({
      active: [{ kind: 'unsubscribe', recipientKey: 'crm-1', latestAt: '2026-03-01T00:00:00.000Z' }],
      allowResubscribe: false,
      now: Date.parse('2026-04-01T00:00:00.000Z'),
    });
    const rows = [row({ recipient_id: 'crm-1', entity_id: 'C1' }), row({ recipient_id: 'crm-2', entity_type: 'lead', entity_id: 'L1' })];
    const { accepted, excluded } = await validateNewsletter(rows, { recipientIdKind: 'opaque' }, suppression);
    expect(accepted).toEqual([]);
    expect(excluded.map((e) => [e.reason, e.field, e.entityId])).toEqual([
      ['unsubscribed', 'recipient_id', 'C1'],
      ['unsubscribed', 'recipient_id (row 1)', 'L1'],
    ]);
  });

  it('names the row that stated the withdrawal', async () => {
    const { excluded } = await validateNewsletter([row({ entity_type: 'lead', entity_id: 'L1' }), row({ consent_withdrawn: 'ja' })]);
    expect(excluded.map((e) => [e.rowNumber, e.reason, e.field])).toEqual([
      [2, 'consent_withdrawn', 'consent_withdrawn'],
      [1, 'consent_withdrawn', 'consent_withdrawn (row 2)'],
    ]);
  });

  it('an accepted address is its own suppression key in lower case (the look-up relies on it)', () => {
    fc.assert(
      fc.property(
        fc.emailAddress(),
        fc.boolean(),
        fc.constantFrom<'reject' | 'punycode'>('reject', 'punycode'),
        (address, lowercaseLocalPart, idnDomains) => {
          const check = checkEmail(address, { lowercaseLocalPart, idnDomains });
          if (check.ok) expect(suppressionKey(check.address)).toBe(check.address.toLowerCase());
        },
      ),
      { numRuns: 2000 },
    );
  });
});
