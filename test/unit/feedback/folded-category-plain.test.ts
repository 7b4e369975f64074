import fc from 'fast-check';
import { bounceSeverity, foldedCategory } from '../../../src/feedback/bounce-category';
import { formerBounceSeverity, formerFoldedCategory } from '../../helpers/former-bounce-category';
import { hostileText } from '../../helpers/hostile-text';

// A category of lower-case ASCII letters and digits is taken as folded without the Unicode
// normalisation (every getResponses row is folded to tell a bounce). For any text the fold, and so
// the severity, must be the former one's.

const categoryArb = fc.oneof(
  fc.constantFrom(
    'hardbounce',
    'softbounce',
    'autoresponder',
    'unknown',
    '7',
    '',
    'HardBounce',
    ' soft bounce ',
    'ｈａｒｄｂｏｕｎｃｅ',
    'hard\u200bbounce',
    'hard-bounce',
    'hard_bounce',
  ),
  fc.string({ unit: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz0123456789AZ _-.\u00a0\u0130\u212a') }),
  hostileText,
);

describe('foldedCategory of a plain category', () => {
  it('folds any category as the full fold did', () => {
    fc.assert(
      fc.property(categoryArb, (category) => {
        expect(foldedCategory(category)).toBe(formerFoldedCategory(category));
        expect(bounceSeverity(category)).toBe(formerBounceSeverity(category));
      }),
      { numRuns: 2000 },
    );
  });
});
