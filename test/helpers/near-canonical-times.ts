import fc from 'fast-check';
import { hostileText } from './hostile-text';

// Times near ClosedLoop's own shape (`2026-12-01T16:58:57.124+00:00`): every field at and past its
// calendar bounds (30 February, 29 February of leap and other years, hour 24, leap seconds, years
// 0000–0099 that Date.UTC reads as 1900s), other separators, zones and fractions, blanks around, and
// hostile text. Mostly well-formed, so both the fast path and the general readers are exercised.

const field = (plausible: string[], odd: string[]) =>
  fc.oneof({ arbitrary: fc.constantFrom(...plausible), weight: 6 }, { arbitrary: fc.constantFrom(...odd), weight: 1 });

const canonicalish: fc.Arbitrary<string> = fc
  .record({
    year: field(
      ['2026', '2025', '2024', '2000', '2100', '1999'],
      ['0000', '0050', '0099', '0100', '1970', '9999', '202', '20266', '２０２６'],
    ),
    month: field(['01', '02', '03', '04', '06', '09', '11', '12'], ['00', '13', '1', '99', '0a']),
    day: field(['01', '15', '28', '29', '30', '31'], ['00', '32', '1', '99']),
    dateSep: field(['T'], [' ', 't', '_', '']),
    hour: field(['00', '07', '16', '23'], ['24', '25', '7', '99']),
    minute: field(['00', '30', '59'], ['60', '5', '99']),
    second: field(['00', '31', '59'], ['60', '61', '5', '']),
    fraction: field(['.124', '.000', '.999', '.001'], ['', '.1', '.12', '.1234', '.123456789', ',124', '.12a']),
    zone: field(['+00:00', 'Z'], ['-00:00', '+01:00', '-05:30', '+0000', 'z', '', '+00', '+00:00Z', '+14:00', '+15:00', ' Z']),
    around: field([''], [' ', '\t', '\u00a0', '\n']),
  })
  .map(
    ({ year, month, day, dateSep, hour, minute, second, fraction, zone, around }) =>
      `${around}${year}-${month}-${day}${dateSep}${hour}:${minute}${second === '' ? '' : `:${second}`}${fraction}${zone}${around}`,
  );

/** A time as a response row may carry it: mostly ClosedLoop's shape, at and past every bound. */
export const nearCanonicalTime: fc.Arbitrary<string> = fc.oneof(
  { arbitrary: canonicalish, weight: 8 },
  // One character of a well-formed time replaced by any character.
  {
    arbitrary: fc
      .tuple(
        canonicalish,
        fc.nat(),
        fc.oneof(fc.constantFrom(...'0123456789-:.TZ+ '), fc.string({ minLength: 1, maxLength: 1, unit: 'binary' })),
      )
      .map(([text, at, ch]) => {
        const i = at % Math.max(1, text.length);
        return text.slice(0, i) + ch + text.slice(i + 1);
      }),
    weight: 1,
  },
  { arbitrary: hostileText, weight: 1 },
);
