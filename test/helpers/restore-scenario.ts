import fc from 'fast-check';
import type { CrmRow } from '../../src/crm/crm-port';
import type { StateStore } from '../../src/store';
import type { SnapshotRow } from '../../src/store/types';
import { exportToSnapshot } from '../../src/sync/export-to-snapshot';
import { prepareRestore } from '../../src/sync/restore/prepare-restore';
import { listRulesSchema } from '../../src/validation/list-rules';
import { inMemoryCrm, row } from '../unit/crm/in-memory-crm';
import { aRun, recordExportOfRun } from './store-builders';

// The shared ground of the restore properties: a run of list newsletter that exports one or more
// times (a re-export after a long pause or a late approval) and then fails after the clear, so the
// list is restored from yesterday's (the last good run, one day earlier).

export const RESTORE_NOW = new Date('2026-11-30T03:00:00.000Z');
export const RESTORE_RUN = 'run-1';
const LIST = { key: 'newsletter', listId: 100, restoreMaxAgeDays: 7, optInId: '11', mediaType: 'email' };
const rules = listRulesSchema.parse({
  listKey: 'newsletter',
  optInId: 11,
  entityTypes: ['contact'],
  attributes: { first_name: 'firstname' },
});

/** Person i's address (and recipient id); their entity id is `C${i}`. */
export const address = (i: number) => `p${String(i).padStart(3, '0')}@example.test`;

/** A person's row in one export: selected and consenting, withdrawn in one of the CRM's columns, or not selected. */
export type Selection = 'selected' | 'consent_withdrawn' | 'unsubscribed' | 'bounced' | 'absent';
export const selection = fc.constantFrom<Selection>('selected', 'consent_withdrawn', 'unsubscribed', 'bounced', 'absent');

function crmRows(states: readonly Selection[]): CrmRow[] {
  return states.flatMap((state, i) => {
    if (state === 'absent') return [];
    const base = row({ recipient_id: address(i), email: address(i), entity_id: `C${i}`, first_name: `F${i}` });
    return [state === 'selected' ? base : { ...base, [state]: 1 }];
  });
}

/** Yesterday's list as the last good run of the list, completed a day before RESTORE_NOW. */
export async function recordLastGoodRun(store: StateStore, yesterday: readonly SnapshotRow[]): Promise<void> {
  const summary = await store.snapshots.write({ client: 'demo', listKey: 'newsletter', runId: 'good' }, [...yesterday]);
  const startedAt = new Date(RESTORE_NOW.getTime() - 86_400_000).toISOString();
  await store.runs.upsert(aRun({ client: 'demo', runId: 'good', status: 'completed', startedAt, snapshot: summary }));
}

/** One export of the run, as the export activity does it: the run record then names its snapshot. */
export async function exportOfRun(store: StateStore, states: readonly Selection[]): Promise<Awaited<ReturnType<typeof exportToSnapshot>>> {
  const exported = await exportToSnapshot({
    client: 'demo',
    runId: RESTORE_RUN,
    rules,
    list: { listId: 100, allowResubscribe: false },
    crm: inMemoryCrm({ newsletter: crmRows(states) }),
    store,
    now: () => RESTORE_NOW,
  });
  await recordExportOfRun(store, exported, { runId: RESTORE_RUN });
  return exported;
}

/** The run fails after its clear: the restore's plan, and the entity ids of the list it restores. */
export async function restoredEntityIds(store: StateStore): Promise<string[]> {
  const plan = await prepareRestore({
    store,
    client: 'demo',
    list: LIST,
    runId: RESTORE_RUN,
    restoreRunId: `${RESTORE_RUN}:restore`,
    now: RESTORE_NOW,
  });
  if (!plan.restorable) throw new Error(plan.reason);
  const restored: string[] = [];
  for await (const batch of store.snapshots.batches(plan.snapshotRef)) restored.push(...batch.rows.map((r) => String(r.entityId)));
  return restored.sort();
}

/** `C${i}` for each person 0..size-1 that `keep` keeps, sorted. */
export function entityIdsOf(size: number, keep: (i: number) => boolean): string[] {
  return Array.from({ length: size }, (_, i) => i)
    .filter(keep)
    .map((i) => `C${i}`)
    .sort();
}
