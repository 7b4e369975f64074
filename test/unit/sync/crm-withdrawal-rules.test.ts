import type { CrmRow } from '../../../src/crm/crm-port';
import { createStateStore, type StateStore } from '../../../src/store';
import type { SnapshotRow } from '../../../src/store/types';
import { exportToSnapshot } from '../../../src/sync/export-to-snapshot';
import { suppressedSince } from '../../../src/sync/restore/suppressed-since';
import { listRulesSchema } from '../../../src/validation/list-rules';
import { inMemoryCrm, row } from '../crm/in-memory-crm';

// The CRM withdrawals of the suppression ledger beside its other rules: Optimizely's unsubscribes
// still win, the withdrawal holds for every list of the consent and no other, a retried export keeps
// the latest time, and a restore leaves out whom the CRM withdrew since the last good run.

const NIGHT1 = Date.parse('2026-03-01T01:00:00.250Z');
const NIGHT2 = Date.parse('2026-03-02T01:00:00.000Z');
const NIGHT3 = Date.parse('2026-03-03T01:00:00.000Z');

describe('CRM withdrawals in the suppression ledger', () => {
  let store: StateStore;
  let round = 0;
  beforeAll(async () => {
    store = await createStateStore({ kind: 'sqlite', file: ':memory:' });
  });
  afterAll(async () => store.close());

  /** One export of a list; the verdict of its only row ('sent' or the exclusion reason). */
  async function exportOnce(
    client: string,
    rows: CrmRow[],
    at: number,
    list: { key?: string; optInId?: number; listId?: number; allowResubscribe?: boolean } = {},
  ): Promise<string> {
    const runId = `run-${++round}`;
    const listKey = list.key ?? 'newsletter';
    const summary = await exportToSnapshot({
      client,
      runId,
      store,
      crm: inMemoryCrm({ [listKey]: rows }),
      rules: listRulesSchema.parse({ listKey, optInId: list.optInId ?? 11 }),
      list: { listId: list.listId ?? 100, allowResubscribe: list.allowResubscribe ?? false },
      now: () => new Date(at),
    });
    if (summary.count === 1) return 'sent';
    for await (const entry of store.ledger.stream(runId)) if (entry.outcome === 'excluded') return entry.reason ?? '';
    return 'nothing';
  }

  const withdrawn = (opt: number = 11) => row({ opt_in_id: opt, consent_withdrawn: '1' });
  const cleared = (consent?: string, opt: number = 11) => row({ opt_in_id: opt, ...(consent ? { consent_granted_at: consent } : {}) });

  it('lets an Optimizely unsubscribe win over a CRM re-grant, as before', async () => {
    const client = 'both';
    expect(await exportOnce(client, [withdrawn()], NIGHT1)).toBe('consent_withdrawn');
    await store.suppressions.record([
      {
        client,
        kind: 'unsubscribe',
        recipientKey: 'anna@example.com',
        listId: 0,
        occurredAt: '2026-03-01T12:00:00.000Z',
        source: 'closed_loop',
      },
    ]);
    // Granted after the CRM withdrawal, before the unsubscribe at Optimizely.
    expect(await exportOnce(client, [cleared('2026-03-01T06:00:00Z')], NIGHT2)).toBe('unsubscribed');
    // Granted after both: a re-subscription needs the opt-in process unless the list allows it.
    expect(await exportOnce(client, [cleared('2026-03-01T18:00:00Z')], NIGHT2)).toBe('resubscribe_needs_optin');
    expect(await exportOnce(client, [cleared('2026-03-01T18:00:00Z')], NIGHT2, { allowResubscribe: true })).toBe('sent');
  });

  it("holds for every list of the withdrawn consent and for no other consent's list", async () => {
    const client = 'scope';
    expect(await exportOnce(client, [withdrawn()], NIGHT1)).toBe('consent_withdrawn');
    expect(await exportOnce(client, [cleared()], NIGHT2, { key: 'digest', listId: 300 })).toBe('withdrawal_not_regranted');
    expect(await exportOnce(client, [cleared(undefined, 12)], NIGHT2, { key: 'offers', optInId: 12, listId: 200 })).toBe('sent');
  });

  it('keeps the latest time of a retried export: a consent between the two attempts is not a re-grant', async () => {
    const client = 'retry';
    expect(await exportOnce(client, [withdrawn()], NIGHT1)).toBe('consent_withdrawn');
    expect(await exportOnce(client, [withdrawn()], NIGHT1 + 600_000)).toBe('consent_withdrawn');
    const [recorded] = await store.suppressions.crmWithdrawals({ client, optInId: '11', mediaType: 'email' });
    expect(recorded?.withdrawnAt).toBe(new Date(NIGHT1 + 600_000).toISOString());
    expect(await exportOnce(client, [cleared(new Date(NIGHT1 + 300_000).toISOString())], NIGHT2)).toBe('withdrawal_not_regranted');
    // The same second as the withdrawal is not later (the CRM's recency rule lets the withdrawal win a tie).
    expect(await exportOnce(client, [cleared(new Date(NIGHT1 + 600_749).toISOString())], NIGHT2)).toBe('withdrawal_not_regranted');
    expect(await exportOnce(client, [cleared(new Date(NIGHT1 + 600_750).toISOString())], NIGHT2)).toBe('sent');
  });

  it('records no withdrawal the row states for another consent', async () => {
    const client = 'other-consent';
    expect(await exportOnce(client, [withdrawn(12)], NIGHT1)).toBe('consent_mismatch');
    expect(await store.suppressions.crmWithdrawals({ client, optInId: '11', mediaType: 'email' })).toEqual([]);
    expect(await exportOnce(client, [cleared()], NIGHT2)).toBe('sent');
  });

  it('leaves out of a restore whom the CRM withdrew since the last good run started, not before', async () => {
    const client = 'restore';
    const scope = { client, optInId: '11', mediaType: 'email' };
    await store.suppressions.recordCrmWithdrawals(scope, ['anna@example.com'], new Date(NIGHT3).toISOString());
    await store.suppressions.recordCrmWithdrawals(scope, ['bob@example.com'], new Date(NIGHT1).toISOString());
    const suppressed = await suppressedSince({
      store,
      client,
      listKey: 'newsletter',
      listId: 100,
      runId: 'failed',
      crmWithdrawals: { optInId: '11', mediaType: 'email', since: new Date(NIGHT2).toISOString() },
    });
    const snapshotRow = (address: string): SnapshotRow =>
      ({ recipientId: address, email: address, entityType: 'contact', entityId: 'C1' }) as unknown as SnapshotRow;
    expect(suppressed(snapshotRow('ANNA@example.com'))).toEqual({ reason: 'consent_withdrawn', field: 'recipient_id' });
    expect(suppressed(snapshotRow('bob@example.com'))).toBeUndefined();
  });
});
