import fc from 'fast-check';
import { foldedCategory } from '../../../src/feedback/bounce-category';
import { pageClassifier } from '../../../src/responses/classify-response-page';
import { RESPONSE_KINDS } from '../../../src/responses/response-counts';
import { readResponseRow } from '../../../src/responses/response-rows';
import { spelled } from '../../helpers/category-spellings';
import { hostileText } from '../../helpers/hostile-text';
import { TWO_LIST_CLIENT } from '../../helpers/response-client';

// Response ingestion reads a bounce category as the feedback import does (bounce-category.ts): case,
// white space, invisible characters and full-width letters do not count. Before, getResponses read
// `HardBounce` as an ignored response (the bounce never reached the suppression ledger) and only the
// exact `softbounce` was spared from it.

const NOW = Date.parse('2026-06-01T00:00:00Z');
const row = (category: string) => ['anna@x.test', '1001', '2026-05-31T22:00:00.000Z', '100', category];
const suppressed = (getter: 'getResponses' | 'getOutBounces', category: string) =>
  pageClassifier(TWO_LIST_CLIENT, NOW)(getter, [row(category)]).suppressions.unsubscribe.length;
const kindOf = (category: string) => readResponseRow('getResponses', row(category)).kind;

describe('a bounce category in response ingestion', () => {
  it('reads every spelling of hardbounce as a bounce that reaches the suppression ledger, from either getter', () => {
    fc.assert(
      fc.property(spelled('hardbounce'), (category) => {
        expect(kindOf(category)).toBe('bounce');
        expect(suppressed('getResponses', category)).toBe(1);
        expect(suppressed('getOutBounces', category)).toBe(1);
      }),
    );
  });

  it('reads every spelling of softbounce as a soft bounce, which Optimizely still mails: no suppression', () => {
    fc.assert(
      fc.property(spelled('softbounce'), (category) => {
        expect(kindOf(category)).toBe('bounce');
        expect(suppressed('getResponses', category)).toBe(0);
        expect(suppressed('getOutBounces', category)).toBe(0);
      }),
    );
  });

  it('keeps any other category on getResponses a response, and an out-bounce of any other category hard', () => {
    fc.assert(
      fc.property(fc.oneof(hostileText, spelled('autoresponder'), spelled('unknown'), fc.string()), (category) => {
        fc.pre(!['hardbounce', 'softbounce'].includes(foldedCategory(category)));
        expect(RESPONSE_KINDS).toContain(kindOf(category));
        expect(kindOf(category)).toBe('other');
        expect(suppressed('getResponses', category)).toBe(0);
        expect(suppressed('getOutBounces', category)).toBe(1);
      }),
    );
  });
});
