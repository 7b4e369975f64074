import type { ExcludedLedgerEntry, SentLedgerEntry } from '../../../src/store/types';
import { EXCLUSION_REASONS } from '../../../src/validation/exclusion-reasons';
import type { SyncStack } from '../sync-stack';
import type { IdnPolicy } from './crm-tables';
import { LIST_CONSENT, plainlyTheLists, type ListKey, type ListVerdict } from './nightly-model';
import { formAddress } from './row-cells';
import type { CrmRow } from './scenario';

// Invariant (2) of the hostile nightly property: every CRM row of the night is accounted for in the
// list run's ledger (what `why` and `report` read): sent, or excluded with a reason of the closed set;
// and the people the model keeps out for an opt-out are excluded for an opt-out, not some other reason.

/** The reasons that say "this person opted out" (the CRM's columns, now or on an earlier night, or Optimizely through the ledger). */
const OPT_OUT_REASONS: ReadonlySet<string> = new Set([
  'consent_withdrawn',
  'bounced',
  'unsubscribed',
  'resubscribe_needs_optin',
  'resubscribe_zone_unknown',
  'withdrawal_not_regranted',
]);

interface RunLedger {
  rowsRead: number | undefined;
  exported: number;
  /** Export exclusions by selection row (1-based). */
  byRow: Map<number, ExcludedLedgerEntry>;
  /** Exported recipients left out at the refill (Optimizely's unsubscribe list, or the ledger since the export), by recipient id. */
  leftOut: Map<string, ExcludedLedgerEntry>;
  sent: SentLedgerEntry[];
  /** Strategy reconcile: recipients left on the list (unchanged or updated). */
  kept: string[];
}

async function lastRunLedger(stack: SyncStack, list: ListKey): Promise<RunLedger> {
  const [run] = await stack.deps.store.runs.list({ client: stack.clientKey, listKey: list, kind: 'list', limit: 1 });
  if (!run) throw new Error(`no run of list ${list}`);
  const ledger: RunLedger = {
    rowsRead: run.counts.rowsRead,
    exported: run.counts.exported ?? 0,
    byRow: new Map(),
    leftOut: new Map(),
    kept: [],
    sent: [],
  };
  for await (const entry of stack.deps.store.ledger.stream(run.runId, { listKey: list })) {
    if (entry.outcome === 'sent') ledger.sent.push(entry);
    if (entry.outcome === 'kept') ledger.kept.push(entry.recipientId);
    if (entry.outcome !== 'excluded') continue;
    if (entry.rowNumber > 0) {
      if (ledger.byRow.has(entry.rowNumber)) throw new Error(`row ${entry.rowNumber} excluded twice`);
      ledger.byRow.set(entry.rowNumber, entry);
    } else ledger.leftOut.set(entry.recipientId, entry);
  }
  return ledger;
}

export async function expectEveryRowAccounted(
  stack: SyncStack,
  where: { night: number; list: ListKey },
  rows: readonly CrmRow[],
  verdict: ListVerdict,
  idn: IdnPolicy,
): Promise<void> {
  const ledger = await lastRunLedger(stack, where.list);
  expect({ ...where, rowsRead: ledger.rowsRead }).toEqual({ ...where, rowsRead: rows.length });
  expect({ ...where, rowsAccounted: ledger.byRow.size + ledger.exported }).toEqual({ ...where, rowsAccounted: rows.length });
  for (const entry of ledger.byRow.values()) {
    expect({
      ...where,
      row: entry.rowNumber,
      known: EXCLUSION_REASONS.includes(entry.reason as never) && entry.rowNumber <= rows.length,
    }).toEqual({
      ...where,
      row: entry.rowNumber,
      known: true,
    });
  }
  expect({ ...where, exportedAccounted: ledger.sent.length + ledger.kept.length + ledger.leftOut.size }).toEqual({
    ...where,
    exportedAccounted: ledger.exported,
  });
  const added = [...ledger.sent.filter((e) => e.resultCode === 0).map((e) => e.recipientId), ...ledger.kept];
  expect({ ...where, added: added.sort() }).toEqual({ ...where, added: verdict.sendable });
  for (const [index, row] of rows.entries()) {
    if (!verdict.optedOut.has(formAddress(row)) || !plainlyTheLists(row, LIST_CONSENT[where.list], idn)) continue;
    const reason = ledger.byRow.get(index + 1)?.reason;
    const atRefill = ledger.leftOut.get(formAddress(row))?.reason;
    const optOut =
      OPT_OUT_REASONS.has(reason ?? '') || ((reason === undefined || reason === 'duplicate') && OPT_OUT_REASONS.has(atRefill ?? ''));
    expect({ ...where, row: index + 1, reason, atRefill, optOut }).toEqual({ ...where, row: index + 1, reason, atRefill, optOut: true });
  }
}
