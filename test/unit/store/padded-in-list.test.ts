import fc from 'fast-check';
import { paddedInList } from '../../../src/store/sql/padded-in-list';

describe('paddedInList', () => {
  it('keeps the values in order and pads them with repeats to a power of two of at least 8, up to 512; longer lists as they are', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.string(), fc.integer(), fc.constant(null)), { maxLength: 1200 }), (values) => {
        const padded = paddedInList(values);
        expect(padded.values.slice(0, values.length)).toEqual(values);
        expect(new Set(padded.values)).toEqual(new Set(values));
        expect(padded.marks.split(', ').filter((mark) => mark === '?')).toHaveLength(padded.values.length);
        if (values.length === 0 || values.length > 512) expect(padded.values).toHaveLength(values.length);
        else expect([8, 16, 32, 64, 128, 256, 512]).toContain(padded.values.length);
      }),
      { numRuns: 200 },
    );
  });
});
