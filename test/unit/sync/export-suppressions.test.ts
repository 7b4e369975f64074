import fc from 'fast-check';
import type { CrmRow } from '../../../src/crm/crm-port';
import { createStateStore, type StateStore, type SuppressionEvent } from '../../../src/store';
import { exportToSnapshot } from '../../../src/sync/export-to-snapshot';
import { listRulesSchema } from '../../../src/validation/list-rules';
import { inMemoryCrm } from '../crm/in-memory-crm';

// The consent promise at export, over any suppression events and CRM rows: no recipient the ledger
// suppresses for the list reaches the snapshot, a CRM re-grant after the unsubscribe is excluded as
// resubscribe_needs_optin unless the list allows it, and every row is accounted for. The model below
// shares no code with the pipeline (its own key folding, scoping and time parsing).

const LIST_ID = 7;
const NOW = Date.parse('2026-03-31T00:00:00.000Z');
const T0 = Date.parse('2026-03-01T00:00:00.000Z');
const HOUR = 3_600_000;
const ADDRESSES = ['anna@example.com', 'bob@example.com', 'cy@x.de', 'dora@x.de', 'ed@example.com'];

const caseVariant = (address: string) =>
  fc
    .tuple(fc.array(fc.boolean(), { minLength: address.length, maxLength: address.length }), fc.constantFrom('', ' ', '  '))
    .map(([upper, pad]) => pad + [...address].map((c, i) => (upper[i] ? c.toUpperCase() : c)).join('') + pad);
const anAddress = fc.constantFrom(...ADDRESSES).chain(caseVariant);
const aTime = fc.integer({ min: 0, max: 20 }).map((h) => T0 + h * HOUR);

const anEvent = fc.record({
  kind: fc.constantFrom<'unsubscribe' | 'bounce'>('unsubscribe', 'unsubscribe', 'bounce'),
  address: anAddress,
  listId: fc.constantFrom(0, LIST_ID, 8),
  at: aTime,
});

const aConsentTime = fc.oneof(
  fc.constant(undefined),
  aTime.map((ms) => new Date(ms).toISOString()),
  aTime.map((ms) => new Date(ms).toISOString().replace('Z', '+00:00')),
  fc.constantFrom('2026-03-10', 'yesterday', '', '2026-03-10T10:00:00', new Date(NOW + HOUR).toISOString()),
  // Without a zone (a PostgreSQL timestamp without time zone, a naive SQLite or CSV text), hours or days from the unsubscribes.
  fc.integer({ min: -20, max: 60 }).map((h) =>
    new Date(T0 + h * HOUR)
      .toISOString()
      .slice(0, 19)
      .replace('T', h % 2 ? 'T' : ' '),
  ),
);

const aRow = fc.record({ id: anAddress, email: fc.oneof(anAddress, fc.constant(undefined)), consent: aConsentTime });

const fold = (s: string) => s.trim().toLowerCase();
/**
 * The instants a consent time may name, as the model believes it: a full ISO date-time with a zone
 * names one (not after NOW); one without a zone may be any instant within 14 hours of it read as UTC
 * (not after NOW; none when even the earliest is after NOW); anything else none.
 */
function believedConsent(value: string | undefined): { earliest: number; latest: number } | undefined {
  if (value && /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}$/.test(value)) {
    const asUtc = Date.parse(`${value.replace(' ', 'T')}Z`);
    return asUtc - 14 * HOUR > NOW ? undefined : { earliest: asUtc - 14 * HOUR, latest: Math.min(asUtc + 14 * HOUR, NOW) };
  }
  if (!value || !/T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.test(value)) return undefined;
  const ms = Date.parse(value);
  return ms <= NOW ? { earliest: ms, latest: ms } : undefined;
}

type Expected = 'unsubscribed' | 'resubscribe_needs_optin' | 'resubscribe_zone_unknown' | 'bounced' | undefined;
function expectedReason(
  row: { id: string; email: string; consent?: string },
  events: Array<{ kind: string; address: string; listId: number; at: number }>,
  allow: boolean,
): Expected {
  const keys = new Set([fold(row.id), fold(row.email)]);
  const concerning = events.filter((e) => keys.has(fold(e.address)));
  const unsubscribes = concerning.filter((e) => e.kind === 'unsubscribe' && (e.listId === 0 || e.listId === LIST_ID));
  if (unsubscribes.length > 0) {
    const latest = Math.max(...unsubscribes.map((e) => e.at));
    const consent = believedConsent(row.consent);
    if (consent === undefined || consent.latest <= latest) return 'unsubscribed';
    if (consent.earliest <= latest) return 'resubscribe_zone_unknown';
    if (!allow) return 'resubscribe_needs_optin';
  }
  return concerning.some((e) => e.kind === 'bounce') ? 'bounced' : undefined;
}

/**
 * A row the ledger leaves alone is excluded all the same when an earlier-noted row excluded for the
 * person shares its address or id (the first such row's reason, looked up by address, then by id).
 */
function withdrawnElsewhere<R extends { id: string; email: string }>(rows: readonly R[], reasonOf: (row: R) => Expected) {
  const first = new Map<string, Expected>();
  for (const row of rows) {
    const reason = reasonOf(row);
    if (reason !== undefined) for (const key of [fold(row.id), fold(row.email)]) if (!first.has(key)) first.set(key, reason);
  }
  return (row: R): Expected => first.get(fold(row.email)) ?? first.get(fold(row.id));
}

describe('exportToSnapshot with the suppression ledger', () => {
  let store: StateStore;
  let client = 0;
  beforeAll(async () => {
    store = await createStateStore({ kind: 'sqlite', file: ':memory:' });
  });
  afterAll(async () => store.close());

  it('never lets a suppressed recipient into the snapshot and accounts for every row', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(anEvent, { maxLength: 12 }),
        fc.array(aRow, { minLength: 1, maxLength: 12 }),
        fc.boolean(),
        async (events, specs, allow) => {
          const clientKey = `c${++client}`;
          const ledgerEvents: SuppressionEvent[] = events.map((e) => ({
            client: clientKey,
            kind: e.kind,
            recipientKey: fold(e.address),
            listId: e.kind === 'bounce' ? 0 : e.listId,
            occurredAt: new Date(e.at).toISOString(),
            source: 'closed_loop',
          }));
          await store.suppressions.record(ledgerEvents);
          const rows = specs.map((s) => ({ id: s.id, email: s.email ?? s.id, consent: s.consent }));
          const crmRows: CrmRow[] = rows.map((r, i) => ({
            recipient_id: r.id,
            email: r.email,
            opt_in_id: 11,
            description: '',
            media_type: 'email',
            entity_type: 'contact',
            entity_id: `C${i}`,
            ...(r.consent === undefined ? {} : { consent_granted_at: r.consent }),
          }));
          const runId = `run-${clientKey}`;
          const summary = await exportToSnapshot({
            client: clientKey,
            runId,
            store,
            crm: inMemoryCrm({ newsletter: crmRows }),
            rules: listRulesSchema.parse({ listKey: 'newsletter', optInId: 11 }),
            list: { listId: LIST_ID, allowResubscribe: allow },
            now: () => new Date(NOW),
          });
          const snapshot = await store.snapshots.readBatch(summary.snapshotRef, 0, 1000);
          const excluded = [];
          for await (const entry of store.ledger.stream(runId)) if (entry.outcome === 'excluded') excluded.push(entry);
          expect(snapshot.length + excluded.length).toBe(rows.length);
          expect(new Set(excluded.map((e) => e.rowNumber)).size).toBe(excluded.length);
          const byRow = new Map(excluded.map((e) => [e.rowNumber, e.reason]));
          const elsewhere = withdrawnElsewhere(rows, (r) => expectedReason(r, events, allow));
          rows.forEach((row, i) => {
            const expected = expectedReason(row, events, allow) ?? elsewhere(row);
            if (expected !== undefined) expect([i + 1, byRow.get(i + 1)]).toEqual([i + 1, expected]);
            else expect([i + 1, byRow.get(i + 1) ?? 'sent']).toEqual([i + 1, expect.stringMatching(/^(sent|duplicate)$/)]);
          });
          for (const sent of snapshot) {
            expect(
              expectedReason(
                { id: String(sent.recipientId), email: String(sent.email) },
                events.filter((e) => e.kind === 'bounce'),
                allow,
              ),
            ).toBeUndefined();
          }
          const suppressed = summary.counts.suppressed;
          expect(Object.values(suppressed).reduce((a, b) => a + b, 0)).toBe(rows.filter((r) => expectedReason(r, events, allow)).length);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('excludes a consent granted after the unsubscribe as resubscribe_needs_optin by default, and lets it through when allowed', async () => {
    await store.suppressions.record([
      {
        client: 'regrant',
        kind: 'unsubscribe',
        recipientKey: 'anna@example.com',
        listId: 0,
        occurredAt: '2026-03-01T00:00:00.000Z',
        source: 'dropped_file',
      },
    ]);
    const row = (consent: string) => ({
      recipient_id: 'Anna@Example.com',
      email: 'anna@example.com',
      opt_in_id: 11,
      description: '',
      media_type: 'email',
      entity_type: 'contact',
      entity_id: 'C1',
      consent_granted_at: consent,
    });
    const run = async (runId: string, consent: string, allowResubscribe: boolean) => {
      const summary = await exportToSnapshot({
        client: 'regrant',
        runId,
        store,
        crm: inMemoryCrm({ newsletter: [row(consent)] }),
        rules: listRulesSchema.parse({ listKey: 'newsletter', optInId: 11, lowercaseLocalPart: false }),
        list: { listId: LIST_ID, allowResubscribe },
        now: () => new Date(NOW),
      });
      const [hit] = await store.ledger.find({ recipientId: 'Anna@example.com', limit: 1 });
      return { count: summary.count, excluded: summary.counts.excluded, field: hit?.outcome === 'excluded' ? hit.field : undefined };
    };
    expect(await run('before', '2026-02-01T00:00:00Z', false)).toMatchObject({
      count: 0,
      excluded: expect.objectContaining({ unsubscribed: 1 }),
      field: 'recipient_id',
    });
    expect(await run('after', '2026-03-02T00:00:00Z', false)).toMatchObject({
      count: 0,
      excluded: expect.objectContaining({ resubscribe_needs_optin: 1 }),
      field: 'consent_granted_at',
    });
    expect(await run('allowed', '2026-03-02T00:00:00Z', true)).toMatchObject({ count: 1 });
    // Without a zone: 10 hours after may be before the unsubscribe in some zone, never a re-grant;
    // a day after is after it in every zone.
    expect(await run('no-zone-near', '2026-03-01T10:00:00', true)).toMatchObject({
      count: 0,
      excluded: expect.objectContaining({ resubscribe_zone_unknown: 1 }),
      field: 'consent_granted_at',
    });
    expect(await run('no-zone-day-after', '2026-03-02 00:00:00', true)).toMatchObject({ count: 1 });
  });
});
