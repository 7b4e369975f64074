import fc from 'fast-check';
import { exportAndValidate, type AcceptedRow } from '../../../src/validation/export-and-validate';
import { listRulesSchema } from '../../../src/validation/list-rules';
import type { Exclusion, Recipient } from '../../../src/validation/recipient';
import { suppressionLookup } from '../../../src/validation/suppressions';
import { inMemoryCrm, row } from '../crm/in-memory-crm';

// Checked and found sound: a row's consent (`opt_in_id`) and medium (`media_type`) in any spelling or
// type a CRM may hand over. Only the list's own consent, as text or number with blanks around it,
// and its medium in any letter case are the list's; every other form (a leading zero, full-width
// digits, several consents in one cell, a pattern, an invisible character, a look-alike letter, a
// fraction) is another consent or medium and the row is excluded with that reason, never sent.

const OWN_CONSENT: readonly unknown[] = [11, 11n, 11.0, '11', ' 11 ', '\t11\n', '\u00a011'];
const OTHER_CONSENT: readonly unknown[] = [
  '011',
  '１１',
  '11,12',
  '11;12',
  '11 12',
  '11|12',
  '*',
  '%',
  '1%',
  '\u200b11',
  '11\u200d',
  'eleven',
  '11.5',
  11.5,
  -11,
  '0x0b',
  '1.1e1',
  '+11',
  true,
  12,
];
const OWN_MEDIUM: readonly unknown[] = ['email', 'EMAIL', ' Email ', 'eMail'];
const OTHER_MEDIUM: readonly unknown[] = ['e-mail', 'ｅｍａｉｌ', 'email,sms', 'emаil' /* Cyrillic а */, 'email\u200b', 'sms', 'mail', 1];

describe('a row’s consent and medium in any form', () => {
  it('is the list’s only when it is the list’s consent and medium as text; anything else is excluded with its reason', async () => {
    const consent = fc.oneof(fc.constantFrom(...OWN_CONSENT), fc.constantFrom(...OTHER_CONSENT));
    const medium = fc.oneof(fc.constantFrom(...OWN_MEDIUM), fc.constantFrom(...OTHER_MEDIUM));
    await fc.assert(
      fc.asyncProperty(consent, medium, async (optIn, media) => {
        const accepted: AcceptedRow[] = [];
        const excluded: Exclusion[] = [];
        await exportAndValidate({
          crm: inMemoryCrm({ newsletter: [row({ opt_in_id: optIn, media_type: media })] }),
          rules: listRulesSchema.parse({ listKey: 'newsletter', optInId: '11' }),
          accepted: { write: (a) => void accepted.push(a) },
          excluded: { write: (e) => void excluded.push(e) },
        });
        const ownConsent = OWN_CONSENT.includes(optIn);
        const ownMedium = OWN_MEDIUM.includes(media);
        if (ownConsent && ownMedium) {
          expect(accepted.map((a) => [a.recipient.optInId, a.recipient.mediaType])).toEqual([['11', 'email']]);
        } else {
          expect(accepted).toEqual([]);
          expect(excluded.map((e) => e.reason)).toEqual([ownConsent ? 'media_type_mismatch' : 'consent_mismatch']);
        }
      }),
      { numRuns: 400 },
    );
  });
});

// Checked and found sound: a consent time of any other type than an ISO text. Numbers (epoch seconds
// or milliseconds), bigints, booleans and bytes name no instant the export trusts, so the unsubscribe
// wins; a database Date (PostgreSQL timestamptz) is its own instant, believed only up to now (epoch 0
// and the far past lie before any unsubscribe; an invalid or future Date is no consent time).
describe('a consent time of any type after an unsubscribe', () => {
  const NOW = Date.parse('2026-03-31T00:00:00.000Z');
  const UNSUBSCRIBED = Date.parse('2026-03-10T12:00:00.000Z');
  const lookup = suppressionLookup({
    active: [{ kind: 'unsubscribe', recipientKey: 'anna@example.com', latestAt: new Date(UNSUBSCRIBED).toISOString() }],
    allowResubscribe: true,
    now: NOW,
  });
  const recipient = { recipientId: 'anna@example.com', email: 'anna@example.com' } as Recipient;
  const later = fc.integer({ min: UNSUBSCRIBED + 1000, max: NOW });

  it('lifts the unsubscribe only for a Date in a later second, not after now', () => {
    const anyValue = fc.oneof(
      later.map((ms) => ms),
      later.map((ms) => Math.floor(ms / 1000)),
      later.map((ms) => BigInt(ms)),
      fc.boolean(),
      later.map((ms) => Buffer.from(new Date(ms).toISOString())),
      fc.date({ noInvalidDate: false }),
      fc.constantFrom(new Date(0), new Date(-8.64e15), new Date(NOW + 1000), new Date(Number.NaN), new Date(UNSUBSCRIBED + 999)),
      later.map((ms) => new Date(ms)),
    );
    fc.assert(
      fc.property(anyValue, (value) => {
        const decided = lookup(recipient, { consent_granted_at: value });
        const lifts =
          value instanceof Date && Math.floor(value.getTime() / 1000) > Math.floor(UNSUBSCRIBED / 1000) && value.getTime() <= NOW;
        expect(decided).toEqual(lifts ? undefined : { reason: 'unsubscribed', field: 'recipient_id' });
      }),
      { numRuns: 500 },
    );
  });
});
