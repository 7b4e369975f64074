import fc from 'fast-check';
import type { CrmPort } from '../../../src/crm/crm-port';
import { parseListId } from '../../../src/feedback/feedback-row';
import { pageClassifier } from '../../../src/responses/classify-response-page';
import { ResponseLookups } from '../../../src/responses/response-mapping';
import type { LedgerStore } from '../../../src/store/state-store';
import type { SentEntity } from '../../../src/store/types';
import { TWO_LIST_CLIENT } from '../../helpers/response-client';

// An open or click goes to the entity the recipient was sent as on the mailing's list when the row
// names one of our lists, otherwise to every entity it was sent as (docs/responses.md). The row's list
// id is Optimizely's text: read by Number() before, `0x64`, `1e2`, `100.0` or `+100` named list 100,
// and the open of someone sent as a contact on list 100 and a lead on list 200 went to the contact
// alone on a row that named no list plainly. A list id is what a bounce's or unsubscribe's is: a plain
// non-negative integer (parseListId); any other text names no list.

const UNTIL = Date.parse('2026-06-01T00:00:00Z');
const AT = new Date(UNTIL - 3_600_000).toISOString();
const SENT: SentEntity[] = [
  { runId: 'r0', listKey: 'newsletter', entityType: 'contact', entityId: 'C1', resultCode: 0 },
  { runId: 'r0', listKey: 'offers', entityType: 'lead', entityId: 'L1', resultCode: 0 },
];
const listCells = fc.oneof(
  fc.constantFrom('100', ' 100 ', '200', '0x64', '1e2', '100.0', '+100', '0100', '1_00', '١٠٠', '100abc', '', '0', '300'),
  fc.string({ maxLength: 6 }),
);

describe('the list id of an open or click', () => {
  it('picks the entity of that list only when it is a plain integer naming one of our lists', () => {
    const lookups = new ResponseLookups({
      client: TWO_LIST_CLIENT,
      ledger: {} as Pick<LedgerStore, 'sentEntitiesOf'>,
      crm: {} as CrmPort,
    });
    fc.assert(
      fc.property(listCells, (cell) => {
        const page = pageClassifier(TWO_LIST_CLIENT, UNTIL)('getOpens', [['p@x.test', '1001', AT, cell]]);
        expect(page.engagements.slot).toHaveLength(1);
        const engagement = {
          kind: 'open' as const,
          recipientId: 'p@x.test',
          mailingId: '1001',
          occurredAt: AT,
          listId: page.engagements.listId[0] as number,
          url: '',
        };
        const entities = lookups
          .responseEvents(engagement, SENT)
          .map((e) => e.entityId)
          .sort();
        const named = parseListId(cell);
        expect(entities).toEqual(named === 100 ? ['C1'] : named === 200 ? ['L1'] : ['C1', 'L1']);
      }),
      { numRuns: 300 },
    );
  });
});
