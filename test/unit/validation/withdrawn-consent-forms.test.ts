import fc from 'fast-check';
import type { CrmRow } from '../../../src/crm/crm-port';
import { exportAndValidate, type AcceptedRow } from '../../../src/validation/export-and-validate';
import { listRulesSchema } from '../../../src/validation/list-rules';
import type { Exclusion } from '../../../src/validation/recipient';
import { inMemoryCrm, row } from '../crm/in-memory-crm';

// One person in two rows: one clean, of the list's consent and medium exactly; one stating an opt-out
// under a consent and medium written another way. Only the exact form is the list's consent for
// sending (consent-id-forms.test.ts), but an opt-out is never ignored on a doubt: stated under a form
// a person reads as the list's consent (full-width digits, an invisible character, leading zeros,
// several consents in one cell, a wildcard) or with no consent or medium at all, it wins for the
// person ("Conflicting rows", docs/crm.md). Under a clearly other consent or medium it says nothing
// about this list, and the clean row is sent.

const DOUBTFUL_CONSENT: readonly unknown[] = [
  11,
  11n,
  '11',
  ' 11 ',
  '１１',
  '\u200b11',
  '11\u200d',
  '011',
  '0011',
  '11.0',
  '+11',
  '11,12',
  '12;11',
  '11 12',
  '12|11',
  '*',
  '',
  '  ',
  null,
  Number.NaN,
  { id: 11 },
];
const OTHER_CONSENT: readonly unknown[] = [12, '12', ' 12 ', '１２', '111', '1', '110', '012', '12,13'];
const DOUBTFUL_MEDIUM: readonly unknown[] = [
  'email',
  'EMAIL',
  'e-mail',
  'E-Mail',
  'ｅｍａｉｌ',
  'email\u200b',
  'e mail',
  'email,sms',
  'sms;email',
  '',
  null,
];
const OTHER_MEDIUM: readonly unknown[] = ['sms', 'SMS', 'ｓｍｓ', 'fax', 'post,sms'];
const SET: readonly unknown[] = [1, true, 'yes', 'Y', ' TRUE ', 'ｙｅｓ', '2026-01-01'];
const OPT_OUT_COLUMNS = ['consent_withdrawn', 'bounced', 'unsubscribed'] as const;

const aCase = fc.record({
  consent: fc.oneof(fc.constantFrom(...DOUBTFUL_CONSENT), fc.constantFrom(...OTHER_CONSENT)),
  medium: fc.oneof(fc.constantFrom(...DOUBTFUL_MEDIUM), fc.constantFrom(...OTHER_MEDIUM)),
  column: fc.constantFrom(...OPT_OUT_COLUMNS),
  value: fc.constantFrom(...SET),
  withdrawingFirst: fc.boolean(),
  address: fc.constantFrom('anna@example.com', 'ANNA@example.com', ' anna@Example.com '),
  recipientIdKind: fc.constantFrom<'email' | 'opaque'>('email', 'opaque'),
});

describe('an opt-out stated under another form of the list’s consent or medium', () => {
  it('wins for the person unless the form is clearly another consent or medium', async () => {
    await fc.assert(
      fc.asyncProperty(aCase, async ({ consent, medium, column, value, withdrawingFirst, address, recipientIdKind }) => {
        const id = (entity: string) => (recipientIdKind === 'email' ? address : entity);
        const clean = row({ recipient_id: id('C1'), entity_id: 'C1' });
        const withdrawing: CrmRow = row({
          recipient_id: id('L1'),
          email: address,
          entity_type: 'lead',
          entity_id: 'L1',
          opt_in_id: consent,
          media_type: medium,
          [column]: value,
        });
        const other = row({
          recipient_id: recipientIdKind === 'email' ? 'bob@example.com' : 'C2',
          email: 'bob@example.com',
          entity_id: 'C2',
        });
        const rows = withdrawingFirst ? [withdrawing, clean, other] : [clean, withdrawing, other];
        const accepted: AcceptedRow[] = [];
        const excluded: Exclusion[] = [];
        const counts = await exportAndValidate({
          crm: inMemoryCrm({ newsletter: rows }),
          rules: listRulesSchema.parse({ listKey: 'newsletter', optInId: '11', recipientIdKind }),
          accepted: { write: (a) => void accepted.push(a) },
          excluded: { write: (e) => void excluded.push(e) },
        });
        expect(counts.rowsRead).toBe(accepted.length + excluded.length);
        const saysNothingHere = OTHER_CONSENT.includes(consent) || OTHER_MEDIUM.includes(medium);
        const sent = accepted.map((a) => a.recipient.email).sort();
        expect(sent).toEqual(saysNothingHere ? ['anna@example.com', 'bob@example.com'] : ['bob@example.com']);
        if (!saysNothingHere) {
          const cleanExclusion = excluded.find((e) => e.entityId === 'C1');
          expect(cleanExclusion?.reason).toBe(column);
        }
      }),
      { numRuns: 400 },
    );
  });
});
