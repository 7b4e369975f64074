import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CrmRow } from '../../../src/crm/crm-port';
import { createStateStore, type StateStore, type StateStoreConfig } from '../../../src/store';
import { exportToSnapshot } from '../../../src/sync/export-to-snapshot';
import { listRulesSchema } from '../../../src/validation/list-rules';
import { createTestDatabase, startTestPostgres, type TestPostgres } from '../../helpers/postgres';
import { inMemoryCrm, row } from '../../unit/crm/in-memory-crm';

// CRM withdrawals through the real state stores (a SQLite file and a PostgreSQL server, each migrated
// from nothing): nights of exports of 2,500 people (more keys than one write holds), and on the first
// one whose id is a long run of characters that fold into more (the key bound of the primary key).
// Night 1 the CRM withdraws them all; night 2 it clears every flag, with a consent time after the night-1
// export for even people only; night 3 it withdraws the first ten again and clears them with a later
// consent a retried night-3 export does not move back.

const PEOPLE = 2_500;
const NIGHT = (n: number) => Date.parse(`2026-03-0${n}T01:00:00.500Z`);
const LONG_ID = `${'\uFDFA'.repeat(300)}@example.com`;

const address = (i: number) => `p${i}@example.com`;
const rowOf = (id: string, entity: number, cells: Record<string, unknown>): CrmRow =>
  row({ recipient_id: id, email: id, entity_id: `C${entity}`, ...cells });

describe.each(['sqlite', 'postgres'] as const)('CRM withdrawals on %s', (kind) => {
  let server: TestPostgres | undefined;
  let store: StateStore;
  let dir: string;
  let run = 0;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'cs-crm-withdrawals-'));
    let config: StateStoreConfig = { kind: 'sqlite', file: join(dir, 'state.db') };
    if (kind === 'postgres') {
      server = await startTestPostgres();
      config = { kind: 'postgres', url: await createTestDatabase(server.url) };
    }
    store = await createStateStore(config);
  }, 120_000);
  afterAll(async () => {
    await store?.close();
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  /** One night's export: the recipient ids sent and the count per exclusion reason. */
  async function night(rows: CrmRow[], at: number): Promise<{ sent: Set<string>; excluded: Record<string, number> }> {
    const summary = await exportToSnapshot({
      client: 'acme',
      runId: `run-${++run}`,
      store,
      crm: inMemoryCrm({ newsletter: rows }),
      rules: listRulesSchema.parse({ listKey: 'newsletter', optInId: 11, recipientIdKind: 'opaque' }),
      list: { listId: 100, allowResubscribe: false },
      now: () => new Date(at),
    });
    const sent = new Set<string>();
    for (let offset = 0; offset < summary.count; offset += 1000)
      for (const r of await store.snapshots.readBatch(summary.snapshotRef, offset, 1000)) sent.add(String(r.recipientId));
    const excluded = Object.fromEntries(Object.entries(summary.counts.excluded).filter(([, n]) => n > 0));
    return { sent, excluded };
  }

  it('keeps every withdrawal until a later consent, under the key bound, and never moves its time back', async () => {
    const ids = Array.from({ length: PEOPLE }, (_, i) => address(i));
    const one = await night(
      [...ids, LONG_ID].map((id, i) => rowOf(id, i, { unsubscribed: 'yes' })),
      NIGHT(1),
    );
    expect(one).toEqual({ sent: new Set(), excluded: { unsubscribed: ids.length + 1 } });

    const regrant = new Date(NIGHT(1) + 500).toISOString(); // the next second after the night-1 export
    const two = await night(
      ids.map((id, i) => rowOf(id, i, i % 2 === 0 ? { consent_granted_at: regrant } : {})),
      NIGHT(2),
    );
    const even = ids.filter((_, i) => i % 2 === 0);
    expect(two.excluded).toEqual({ withdrawal_not_regranted: ids.length - even.length });
    expect([...two.sent].sort()).toEqual([...even].sort());

    const again = ids.slice(0, 10);
    for (const at of [NIGHT(3) + 60_000, NIGHT(3)]) {
      // A retry of night 3, then a delayed attempt with an earlier clock: the latest time is kept.
      const three = await night(
        again.map((id, i) => rowOf(id, i, { consent_withdrawn: '1' })),
        at,
      );
      expect(three.excluded).toEqual({ consent_withdrawn: 10 });
    }
    const withdrawals = await store.suppressions.crmWithdrawals({ client: 'acme', optInId: '11', mediaType: 'email' });
    expect(withdrawals.filter((w) => /^p\d+@example\.com$/u.test(w.recipientKey))).toHaveLength(ids.length);
    expect(withdrawals.length).toBeGreaterThan(ids.length);
    expect(new Set(withdrawals.filter((w) => w.recipientKey.startsWith('p0@')).map((w) => w.withdrawnAt))).toEqual(
      new Set([new Date(NIGHT(3) + 60_000).toISOString()]),
    );
    const between = new Date(NIGHT(3) + 30_000).toISOString();
    const after = new Date(NIGHT(3) + 61_000).toISOString();
    const four = await night(
      again.map((id, i) => rowOf(id, i, { consent_granted_at: i < 5 ? between : after })),
      NIGHT(4),
    );
    expect(four.excluded).toEqual({ withdrawal_not_regranted: 5 });
    expect([...four.sent].sort()).toEqual(again.slice(5).sort());
  }, 120_000);
});
