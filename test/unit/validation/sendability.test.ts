import fc from 'fast-check';
import { findOperation, SOAP_NAMESPACE } from '../../../src/optimizely/api/surface';
import { writeRequest } from '../../../src/optimizely/client/codec/request-writer';
import { escapeXmlText, isXmlText, stripNonXml } from '../../../src/optimizely/client/codec/xml-escape';
import type { Recipient } from '../../../src/validation/recipient';
import { checkSendability, lineEndsAsRead, storableText } from '../../../src/validation/sendability';
import { sendabilityPolicySchema, type SendabilityPolicyInput } from '../../../src/validation/sendability-policy';
import { hostileText } from '../../helpers/hostile-text';

const addAll3 = findOperation('Recipient', 'addAll3')!;
const MAPPING = { first_name: 'firstname', city: 'city' };
const policy = (input: SendabilityPolicyInput = {}) => sendabilityPolicySchema.parse(input);

function recipient(overrides: Partial<Recipient> = {}, attributes: Record<string, string> = {}): Recipient {
  return {
    recipientId: 'anna@example.com',
    email: 'anna@example.com',
    optInId: '11',
    description: 'Newsletter',
    mediaType: 'email',
    entityType: 'contact',
    entityId: 'C1',
    attributes: { firstname: 'Anna', city: 'Köln', ...attributes },
    ...overrides,
  };
}

/** The real request writer on one recipient, as the refill sends it. */
function encode(r: Recipient): string {
  const values = [
    r.optInId,
    r.description,
    r.mediaType,
    r.entityType,
    r.entityId,
    ...Object.values(MAPPING).map((f) => r.attributes[f] ?? null),
  ];
  const args = [
    'sid',
    1,
    0,
    [r.recipientId],
    [r.email],
    ['opt-in-id', 'description', 'media-type', 'entity-type', 'entity-id', 'firstname', 'city'],
    [values],
  ];
  return writeRequest({ service: 'Recipient', namespace: SOAP_NAMESPACE('Recipient'), operation: addAll3, args });
}

describe('the codec text functions', () => {
  it('refuse C0 controls, lone surrogates, U+FFFE and U+FFFF and keep tab, LF, CR and pairs', () => {
    for (const bad of ['\u0000', '\u0008', '\u000B', '\u001F', '\uD800', 'a\uDC00b', '\uFFFE', '\uFFFF'])
      expect(isXmlText(bad)).toBe(false);
    for (const good of ['\t', '\n', '\r', '😀', '\uE000', '\u200F', '\uFFFD', '\u0085']) expect(isXmlText(good)).toBe(true);
    expect(escapeXmlText('a\uD83Db')).toBeUndefined();
  });

  it('strip exactly the refused characters', () => {
    fc.assert(
      fc.property(hostileText, (text) => {
        const stripped = stripNonXml(text);
        expect(isXmlText(stripped)).toBe(true);
        if (isXmlText(text)) expect(stripped).toBe(text);
      }),
    );
  });

  it('agree with the request writer: text passes isXmlText exactly when it encodes', () => {
    fc.assert(
      fc.property(hostileText, (text) => {
        const encodes = (() => {
          try {
            encode(recipient({}, { firstname: text }));
            return true;
          } catch {
            return false;
          }
        })();
        expect(encodes).toBe(isXmlText(text));
      }),
    );
  });
});

describe('checkSendability', () => {
  it('strips a control character from an attribute and names the field', () => {
    const result = checkSendability(recipient({}, { firstname: 'An\u0008na' }), policy(), MAPPING);
    expect(result).toEqual({
      ok: true,
      recipient: recipient({}, { firstname: 'Anna' }),
      sanitized: [{ field: 'first_name', problem: 'invalid_characters' }],
    });
  });

  it('cuts an attribute to its per-field limit without splitting a surrogate pair', () => {
    const result = checkSendability(recipient({}, { city: '😀😀😀' }), policy({ maxLengths: { city: 2 } }), MAPPING);
    expect(result).toMatchObject({
      ok: true,
      recipient: { attributes: { city: '😀😀' } },
      sanitized: [{ field: 'city', problem: 'value_too_long' }],
    });
  });

  it('counts length in code points: an emoji is one', () => {
    expect(checkSendability(recipient({}, { city: '😀😀' }), policy({ maxLengths: { city: 2 } }), MAPPING)).toMatchObject({
      ok: true,
      sanitized: [],
    });
  });

  it('excludes with the reason and field when the policy says exclude', () => {
    const p = policy({ invalidAttributeValues: 'exclude', maxLengths: { city: 10 } });
    expect(checkSendability(recipient({}, { firstname: 'A\u0000' }), p, MAPPING)).toEqual({
      ok: false,
      reason: 'invalid_characters',
      field: 'first_name',
    });
    expect(checkSendability(recipient({}, { city: 'x'.repeat(11) }), p, MAPPING)).toEqual({
      ok: false,
      reason: 'value_too_long',
      field: 'city',
    });
  });

  it('never changes the recipient id, address or technical fields: the row is excluded', () => {
    expect(checkSendability(recipient({ recipientId: 'id\uD800' }), policy(), MAPPING)).toEqual({
      ok: false,
      reason: 'invalid_characters',
      field: 'recipient_id',
    });
    expect(checkSendability(recipient({ entityId: 'C\u0001' }), policy(), MAPPING)).toEqual({
      ok: false,
      reason: 'invalid_characters',
      field: 'entity_id',
    });
    expect(checkSendability(recipient({ description: 'd'.repeat(256) }), policy(), MAPPING)).toEqual({
      ok: false,
      reason: 'value_too_long',
      field: 'description',
    });
    expect(checkSendability(recipient({ entityId: 'C'.repeat(40) }), policy({ maxLengths: { entity_id: 36 } }), MAPPING)).toMatchObject({
      reason: 'value_too_long',
    });
  });

  it('leaves the input recipient unchanged', () => {
    const input = recipient({}, { firstname: 'A\u0001' });
    checkSendability(input, policy(), MAPPING);
    expect(input.attributes.firstname).toBe('A\u0001');
  });

  it('passes a clean recipient through as it is', () => {
    const input = recipient();
    expect(checkSendability(input, policy(), MAPPING)).toEqual({ ok: true, recipient: input, sanitized: [] });
  });

  const hostileRecipient = fc
    .record({
      recipientId: hostileText,
      email: hostileText,
      description: hostileText,
      entityId: hostileText,
      firstname: hostileText,
      city: hostileText,
    })
    .map(({ firstname, city, ...fixed }) => recipient(fixed, { firstname, city }));
  const anyPolicy = fc.record({
    invalidAttributeValues: fc.constantFrom('strip' as const, 'exclude' as const),
    maxLength: fc.integer({ min: 1, max: 400 }),
    maxLengths: fc.dictionary(fc.constantFrom('first_name', 'city', 'entity_id', 'recipient_id'), fc.integer({ min: 1, max: 6000 })),
  });

  it('accepts only recipients the real request writer encodes, changing only what it reports', () => {
    fc.assert(
      fc.property(hostileRecipient, anyPolicy, (input, raw) => {
        const p = policy(raw);
        const result = checkSendability(input, p, MAPPING);
        if (!result.ok) {
          expect(['invalid_characters', 'value_too_long']).toContain(result.reason);
          return;
        }
        expect(() => encode(result.recipient)).not.toThrow();
        const { attributes: before, ...fixedBefore } = input;
        const { attributes: after, ...fixedAfter } = result.recipient;
        // Line ends are written as an XML reader gives them back: that is no reported change.
        expect(fixedAfter).toEqual({ ...fixedBefore, description: lineEndsAsRead(fixedBefore.description) });
        const changed = Object.entries(MAPPING)
          .filter(([, field]) => lineEndsAsRead(before[field] as string) !== after[field])
          .map(([column]) => column);
        expect(result.sanitized.map((s) => s.field)).toEqual(changed);
        if (p.invalidAttributeValues === 'exclude') expect(changed).toEqual([]);
      }),
      { numRuns: 500 },
    );
  });

  it('excludes every row whose recipient id, address or technical field cannot be sent, whatever the policy', () => {
    fc.assert(
      fc.property(hostileRecipient, anyPolicy, (input, raw) => {
        const p = policy(raw);
        const fixedOk = [input.recipientId, input.email, input.description, input.entityId].every((v) => isXmlText(v));
        const result = checkSendability(input, p, MAPPING);
        if (!fixedOk) expect(result.ok).toBe(false);
      }),
    );
  });
});

describe('storableText', () => {
  it('keeps what any store can hold, cut to a bound', () => {
    fc.assert(
      fc.property(hostileText, (text) => {
        const kept = storableText(text, 100);
        expect(isXmlText(kept)).toBe(true);
        expect([...kept].length).toBeLessThanOrEqual(100);
      }),
    );
  });
});
