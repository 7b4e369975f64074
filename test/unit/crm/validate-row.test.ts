import { listRulesSchema } from '../../../src/validation/list-rules';
import { validateRow } from '../../../src/validation/validate-row';
import { row } from './in-memory-crm';

const rules = listRulesSchema.parse({ listKey: 'newsletter', optInId: 11, attributes: { first_name: 'firstname' } });

describe('validateRow', () => {
  it('accepts a valid row as a normalised recipient with mapped attributes', () => {
    const result = validateRow(row({ email: ' Anna@Example.COM', recipient_id: 'ANNA@example.com', entity_type: 'Contact' }), rules, 1);
    expect(result).toEqual({
      ok: true,
      recipient: {
        recipientId: 'anna@example.com',
        email: 'anna@example.com',
        optInId: '11',
        description: 'Newsletter',
        mediaType: 'email',
        entityType: 'contact',
        entityId: 'C1',
        attributes: { firstname: 'Anna' },
      },
      idnConverted: false,
    });
  });

  it.each([
    ['missing_field', 'entity_id', { entity_id: null }],
    ['missing_field', 'email', { email: '   ' }],
    ['missing_field', 'opt_in_id', { opt_in_id: undefined }],
    ['consent_mismatch', 'opt_in_id', { opt_in_id: 12 }],
    ['media_type_mismatch', 'media_type', { media_type: 'sms' }],
    ['unknown_entity_type', 'entity_type', { entity_type: 'partner' }],
    ['invalid_email', 'email', { email: 'anna.example.com' }],
    ['invalid_email', 'recipient_id', { recipient_id: 'not an address' }],
    ['invalid_email', 'email', { email: "=cmd|'/ccalc'!a0@evil.com" }],
    ['invalid_email', 'email', { email: 'a@exampl\u212A.com' }],
    ['idn_domain', 'email', { email: 'anna@münchen.de' }],
    ['idn_domain', 'recipient_id', { recipient_id: 'anna@münchen.de' }],
    ['consent_withdrawn', 'consent_withdrawn', { consent_withdrawn: 1 }],
    ['bounced', 'bounced', { bounced: 'true' }],
    ['unsubscribed', 'unsubscribed', { unsubscribed: true }],
  ])('names %s on field %s', (reason, field, overrides) => {
    expect(validateRow(row(overrides), rules, 7)).toEqual({ ok: false, reason, field, rowNumber: 7 });
  });

  it('reports a row of another consent as consent_mismatch even when its address is invalid too', () => {
    expect(validateRow(row({ opt_in_id: '12', email: 'broken' }), rules, 1)).toMatchObject({ reason: 'consent_mismatch' });
  });

  it('keeps opaque recipient ids as they are, trimmed', () => {
    const opaque = listRulesSchema.parse({ listKey: 'l', optInId: '11', recipientIdKind: 'opaque' });
    expect(validateRow(row({ recipient_id: ' CRM-42 ' }), opaque, 1)).toMatchObject({ ok: true, recipient: { recipientId: 'CRM-42' } });
  });

  it('does not suppress on falsy flag columns', () => {
    expect(validateRow(row({ bounced: 0, consent_withdrawn: 'false', unsubscribed: null }), rules, 1).ok).toBe(true);
  });

  it.each([2, 'X', 'on', 'ja', '2026-11-29', new Date('2026-11-29T10:00:00Z'), new Date(Number.NaN), Number.NaN, { withdrawn: true }, -1])(
    'takes an opt-out column it cannot read as "not set" (%p) as set: never a reason to send',
    (value) => {
      expect(validateRow(row({ consent_withdrawn: value }), rules, 1)).toMatchObject({
        ok: false,
        reason: 'consent_withdrawn',
        field: 'consent_withdrawn',
      });
    },
  );

  it.each([0, 0n, false, null, undefined, '', ' ', '0', 'F', 'false', 'N', 'No', 'NULL'])(
    'does not suppress on a clear "not set" (%p)',
    (value) => {
      expect(validateRow(row({ consent_withdrawn: value, bounced: value, unsubscribed: value }), rules, 1).ok).toBe(true);
    },
  );

  it('converts Unicode domains of the address and the recipient id under the punycode policy, once per row', () => {
    const idn = listRulesSchema.parse({ listKey: 'l', optInId: 11, idnDomains: 'punycode' });
    expect(validateRow(row({ email: 'Anna@München.de', recipient_id: 'anna@münchen.de' }), idn, 1)).toMatchObject({
      ok: true,
      recipient: { email: 'anna@xn--mnchen-3ya.de', recipientId: 'anna@xn--mnchen-3ya.de' },
      idnConverted: true,
    });
  });

  it('accepts a missing description as empty', () => {
    expect(validateRow(row({ description: null }), rules, 1)).toMatchObject({ ok: true, recipient: { description: '' } });
  });
});
