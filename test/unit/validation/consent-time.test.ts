import fc from 'fast-check';
import { suppressionEventOf } from '../../../src/feedback/record-suppressions';
import type { ActiveSuppression } from '../../../src/store/suppression-types';
import { normaliseEmail } from '../../../src/validation/email-rule';
import type { Recipient } from '../../../src/validation/recipient';
import { consentGrantedAt, suppressionLookup } from '../../../src/validation/suppressions';

// Hostile consent times and address spellings against the consent promise at export: an opt-out
// read from Optimizely is only ever lifted by a CRM consent time that names a real instant in a later
// second, not in the future. The expected values come from the generators (the instant a text was
// written from), never from the parser under test.

const NOW = Date.parse('2026-03-31T00:00:00.000Z');
const FROM = Date.parse('2020-01-01T00:00:00.000Z');
const TO = NOW + 86_400_000;
const pad = (n: number, width = 2) => String(Math.abs(n)).padStart(width, '0');

/** A text naming one instant, written in any of the accepted shapes, and the instant it names. */
const aZonedText = fc
  .record({
    ms: fc.integer({ min: FROM, max: TO }),
    offset: fc.integer({ min: -(14 * 60 + 59), max: 14 * 60 + 59 }),
    seconds: fc.boolean(),
    fraction: fc.integer({ min: 0, max: 9 }),
    separator: fc.constantFrom('T', ' ', 't'),
    zone: fc.constantFrom('colon', 'plain', 'Z'),
    blank: fc.constantFrom('', ' ', '\t'),
  })
  .map(({ ms, offset, seconds, fraction, separator, zone, blank }) => {
    const useZ = zone === 'Z';
    const shift = useZ ? 0 : offset;
    const exact = seconds ? ms : ms - (ms % 60_000);
    const local = new Date(exact + shift * 60_000).toISOString();
    const digits = seconds && fraction > 0 ? `.${local.slice(20, 23).padEnd(fraction, '0').slice(0, fraction)}` : '';
    // The instant the text names: the written fraction digits only (none without seconds).
    const unit = 10 ** Math.max(0, 3 - fraction);
    const named = seconds ? exact - (exact % 1000) + Math.floor((exact % 1000) / unit) * unit * (fraction > 0 ? 1 : 0) : exact;
    const sign = shift < 0 ? '-' : '+';
    const zoneText = useZ ? 'Z' : `${sign}${pad(Math.trunc(shift / 60))}${zone === 'colon' ? ':' : ''}${pad(shift % 60)}`;
    const text = `${local.slice(0, 10)}${separator}${local.slice(11, seconds ? 19 : 16)}${digits}${zoneText}`;
    return { text: blank + text + blank, ms: named };
  });

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** A text with at least one field out of range: it names no instant and must not be rolled over. */
const aGarbledText = fc.oneof(
  fc
    .record({ month: fc.integer({ min: 1, max: 12 }), extra: fc.integer({ min: 1, max: 68 }) })
    .map(
      ({ month, extra }) =>
        `2026-${pad(month)}-${pad(DAYS_IN_MONTH[month - 1]! + Math.min(extra, 99 - DAYS_IN_MONTH[month - 1]!))}T10:00:00Z`,
    ),
  fc.integer({ min: 24, max: 99 }).map((h) => `2026-03-10T${pad(h)}:00:00Z`),
  fc.integer({ min: 60, max: 99 }).map((m) => `2026-03-10T10:${pad(m)}:00Z`),
  fc.integer({ min: 60, max: 99 }).map((s) => `2026-03-10T10:00:${pad(s)}Z`),
  fc.constantFrom(0, 13, 42, 99).map((m) => `2026-${pad(m)}-10T10:00:00Z`),
  fc.integer({ min: 15, max: 99 }).map((h) => `2026-03-10T10:00:00+${pad(h)}:00`),
  fc.integer({ min: 60, max: 99 }).map((m) => `2026-03-10T10:00:00-01:${pad(m)}`),
  fc.constantFrom(
    '2026-03-10',
    '2026-03-10T10:00:00',
    '2026-03-10T10:00+01',
    '1741600800000',
    'yesterday',
    '',
    ' ',
    '2026-3-10T10:00Z',
    '2026-03-10T10:00:00.1234567891Z',
  ),
);

describe('consentGrantedAt', () => {
  it('reads every accepted shape as the instant it names (or not at all when in the future)', () => {
    fc.assert(
      fc.property(aZonedText, ({ text, ms }) => {
        expect(consentGrantedAt(text, NOW)).toBe(ms <= NOW ? ms : undefined);
      }),
      { numRuns: 2000 },
    );
  });

  it('never reads a garbled time as some other instant', () => {
    fc.assert(
      fc.property(aGarbledText, (text) => {
        expect(consentGrantedAt(text, NOW)).toBeUndefined();
      }),
      { numRuns: 1000 },
    );
  });
});

// People with several spellings of the same address, as Optimizely (ClosedLoop) or the CRM may write
// them; `plus` is a different mailbox and must never be matched.
const PEOPLE = [
  {
    spellings: ['anna@münchen.de', 'Anna@MÜNCHEN.de', 'anna@xn--mnchen-3ya.de', 'ANNA@XN--MNCHEN-3YA.DE', ' anna@mu\u0308nchen.de '],
    plus: 'anna+news@münchen.de',
  },
  { spellings: ['bob@example.com', 'Bob@Example.COM', '\tbob@example.com\u00a0', '\ufeffBOB@EXAMPLE.COM'], plus: 'bob+1@example.com' },
];

const aConsent = fc.oneof(
  aZonedText.map((z) => ({ text: z.text, ms: z.ms as number | undefined })),
  // A time without zone has its own rule (naive-consent-time.test.ts).
  aGarbledText.filter((text) => !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/.test(text)).map((text) => ({ text, ms: undefined })),
);

describe('suppressionLookup with hostile spellings and consent times', () => {
  it('an unsubscribe is lifted only by a believable consent in a later second, under any spelling or plus form', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: PEOPLE.length - 1 }),
        fc.nat(10),
        fc.nat(10),
        fc.integer({ min: FROM, max: NOW }),
        fc.oneof(
          aConsent,
          fc.integer({ min: 0, max: 999 }).map((extra) => ({ text: '', ms: undefined as number | undefined, sameSecond: extra })),
        ),
        fc.boolean(),
        fc.boolean(),
        fc.boolean(),
        (who, reportedAs, storedAs, unsubscribedAt, consentSpec, allow, lowercaseLocalPart, asPlus) => {
          const person = PEOPLE[who]!;
          const reported = person.spellings[reportedAs % person.spellings.length]!;
          const event = suppressionEventOf(
            'unsubscribe',
            { recipientId: reported, timestamp: new Date(unsubscribedAt).toISOString(), recipientListId: '0' },
            'c',
            'closed_loop',
          );
          expect(event).toBeDefined();
          const active: ActiveSuppression[] = [{ kind: 'unsubscribe', recipientKey: event!.recipientKey, latestAt: event!.occurredAt }];
          // A consent in the same second as the unsubscribe, a few ms later: still the unsubscribe's second.
          const consent =
            'sameSecond' in consentSpec
              ? { text: new Date(unsubscribedAt - (unsubscribedAt % 1000) + consentSpec.sameSecond).toISOString(), ms: undefined }
              : consentSpec;
          const stored = asPlus ? person.plus : person.spellings[storedAs % person.spellings.length]!;
          const email = normaliseEmail(stored, { lowercaseLocalPart, idnDomains: 'punycode' });
          expect(email).toBeDefined();
          const recipient = { recipientId: email!, email: email! } as Recipient;
          const outcome = suppressionLookup({ active, allowResubscribe: allow, now: NOW })(recipient, { consent_granted_at: consent.text });
          const regrant =
            consent.ms !== undefined && consent.ms <= NOW && Math.floor(consent.ms / 1000) > Math.floor(unsubscribedAt / 1000);
          // A plus form of the address is the address's for an opt-out (docs/crm.md, "Suppression ledger").
          const expected = !regrant ? 'unsubscribed' : allow ? undefined : 'resubscribe_needs_optin';
          expect(outcome?.reason).toBe(expected);
        },
      ),
      { numRuns: 3000 },
    );
  });
});
