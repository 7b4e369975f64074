import type { SuppressionEvent } from '../../src/store';
import { useStore, type StoreHarness } from './store-harness';

const event = (overrides: Partial<SuppressionEvent> = {}): SuppressionEvent => ({
  client: 'acme',
  kind: 'unsubscribe',
  recipientKey: 'anna@example.com',
  listId: 0,
  occurredAt: '2026-03-01T10:00:00.000Z',
  source: 'closed_loop',
  ...overrides,
});

export function describeSuppressionContract(harness: StoreHarness): void {
  describe('SuppressionStore', () => {
    const subject = useStore(harness);
    const suppressions = () => subject.store.suppressions;

    it('records an event once, however often and from whichever source it is read again', async () => {
      const e = event({ client: 'once' });
      expect(await suppressions().record([e, e])).toBe(1);
      expect(
        await suppressions().record([
          { ...e, source: 'dropped_file' },
          { ...e, occurredAt: '2026-03-01T11:00:00+01:00' },
        ]),
      ).toBe(0);
      expect(await suppressions().events('once', 'anna@example.com')).toEqual([e]);
    });

    it("pages through a client's distinct recipient keys of one kind, in order, each once", async () => {
      const keys = ['b@x.test', 'a@x.test', 'ｃ@x.test', 'c@x.test', 'd@x.test\u200b'];
      await suppressions().record([
        ...keys.map((recipientKey) => event({ client: 'paged', recipientKey })),
        event({ client: 'paged', recipientKey: 'a@x.test', listId: 100 }),
        event({ client: 'paged', kind: 'bounce', recipientKey: 'z@x.test' }),
        event({ client: 'elsewhere', recipientKey: 'e@x.test' }),
      ]);
      const pages: string[][] = [];
      let after: string | undefined;
      do {
        pages.push(await suppressions().recipientKeys('paged', { kind: 'unsubscribe', after, limit: 2 }));
        after = pages.at(-1)?.at(-1);
      } while (pages.at(-1)?.length === 2);
      const seen = pages.flat();
      expect([...seen].sort()).toEqual([...keys].sort());
      expect(new Set(seen).size).toBe(seen.length);
      expect(await suppressions().recipientKeys('paged', { kind: 'bounce', limit: 10 })).toEqual(['z@x.test']);
    });

    it('gives the consent latency of the events first recorded since a time, in whole minutes', async () => {
      const before = new Date().toISOString();
      const old = new Date(Date.now() - 90 * 60_000 - 5_000).toISOString();
      await suppressions().record([
        event({ client: 'latency', occurredAt: old }),
        event({ client: 'latency', kind: 'bounce', recipientKey: 'b@example.com', occurredAt: old }),
      ]);
      // An event dated after its recording (a clock ahead of ours) counts as 0 minutes, never negative.
      await suppressions().record([
        event({ client: 'latency', recipientKey: 'c@example.com', occurredAt: new Date(Date.now() + 120_000).toISOString() }),
      ]);
      const minutes = await suppressions().latencyMinutes('latency', before);
      expect(minutes['0']).toBe(1);
      // 90 minutes and 5 s plus the test's own run time: 90, or 91 on a slow machine.
      expect((minutes['90'] ?? 0) + (minutes['91'] ?? 0)).toBe(2);
      // A re-read event keeps its first recording and is not counted again after a later start.
      const later = new Date(Date.now() + 1000).toISOString();
      await suppressions().record([event({ client: 'latency', occurredAt: old })]);
      expect(await suppressions().latencyMinutes('latency', later)).toEqual({});
      expect(await suppressions().latencyMinutes('other', before)).toEqual({});
      // Bounded above: nothing was recorded before `before`, everything by now.
      const justBefore = new Date(Date.parse(before) - 1).toISOString();
      expect(await suppressions().latencyMinutes('latency', '2020-01-01T00:00:00Z', justBefore)).toEqual({});
      expect(await suppressions().latencyMinutes('latency', before, new Date(Date.now() + 1000).toISOString())).toEqual(minutes);
    });

    it("answers a list's opt-outs first recorded since a time: per recipient the earliest event, scoped to the list", async () => {
      const before = new Date(Date.now() - 1000).toISOString();
      await suppressions().record([
        event({ client: 'since', recipientKey: 'a@example.com', listId: 7, occurredAt: '2026-03-01T10:00:00.000Z' }),
        event({ client: 'since', recipientKey: 'a@example.com', kind: 'bounce', occurredAt: '2026-03-01T09:00:00.000Z' }),
        event({ client: 'since', recipientKey: 'b@example.com', listId: 8, occurredAt: '2026-03-01T08:00:00.000Z' }),
        event({ client: 'since', recipientKey: 'c@example.com', listId: 0, occurredAt: '2026-03-01T07:00:00+01:00' }),
      ]);
      expect(await suppressions().recordedSince('since', 7, before)).toEqual([
        { recipientKey: 'a@example.com', occurredAt: '2026-03-01T09:00:00.000Z' },
        { recipientKey: 'c@example.com', occurredAt: '2026-03-01T06:00:00.000Z' },
      ]);
      expect(await suppressions().recordedSince('since', 7, new Date(Date.now() + 60_000).toISOString())).toEqual([]);
    });

    it('scopes a list unsubscribe to its list, a client-wide one and bounces to every list', async () => {
      await suppressions().record([
        event({ client: 'scope', recipientKey: 'list-7@example.com', listId: 7 }),
        event({ client: 'scope', recipientKey: 'wide@example.com', listId: 0 }),
        event({ client: 'scope', recipientKey: 'bounced@example.com', kind: 'bounce' }),
        event({ client: 'other', recipientKey: 'elsewhere@example.com' }),
      ]);
      const keys = async (listId: number) =>
        (await suppressions().forList('scope', listId)).map((s) => `${s.kind}:${s.recipientKey}`).sort();
      expect(await keys(7)).toEqual(['bounce:bounced@example.com', 'unsubscribe:list-7@example.com', 'unsubscribe:wide@example.com']);
      expect(await keys(8)).toEqual(['bounce:bounced@example.com', 'unsubscribe:wide@example.com']);
    });

    it('answers the latest event per recipient and kind, across the list and client-wide', async () => {
      await suppressions().record([
        event({ client: 'latest', listId: 7, occurredAt: '2026-03-05T00:00:00.000Z' }),
        event({ client: 'latest', listId: 0, occurredAt: '2026-03-02T00:00:00.000Z' }),
        event({ client: 'latest', listId: 9, occurredAt: '2026-03-09T00:00:00.000Z' }),
      ]);
      expect(await suppressions().forList('latest', 7)).toEqual([
        { kind: 'unsubscribe', recipientKey: 'anna@example.com', latestAt: '2026-03-05T00:00:00.000Z' },
      ]);
      expect(await suppressions().forList('latest', 8)).toEqual([
        { kind: 'unsubscribe', recipientKey: 'anna@example.com', latestAt: '2026-03-02T00:00:00.000Z' },
      ]);
    });

    it("keeps a refill batch's left-out positions and their negative-row exclusions apart from sent and selection rows", async () => {
      const ledger = subject.store.ledger;
      const batch = { runId: 'left-out', listKey: 'optin', snapshotRef: 'snap', batchNo: 2, resultCodes: [0, 2, 5, 2] as const };
      expect(await ledger.recordBatch({ ...batch, resultCodes: [...batch.resultCodes], unsubscribedPositions: [1, 3] })).toBe(true);
      expect(await ledger.batches('left-out', 'optin')).toEqual([{ ...batch, resultCodes: [0, 2, 5, 2], unsubscribedPositions: [1, 3] }]);
      await expect(ledger.recordBatch({ ...batch, batchNo: 3, resultCodes: [0], unsubscribedPositions: [1] })).rejects.toThrow(
        /position 1 is outside/,
      );
      const excluded = {
        runId: 'left-out',
        listKey: 'optin',
        outcome: 'excluded' as const,
        reason: 'unsubscribed',
        field: 'optimizely',
        recipientId: 'a@example.com',
        entityType: 'contact',
        entityId: 'C1',
      };
      expect(
        await ledger.record([
          { ...excluded, rowNumber: -2002 },
          { ...excluded, rowNumber: 2002 },
          { ...excluded, rowNumber: -2002 },
        ]),
      ).toBe(2);
      expect(await ledger.count('left-out', 'optin')).toMatchObject({ excluded: 2, byReason: { unsubscribed: 2 } });
    });

    it('refuses an event without a zone, with a negative list id or an unknown source, naming the field', async () => {
      await expect(suppressions().record([event({ occurredAt: '2026-03-01T10:00:00' })])).rejects.toThrow(/occurredAt/);
      await expect(suppressions().record([event({ listId: -1 })])).rejects.toThrow(/listId/);
      await expect(suppressions().record([event({ source: 'crm' as never })])).rejects.toThrow(/source/);
      expect(await suppressions().forList('acme', 0)).toEqual([]);
    });

    it("keeps one CRM withdrawal per consent and key at the latest export's time, never moved back", async () => {
      const scope = { client: 'crm', optInId: '11', mediaType: 'email' };
      const keys = Array.from({ length: 250 }, (_, i) => `p${i}@x.test`);
      await suppressions().recordCrmWithdrawals(scope, [...keys, keys[0]!], '2026-03-02T01:00:00.000Z');
      // A retry of that night (a later now) and a delayed earlier export: the latest time stays.
      await suppressions().recordCrmWithdrawals(scope, ['p0@x.test'], '2026-03-02T01:05:00.000Z');
      await suppressions().recordCrmWithdrawals(scope, ['p0@x.test', 'p1@x.test'], '2026-03-01T01:00:00+01:00');
      const withdrawals = await suppressions().crmWithdrawals({ ...scope, optInId: ' 11 ', mediaType: 'EMail' });
      expect(withdrawals).toHaveLength(250);
      expect(withdrawals.find((w) => w.recipientKey === 'p0@x.test')?.withdrawnAt).toBe('2026-03-02T01:05:00.000Z');
      expect(withdrawals.find((w) => w.recipientKey === 'p1@x.test')?.withdrawnAt).toBe('2026-03-02T01:00:00.000Z');
      // Another consent, medium or client holds none of them; the Optimizely events are apart.
      expect(await suppressions().crmWithdrawals({ ...scope, optInId: '12' })).toEqual([]);
      expect(await suppressions().crmWithdrawals({ ...scope, mediaType: 'sms' })).toEqual([]);
      expect(await suppressions().crmWithdrawals({ ...scope, client: 'other' })).toEqual([]);
      expect(await suppressions().forList('crm', 0)).toEqual([]);
    });

    it("finds a key's CRM withdrawals under every consent of its client, newest first (why)", async () => {
      const scope = { client: 'crm-of', optInId: '11', mediaType: 'email' };
      await suppressions().recordCrmWithdrawals(scope, ['a@x.test', 'b@x.test'], '2026-03-01T01:00:00Z');
      await suppressions().recordCrmWithdrawals({ ...scope, optInId: '12' }, ['a@x.test'], '2026-03-02T01:00:00Z');
      await suppressions().recordCrmWithdrawals({ ...scope, client: 'crm-other' }, ['a@x.test'], '2026-03-03T01:00:00Z');
      // More keys than one statement holds: the look-up asks in parts.
      const keys = ['a@x.test', ...Array.from({ length: 150 }, (_, i) => `none${i}@x.test`), 'b@x.test'];
      const found = await suppressions().crmWithdrawalsOf('crm-of', keys);
      expect(found.map((w) => [w.optInId, w.recipientKey, w.withdrawnAt])).toEqual([
        ['12', 'a@x.test', '2026-03-02T01:00:00.000Z'],
        ['11', 'a@x.test', '2026-03-01T01:00:00.000Z'],
        ['11', 'b@x.test', '2026-03-01T01:00:00.000Z'],
      ]);
      expect(found.every((w) => w.client === 'crm-of' && w.mediaType === 'email')).toBe(true);
      expect(await suppressions().crmWithdrawalsOf('crm-of', [])).toEqual([]);
    });

    it('refuses a CRM withdrawal without a time, key or consent, recording nothing', async () => {
      const scope = { client: 'crm-bad', optInId: '11', mediaType: 'email' };
      await expect(suppressions().recordCrmWithdrawals(scope, ['a@x.test'], 'yesterday')).rejects.toThrow(/time/);
      await expect(suppressions().recordCrmWithdrawals(scope, ['a@x.test', ''], '2026-03-01T00:00:00Z')).rejects.toThrow(/keys/);
      await expect(suppressions().recordCrmWithdrawals({ ...scope, optInId: ' ' }, ['a@x.test'], '2026-03-01T00:00:00Z')).rejects.toThrow(
        /consent/,
      );
      expect(await suppressions().crmWithdrawals(scope)).toEqual([]);
    });
  });
}
