import fc from 'fast-check';
import type { CrmPort, ResponseEvent } from '../../../src/crm/crm-port';
import { ResponseLookups, type Engagement } from '../../../src/responses/response-mapping';
import type { SentEntity } from '../../../src/store/types';
import { hostileText } from '../../helpers/hostile-text';
import { TWO_LIST_CLIENT } from '../../helpers/response-client';

// responseEvents answers a recipient sent as one entity without filtering and de-duplicating (most
// recipients, once per open or click). For any row and any sent entities (none, one, several, the
// same entity on two lists, lists we do not configure), it must answer what the general rule does:
// the entities sent on the row's list when it names one we synchronise, else every entity, each once.

function formerResponseEvents(row: Engagement, sent: readonly SentEntity[]): ResponseEvent[] {
  const listKeys = new Set(TWO_LIST_CLIENT.lists.filter((l) => l.listId === row.listId).map((l) => l.key));
  const onList = sent.filter((s) => listKeys.has(s.listKey));
  const unique = new Map<string, SentEntity>();
  for (const entity of onList.length > 0 ? onList : sent) unique.set(`${entity.entityType}:${entity.entityId}`, entity);
  return [...unique.values()].map((entity) => ({
    kind: row.kind,
    mailingId: row.mailingId,
    recipientId: row.recipientId,
    entityType: entity.entityType,
    entityId: entity.entityId,
    occurredAt: row.occurredAt,
    ...(row.kind === 'click' ? { url: row.url } : {}),
  }));
}

const listIds = TWO_LIST_CLIENT.lists.map((l) => l.listId);
const sentArb: fc.Arbitrary<SentEntity> = fc.record({
  runId: fc.constantFrom('r1', 'r2'),
  listKey: fc.constantFrom(...TWO_LIST_CLIENT.lists.map((l) => l.key), 'gone'),
  entityType: fc.constantFrom('contact', 'lead'),
  entityId: fc.oneof(fc.constantFrom('C1', 'C2', 'L1'), hostileText),
  resultCode: fc.constant(0 as const),
});
const rowArb: fc.Arbitrary<Engagement> = fc.record({
  kind: fc.constantFrom('open' as const, 'click' as const),
  recipientId: fc.oneof(fc.constant('anna@x.test'), hostileText),
  mailingId: fc.constantFrom('1001', '2001'),
  occurredAt: fc.constant('2026-06-01T00:00:00.000Z'),
  listId: fc.oneof(fc.constantFrom(...listIds, 0, 999)),
  url: fc.oneof(fc.constantFrom('', 'https://e.test/a'), hostileText),
});

describe('responseEvents', () => {
  const lookups = new ResponseLookups({
    client: TWO_LIST_CLIENT,
    crm: {} as CrmPort,
    ledger: { sentEntitiesOf: async () => new Map() },
  });

  it('answers for one sent entity exactly what the general rule answers, and so for any number of entities', () => {
    fc.assert(
      fc.property(rowArb, fc.array(sentArb, { maxLength: 4 }), (row, sent) => {
        expect(lookups.responseEvents(row, sent)).toEqual(formerResponseEvents(row, sent));
      }),
      { numRuns: 500 },
    );
  });

  it('gives an open no url and a click its own, whichever list the one entity was sent on', () => {
    const entity: SentEntity = { runId: 'r1', listKey: 'gone', entityType: 'contact', entityId: 'C9', resultCode: 0 };
    const row: Engagement = { kind: 'open', recipientId: 'a@x.test', mailingId: '1001', occurredAt: 't', listId: listIds[0]!, url: 'u' };
    expect(lookups.responseEvents(row, [entity])).toEqual([
      { kind: 'open', mailingId: '1001', recipientId: 'a@x.test', entityType: 'contact', entityId: 'C9', occurredAt: 't' },
    ]);
    expect(lookups.responseEvents({ ...row, kind: 'click' }, [entity])[0]).toHaveProperty('url', 'u');
  });
});
