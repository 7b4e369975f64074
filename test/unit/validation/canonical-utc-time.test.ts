import fc from 'fast-check';
import { canonicalUtcIso, msOfCanonicalIso } from '../../../src/validation/canonical-utc-time';
import { parseZonedTime } from '../../../src/validation/zoned-time';
import { nearCanonicalTime } from '../../helpers/near-canonical-times';

// ClosedLoop's own time shape is read by its characters (response classification, feedback times).
// Whatever it answers must be what the general readers give the same text: Date.parse and
// toISOString (an open's or click's time) and the strict reader (a bounce's or unsubscribe's).

describe('canonicalUtcIso', () => {
  it('answers only for a time Date.parse reads, with the ISO form toISOString writes and the instant the strict reader gives', () => {
    fc.assert(
      fc.property(nearCanonicalTime, (text) => {
        const iso = canonicalUtcIso(text);
        if (iso === undefined) return;
        const ms = Date.parse(text);
        expect(Number.isNaN(ms)).toBe(false);
        expect(iso).toBe(new Date(ms).toISOString());
        const strict = parseZonedTime(text, { secondsRequired: true });
        // Years 0–99: Date.UTC reads them as 1900–1999, and the strict reader refuses them.
        if (iso >= '0100') {
          expect(strict).toEqual({ ok: true, ms });
          expect(msOfCanonicalIso(iso)).toBe(ms);
        } else expect(strict.ok).toBe(false);
      }),
      { numRuns: 3000 },
    );
  });

  it('reads ClosedLoop’s form and toISOString’s, and nothing past a calendar bound', () => {
    expect(canonicalUtcIso('2026-12-01T16:58:57.124+00:00')).toBe('2026-12-01T16:58:57.124Z');
    expect(canonicalUtcIso('2024-02-29T00:00:00.000Z')).toBe('2024-02-29T00:00:00.000Z');
    for (const text of [
      '2026-02-29T00:00:00.000Z', // not a leap year: Date.parse rolls it over to 1 March
      '2100-02-29T00:00:00.000Z',
      '2026-04-31T00:00:00.000+00:00',
      '2026-01-01T24:00:00.000Z',
      '2026-01-01T23:59:60.000Z',
      '2026-12-01T16:58:57.124-00:00',
      '2026-12-01T16:58:57.124+01:00',
      '2026-12-01 16:58:57.124Z',
      ' 2026-12-01T16:58:57.124Z',
      '2026-12-01T16:58:57Z',
    ])
      expect(canonicalUtcIso(text)).toBeUndefined();
  });
});
