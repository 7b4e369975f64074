import fc from 'fast-check';
import type { ActiveSuppression } from '../../../src/store/suppression-types';
import type { Recipient } from '../../../src/validation/recipient';
import { suppressionLookup } from '../../../src/validation/suppressions';

// A consent time without a zone (a PostgreSQL `timestamp without time zone`, a naive SQLite or CSV
// text) was read in the worker's zone: the same CRM row could re-subscribe someone on one worker and
// not on another. Consent is never guessed: such a time may be any instant within ±14 h of its fields
// read as UTC, and it lifts an unsubscribe only when even its earliest instant is in a later second.
// Whatever zone the CRM wrote it in (UTC−12:00 to UTC+14:00), a re-grant is let through only when the
// consent truly came after the unsubscribe; one that may lie on either side is excluded with its own
// reason. Expected values come from the generators (the instant and zone a text was written from).

const NOW = Date.parse('2026-03-31T00:00:00.000Z');
const HOUR = 3_600_000;
const SPAN = 14 * HOUR;
const UNSUBSCRIBED_FROM = Date.parse('2026-01-01T00:00:00.000Z');

/** The fields of `ms` on a wall clock `offsetMinutes` east of UTC, as a CRM without zones writes them. */
function naiveText(ms: number, offsetMinutes: number, shape: { separator: string; seconds: boolean; fraction: boolean }): string {
  const wall = new Date(ms + offsetMinutes * 60_000).toISOString();
  const time = shape.seconds ? wall.slice(11, shape.fraction ? 23 : 19) : wall.slice(11, 16);
  return `${wall.slice(0, 10)}${shape.separator}${time}`;
}

const aCase = fc.record({
  unsubscribedAt: fc.integer({ min: UNSUBSCRIBED_FROM, max: NOW }),
  // The consent's true instant: around the unsubscribe (within two days either side).
  delta: fc.integer({ min: -48 * HOUR, max: 48 * HOUR }),
  offsetMinutes: fc.integer({ min: -12 * 60, max: 14 * 60 }),
  shape: fc.record({ separator: fc.constantFrom('T', ' ', 't'), seconds: fc.boolean(), fraction: fc.boolean() }),
  allow: fc.boolean(),
});

const second = (ms: number) => Math.floor(ms / 1000);

describe('a consent time without zone against an unsubscribe', () => {
  it('lifts the unsubscribe only when the consent truly came later, and never reads a time that may be earlier as a re-grant', () => {
    fc.assert(
      fc.property(aCase, ({ unsubscribedAt, delta, offsetMinutes, shape, allow }) => {
        const trueConsent = Math.min(unsubscribedAt + delta, NOW);
        const text = naiveText(trueConsent, offsetMinutes, shape);
        const active: ActiveSuppression[] = [
          { kind: 'unsubscribe', recipientKey: 'anna@example.com', latestAt: new Date(unsubscribedAt).toISOString() },
        ];
        const recipient = { recipientId: 'anna@example.com', email: 'anna@example.com' } as Recipient;
        const outcome = suppressionLookup({ active, allowResubscribe: allow, now: NOW })(recipient, { consent_granted_at: text });

        // The instant the text names in the zone it was written in (truncated to what it writes).
        const asUtc = Date.parse(`${text.slice(0, 10)}T${text.slice(11)}Z`);
        const named = asUtc - offsetMinutes * 60_000;
        // Safety: the recipient goes out (or is told to re-opt-in) only for a consent truly after the unsubscribe.
        if (outcome === undefined || outcome.reason === 'resubscribe_needs_optin')
          expect(second(named)).toBeGreaterThan(second(unsubscribedAt));

        // The rule exactly, from what the text's fields say read as UTC.
        const earliest = asUtc - SPAN;
        const latest = Math.min(asUtc + SPAN, NOW);
        const expected =
          earliest > NOW || second(latest) <= second(unsubscribedAt)
            ? 'unsubscribed'
            : second(earliest) <= second(unsubscribedAt)
              ? 'resubscribe_zone_unknown'
              : allow
                ? undefined
                : 'resubscribe_needs_optin';
        expect(outcome?.reason).toBe(expected);
      }),
      { numRuns: 3000 },
    );
  });

  it('keeps a time without zone that is not a calendar time, or only a date, from lifting anything', () => {
    const active: ActiveSuppression[] = [{ kind: 'unsubscribe', recipientKey: 'anna@example.com', latestAt: '2026-03-01T00:00:00.000Z' }];
    const lookup = suppressionLookup({ active, allowResubscribe: true, now: NOW });
    const recipient = { recipientId: 'anna@example.com', email: 'anna@example.com' } as Recipient;
    for (const text of [
      '2026-03-20',
      '2026-02-30 10:00:00',
      '2026-03-20 24:00:00',
      '2026-03-20T10:00:60',
      '2026-03-20 10',
      '20.03.2026 10:00',
    ]) {
      expect([text, lookup(recipient, { consent_granted_at: text })?.reason]).toEqual([text, 'unsubscribed']);
    }
    expect(lookup(recipient, { consent_granted_at: '2026-03-20 10:00:00' })).toBeUndefined();
  });
});
