import { MockActivityEnvironment } from '@temporalio/testing';
import { DefaultLogger } from '@temporalio/worker';
import fc from 'fast-check';
import type { ActivityDependencies } from '../../../activities/deps';
import type { ExportListOutput, GuardVerdict } from '../../../activities/export-types';
import { createExportActivities } from '../../../activities/export';
import { parseConfig } from '../../../src/config/load-config';
import type { CrmRow } from '../../../src/crm/crm-port';
import { demoConfig } from '../../../src/demo/demo-config';
import { DEMO_ATTRIBUTES } from '../../../src/demo/demo-lists';
import { findOperation, SOAP_NAMESPACE } from '../../../src/optimizely/api/surface';
import { writeRequest } from '../../../src/optimizely/client/codec/request-writer';
import { createStateStore, type StateStore } from '../../../src/store';
import { addAll3Input, attributeNamesFor } from '../../../src/sync/recipient-batch';
import { WindowPriority } from '../../../src/sync/window-priority';
import { aRun } from '../../helpers/store-builders';
import { hostileText, mostlyPlainText } from '../../helpers/hostile-text';
import { inMemoryCrm, row as newsletterRow } from '../crm/in-memory-crm';

// The export activity with a real SQLite state store: what the guard sees of sanitized rows, and
// that what the snapshot holds (after its JSON and SQLite round trip) is what the refill can encode.

const addAll3 = findOperation('Recipient', 'addAll3')!;
const row = (n: number, overrides: Record<string, unknown> = {}): CrmRow =>
  newsletterRow({
    recipient_id: `p${n}@example.com`,
    email: `p${n}@example.com`,
    entity_id: `C${n}`,
    salutation: 'Frau',
    last_name: 'L',
    city: 'Köln',
    ...overrides,
  });

describe('exportList and evaluateGuard with sendability', () => {
  const env = new MockActivityEnvironment(undefined, { logger: new DefaultLogger('WARN') });
  let store: StateStore;

  beforeEach(async () => {
    store = await createStateStore({ kind: 'sqlite', file: ':memory:' });
  });
  afterEach(async () => {
    await store.close();
  });

  async function exportRows(rows: CrmRow[], runId: string, invalidAttributeValues: 'strip' | 'exclude' = 'strip') {
    const raw = demoConfig() as { clients: Array<{ lists: Array<Record<string, unknown>> }> };
    raw.clients[0]!.lists[0]!.sendability = { invalidAttributeValues };
    const config = parseConfig(raw, 'test', '/tmp');
    const deps = {
      config,
      store,
      crm: inMemoryCrm({ newsletter: rows }),
      windowPriority: new WindowPriority(),
      // A first run (no last good run): the guard's baseline is the live list, empty here.
      optimizely: () => ({
        recipient: { getCount: async () => 0 },
        // Every list is asked before the clear; nobody here is on Optimizely's unsubscribe list.
        unsubscribe: { containsAll: async ({ recipientIds }: { recipientIds: string[] }) => recipientIds.map(() => false) },
      }),
    } as unknown as ActivityDependencies;
    const activities = createExportActivities(deps);
    await store.runs.upsert(aRun({ runId, client: 'demo', listKey: 'newsletter' }));
    const ref = { client: 'demo', listKey: 'newsletter', runId };
    const exported: ExportListOutput = await env.run(activities.exportList, ref);
    const verdict: GuardVerdict = await env.run(activities.evaluateGuard, { ...ref, exported });
    return { exported, verdict };
  }

  it('holds a run whose CRM suddenly sends control characters in most first names, stripped or excluded', async () => {
    const rows = Array.from({ length: 10 }, (_, i) => row(i, { first_name: i < 6 ? `N\u0001${i}` : `N${i}` }));
    const stripped = await exportRows(rows, 'strip');
    expect(stripped.exported).toMatchObject({ count: 10, sanitizedRows: 6, sanitized: { first_name: 6 } });
    expect(stripped.verdict).toMatchObject({
      hold: true,
      reasons: ["60.0% of the list's own rows were excluded or sanitized (limit 50%)"],
    });
    const excluded = await exportRows(rows, 'exclude', 'exclude');
    expect(excluded.exported).toMatchObject({ count: 4, excluded: { invalid_characters: 6 } });
    expect(excluded.verdict.hold).toBe(true);
  });

  it('lets one sanitized row through the guard', async () => {
    const rows = Array.from({ length: 10 }, (_, i) => row(i, { first_name: i === 0 ? 'An\u0008na' : `N${i}` }));
    expect((await exportRows(rows, 'one')).verdict.hold).toBe(false);
  });

  it('accounts for every row, and every snapshot row (after its JSON and SQLite round trip) encodes with the real request writer', async () => {
    const crmRow = fc
      .record({
        n: fc.integer({ min: 1, max: 40 }),
        firstName: hostileText,
        lastName: mostlyPlainText,
        city: hostileText,
        entityId: mostlyPlainText,
      })
      .map(({ n, firstName, lastName, city, entityId }) =>
        row(n, { first_name: firstName, last_name: lastName, city, entity_id: entityId }),
      );
    let run = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(crmRow, { maxLength: 20 }), async (rows) => {
        const { exported } = await exportRows(rows, `prop-${++run}`);
        const stored = [];
        for await (const batch of store.snapshots.batches(exported.snapshotRef)) stored.push(...batch.rows);
        expect(stored).toHaveLength(exported.count);
        const ledger = await store.ledger.count(`prop-${run}`);
        expect(exported.count + ledger.excluded).toBe(rows.length);
        expect(ledger.sanitized ?? 0).toBe(Object.values(exported.sanitized ?? {}).reduce((a: number, b: number) => a + b, 0));
        const input = addAll3Input(stored, { listId: 100, optinProcessId: 0 }, attributeNamesFor(DEMO_ATTRIBUTES));
        const args = [
          'sid',
          input.listId,
          input.optinProcessId,
          input.recipientIds,
          input.addresses,
          input.attributeNames,
          input.attributeValues,
        ];
        expect(() =>
          writeRequest({ service: 'Recipient', namespace: SOAP_NAMESPACE('Recipient'), operation: addAll3, args }),
        ).not.toThrow();
      }),
      { numRuns: 60 },
    );
  });
});
