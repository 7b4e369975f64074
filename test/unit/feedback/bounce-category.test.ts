import fc from 'fast-check';
import { parseConfig } from '../../../src/config/load-config';
import { demoConfig } from '../../../src/demo/demo-config';
import { bounceSeverity, foldedCategory } from '../../../src/feedback/bounce-category';
import { feedbackEventsOf } from '../../../src/feedback/feedback-events';
import { pageClassifier } from '../../../src/responses/classify-response-page';
import { spelled } from '../../helpers/category-spellings';
import { TWO_LIST_CLIENT } from '../../helpers/response-client';

// An out-bounce's category decides whether the CRM records a soft or a hard bounce. Only the exact
// `softbounce` used to be soft: a feed writing `SoftBounce` or ` softbounce ` had its soft bounces
// recorded as hard. Known categories are now compared without case, white space, invisible
// characters or compatibility forms; anything unknown stays hard, the conservative reading.

const client = parseConfig(demoConfig(), 'test', '/tmp').clients[0]!;
const sent = [{ runId: 'run-1', listKey: 'newsletter', entityType: 'contact', entityId: 'C1', resultCode: 0 as const }];
const hardOf = (category: string) =>
  feedbackEventsOf('bounce', { recipientId: 'p@x.test', listId: 100, occurredAt: '2026-11-30T05:00:00.000Z', category }, client, sent).map(
    (e) => e.hard,
  );

describe('the bounce category of an out-bounce', () => {
  it('is soft for every spelling of softbounce, through the CRM event too', () => {
    fc.assert(
      fc.property(spelled('softbounce'), (category) => {
        expect(bounceSeverity(category)).toBe('soft');
        expect(hardOf(category)).toEqual([false]);
      }),
    );
  });

  it('is hard for every spelling of hardbounce', () => {
    fc.assert(fc.property(spelled('hardbounce'), (category) => expect(bounceSeverity(category)).toBe('hard')));
  });

  it('is hard for any category that is not softbounce as read, unknown ones included', () => {
    const other = fc.oneof(
      fc.string(),
      fc.constantFrom('unknown', 'autoresponder', '', 'soft', 'soft-bounce', 'soft_bounce', 'softbounces', 'bounce', 'softbounce!'),
      // Names every object has (a category was looked up in an object literal, whose prototype answered).
      fc.constantFrom(
        'constructor',
        'Constructor',
        ' CONSTRUCTOR ',
        'ｃｏｎｓｔｒｕｃｔｏｒ',
        '__proto__',
        '__PROTO__',
        'toString',
        'valueOf',
      ),
    );
    fc.assert(
      fc.property(other, (category) => {
        fc.pre(foldedCategory(category) !== 'softbounce');
        expect(bounceSeverity(category)).toBe('hard');
        expect(hardOf(category)).toEqual([true]);
      }),
    );
    expect(bounceSeverity(undefined)).toBe('hard');
  });

  it('puts an out-bounce named like a property of every object into the suppression ledger, as any other', () => {
    const classify = pageClassifier(TWO_LIST_CLIENT, Date.parse('2026-12-01T00:00:00Z'));
    for (const category of ['constructor', '__proto__', 'hardbounce']) {
      const page = classify('getOutBounces', [['p@x.test', '1001', '2026-11-30T05:00:00.000+00:00', '100', category]]);
      expect(page.suppressions.recipientKey).toEqual(['p@x.test']);
    }
  });
});
