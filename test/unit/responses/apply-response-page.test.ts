import type { CrmPort, ResponseEvent } from '../../../src/crm/crm-port';
import { reportedEventKey } from '../../../src/feedback/applied-event-key';
import type { FeedbackEvent } from '../../../src/crm/crm-port';
import { applyResponsePage, type PagePorts } from '../../../src/responses/apply-response-page';
import { emptyCounts } from '../../../src/responses/response-counts';
import { ResponseLookups } from '../../../src/responses/response-mapping';
import { readResponseRow, type ResponseRow } from '../../../src/responses/response-rows';
import { classifyPage } from '../../../src/responses/classify-response-page';
import { createStateStore, type StateStore } from '../../../src/store';
import { aRun, aSent } from '../../helpers/store-builders';
import { TWO_LIST_CLIENT } from '../../helpers/response-client';

const CLIENT = TWO_LIST_CLIENT;
const AT = '2026-06-01T10:00:00.000+00:00';

describe('applyResponsePage', () => {
  let store: StateStore;
  let applied: ResponseEvent[];
  let ports: PagePorts;
  let ledgerLookups: string[][];
  // Event keys seen in the window: one set per test, a new one for another window.
  let seen: Set<string>;
  const classified = (rows: readonly ResponseRow[], inWindow = seen) =>
    classifyPage(rows, { client: CLIENT, nowMs: Date.parse(AT), seen: inWindow });

  beforeEach(async () => {
    store = await createStateStore({ kind: 'sqlite', file: ':memory:' });
    await store.runs.upsert(aRun({ client: 'demo' }));
    await store.ledger.record([
      aSent('anna@x.test', 0, { entityType: 'contact', entityId: 'C1' }),
      aSent('anna@x.test', 0, { listKey: 'offers', entityType: 'lead', entityId: 'L1' }),
    ]);
    applied = [];
    const crm = {
      applyResponses: async (events: readonly ResponseEvent[]) => {
        applied.push(...events);
        return events.map((_, index) => ({ index, outcome: 'applied' as const }));
      },
      campaignForMailing: async (mailingId: string) => (mailingId === '1001' ? 'CMP-1' : undefined),
    } as unknown as CrmPort;
    const ledger = store.ledger;
    const countingLedger = {
      sentEntitiesOf: (query: Parameters<typeof ledger.sentEntitiesOf>[0]) => {
        ledgerLookups.push([...query.recipientIds]);
        return ledger.sentEntitiesOf(query);
      },
    };
    ledgerLookups = [];
    seen = new Set();
    ports = {
      client: CLIENT,
      crm,
      lookups: new ResponseLookups({ client: CLIENT, crm, ledger: countingLedger }),
      pendingKeys: new Set(),
    };
  });

  afterEach(async () => {
    await store.close();
  });

  it('records an open for the entity sent on the mailing list, not for every entity of the recipient', async () => {
    const counts = emptyCounts();
    await applyResponsePage(classified([readResponseRow('getOpens', ['anna@x.test', '1001', AT, '200'])]), ports, counts);
    expect(applied).toEqual([
      expect.objectContaining({ kind: 'open', entityType: 'lead', entityId: 'L1', occurredAt: '2026-06-01T10:00:00.000Z' }),
    ]);
    expect(counts.open).toMatchObject({ read: 1, applied: 1 });
  });

  it('never applies a bounce or unsubscribe again that the feedback import or an earlier page applied', async () => {
    const feedback: FeedbackEvent[] = [];
    const crm = {
      ...ports.crm,
      applyFeedback: async (events: readonly FeedbackEvent[]) => (
        feedback.push(...events),
        events.map((_, index) => ({ index, outcome: 'applied' as const }))
      ),
    };
    const withIntake = { ...ports, crm, intake: store.feedbackIntake, runId: 'responses-1' };
    const fromImport = reportedEventKey('unsubscribe', { recipientId: 'anna@x.test', listId: 100, occurredAt: '2026-06-01T10:00:00.000Z' });
    await store.feedbackIntake.recordAppliedKeys('demo', [fromImport], 'daily-1');
    const later = '2026-06-01T11:00:00.000+00:00';
    const page = [
      readResponseRow('getUnsubscribes', ['anna@x.test', '', AT, '100']),
      readResponseRow('getUnsubscribes', ['anna@x.test', '', later, '200']),
    ];
    const first = emptyCounts();
    await applyResponsePage(classified(page), withIntake, first);
    expect(first.unsubscribe).toMatchObject({ read: 2, duplicate: 1, applied: 1 });
    expect(feedback.map((e) => `${e.entityId}:${e.optInId}:${e.occurredAt}`)).toEqual(['L1:12:2026-06-01T11:00:00.000Z']);
    const again = emptyCounts();
    await applyResponsePage(classified(page, new Set()), withIntake, again);
    expect(again.unsubscribe).toMatchObject({ read: 2, duplicate: 2, applied: 0 });
    expect(feedback).toHaveLength(1);
  });

  it('counts opens of a mailing without a campaign as ignored without looking up the recipient', async () => {
    const counts = emptyCounts();
    await applyResponsePage(classified([readResponseRow('getOpens', ['anna@x.test', '2001', AT, '100'])]), ports, counts);
    expect(counts.open).toMatchObject({ read: 1, noCampaign: 1, applied: 0 });
    expect(ledgerLookups).toEqual([]);
    expect(applied).toEqual([]);
  });

  it('asks the ledger once per page for the recipients not asked before, whatever the page holds', async () => {
    await store.ledger.record([aSent('ben@x.test', 0, { entityId: 'C2' }), aSent('cleo@x.test', 0, { entityId: 'C3' })]);
    const feedback: FeedbackEvent[] = [];
    const crm = {
      ...ports.crm,
      applyFeedback: async (events: readonly FeedbackEvent[]) => (
        feedback.push(...events),
        events.map((_, index) => ({ index, outcome: 'applied' as const }))
      ),
    };
    const first = [
      readResponseRow('getOpens', ['anna@x.test', '1001', AT, '100']),
      readResponseRow('getClicks', ['ben@x.test', '1001', AT, '100', '1', 'https://e.test/']),
      readResponseRow('getOpens', ['nobody@x.test', '1001', AT, '100']),
      readResponseRow('getOpens', ['anna@x.test', '1001', '2026-06-01T10:05:00.000+00:00', '100']),
    ];
    const counts = emptyCounts();
    await applyResponsePage(classified(first), { ...ports, crm }, counts);
    await applyResponsePage(
      classified([
        readResponseRow('getUnsubscribes', ['cleo@x.test', '', AT, '100']),
        readResponseRow('getOpens', ['ben@x.test', '1001', AT, '100']),
      ]),
      { ...ports, crm },
      counts,
    );
    expect(ledgerLookups.map((ids) => [...ids].sort())).toEqual([['anna@x.test', 'ben@x.test', 'nobody@x.test'], ['cleo@x.test']]);
    expect(applied.map((e) => `${e.kind}:${e.entityId}`)).toEqual(['open:C1', 'click:C2', 'open:C1', 'open:C2']);
    expect(feedback.map((e) => `${e.kind}:${e.entityId}`)).toEqual(['unsubscribe:C3']);
    expect(counts.open).toMatchObject({ read: 4, applied: 3, unknownRecipient: 1 });
  });

  it('counts unknown recipients, autoresponders, rows without a recipient id and repeats apart', async () => {
    const counts = emptyCounts();
    const rows = [
      readResponseRow('getClicks', ['nobody@x.test', '1001', AT, '100', '1', 'https://e.test/']),
      readResponseRow('getResponses', ['anna@x.test', '1001', AT, '100', 'autoresponder']),
      readResponseRow('getOpens', ['', '1001', AT, '100']),
      readResponseRow('getOpens', ['anna@x.test', '1001', AT, '100']),
      readResponseRow('getOpens', ['anna@x.test', '1001', AT, '100']),
    ];
    await applyResponsePage(classified(rows), ports, counts);
    expect(counts.click).toMatchObject({ read: 1, unknownRecipient: 1 });
    expect(counts.other).toMatchObject({ read: 1, ignored: 1 });
    expect(counts.open).toMatchObject({ read: 3, invalid: 1, applied: 1, duplicate: 1 });
  });
});
