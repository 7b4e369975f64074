import { systemClock } from '../clock';
import type { CrmPort } from '../crm/crm-port';
import type { StateStore } from '../store/state-store';
import type { CrmWithdrawalScope } from '../store/suppression-types';
import type { ExcludedLedgerEntry, SanitizedLedgerEntry, SnapshotRow, SnapshotSummary } from '../store/types';
import { exportAndValidate, type ExportCounts } from '../validation/export-and-validate';
import type { ListRules } from '../validation/list-rules';
import type { Exclusion, Recipient } from '../validation/recipient';
import type { SanitizedField } from '../validation/sendability';
import { recipientIdKey } from '../validation/recipient-id-key';
import { suppressionLookup, type SuppressionLookup } from '../validation/suppressions';
import { keepEarlierExportExclusions } from './earlier-export-exclusions';
import { attributeNamesFor, travellingValuesHash } from './recipient-batch';

export interface ExportToSnapshotInput {
  client: string;
  runId: string;
  rules: ListRules;
  /** The Optimizely list filled and its re-subscription setting: the suppression ledger's scope. */
  list: { listId: number; allowResubscribe: boolean };
  crm: CrmPort;
  store: StateStore;
  scratchDirectory?: string;
  /** A CRM consent time after this is not believed (default: now). */
  now?: () => Date;
  onProgress?: (rowsRead: number) => void;
  pace?: () => Promise<void>;
  /** Each thousand accepted rows before they are written (the attribute comparison, attribute-baseline.ts). */
  observe?: (rows: readonly SnapshotRow[]) => Promise<void>;
}

const FLUSH_EVERY = 1000;

/**
 * Runs a list's selection into a new snapshot (accepted recipients) and the ledger (exclusions with
 * their reason, and the sanitized attribute values of accepted rows), so `rowsRead = count + excluded`.
 * The client's suppression ledger wins over the CRM: a recipient Optimizely reported unsubscribed
 * (from this list or client-wide) or bounced is excluded, and so is one whose withdrawal the CRM
 * stated at an earlier export unless it granted the consent again since; the withdrawals the CRM
 * states tonight are recorded there (crmWithdrawalRecorder). A retried export (or a re-export) starts over: the
 * exclusions of this run and list are forgotten first, except its person exclusions, which are kept
 * apart for the restore (earlier-export-exclusions.ts), and an unfinished snapshot is dropped.
 */
export async function exportToSnapshot(input: ExportToSnapshotInput): Promise<SnapshotSummary & { counts: ExportCounts }> {
  const { store, runId, rules } = input;
  // An earlier export's withdrawals outlive the clear: the restore must still see them.
  await keepEarlierExportExclusions(store, runId, rules.listKey);
  await store.ledger.clearExclusions(runId, rules.listKey);
  // The snapshot is opened before the ledger is read: the refill asks the ledger again for what was
  // recorded since the snapshot's creation (src/sync/ledger-opt-outs.ts), so nothing falls in between.
  const writer = await store.snapshots.open({ client: input.client, listKey: rules.listKey, runId });
  const lookups = await Promise.all([listSuppression(input), refusedBeforeLookup(input)]).catch(async (error: unknown) => {
    await writer.abort();
    throw error;
  });
  const [suppression, refused] = lookups;
  const withdrawals = crmWithdrawalRecorder(input);
  let rows: SnapshotRow[] = [];
  let exclusions: (ExcludedLedgerEntry | SanitizedLedgerEntry)[] = [];
  const flushRows = async () => {
    if (rows.length > 0) {
      await input.observe?.(rows);
      await writer.append(rows);
    }
    rows = [];
  };
  const flushExclusions = async () => {
    if (exclusions.length > 0) await store.ledger.record(exclusions);
    exclusions = [];
  };
  try {
    const counts = await exportAndValidate({
      crm: input.crm,
      rules,
      suppression,
      scratchDirectory: input.scratchDirectory,
      onProgress: input.onProgress,
      pace: input.pace,
      refusedBefore: refused.lookup,
      crmWithdrawal: withdrawals.add,
      accepted: {
        write: async ({ rowNumber, recipient, sanitized }) => {
          rows.push(toSnapshotRow(recipient));
          if (rows.length >= FLUSH_EVERY) await flushRows();
          if (sanitized === undefined) return;
          exclusions.push(...sanitized.map((s) => toSanitizedEntry(runId, rules.listKey, rowNumber, recipient, s)));
          if (exclusions.length >= FLUSH_EVERY) await flushExclusions();
        },
      },
      excluded: {
        write: async (exclusion) => {
          exclusions.push(toLedgerEntry(runId, rules.listKey, exclusion));
          if (exclusions.length >= FLUSH_EVERY) await flushExclusions();
        },
      },
    });
    await flushRows();
    await flushExclusions();
    await withdrawals.flush();
    const summary = await writer.finish();
    await store.refusals.forget(input.client, rules.listKey, refused.changed);
    return { ...summary, counts };
  } catch (error) {
    await writer.abort();
    throw error;
  }
}

/** The suppression ledger's decision for a list's export; `campaign-sync plan` uses the same. */
export async function listSuppression(
  input: Pick<ExportToSnapshotInput, 'client' | 'list' | 'store' | 'now'> & { rules: ConsentOfList },
): Promise<SuppressionLookup> {
  const [active, crmWithdrawals] = await Promise.all([
    input.store.suppressions.forList(input.client, input.list.listId),
    input.store.suppressions.crmWithdrawals(crmWithdrawalScope(input)),
  ]);
  return suppressionLookup({
    active,
    crmWithdrawals,
    allowResubscribe: input.list.allowResubscribe,
    now: (input.now ?? systemClock)().getTime(),
  });
}

/** The list's consent, all the suppression ledger's CRM withdrawals need of its rules. */
type ConsentOfList = Pick<ListRules, 'optInId' | 'mediaType'>;

/** The consent a list's CRM withdrawals are recorded and checked under: its opt-in id and medium. */
function crmWithdrawalScope(input: { client: string; rules: ConsentOfList }): CrmWithdrawalScope {
  return { client: input.client, optInId: input.rules.optInId, mediaType: input.rules.mediaType };
}

/** Keys per write of the CRM withdrawals: memory stays bounded whatever the number of withdrawn rows. */
const WITHDRAWALS_PER_FLUSH = 1000;

/**
 * Records the withdrawals the CRM states during the nightly export (never a dry run: `plan` does not
 * export to a snapshot) in the suppression ledger, timed at the export's start (`now`, the
 * activity's clock): a retried export records the same keys again, the store keeping the latest
 * time. Written as the export reads them, before its snapshot is finished: a withdrawal the CRM
 * stated is true whether or not the night's sync goes on.
 */
function crmWithdrawalRecorder(input: Pick<ExportToSnapshotInput, 'client' | 'rules' | 'store' | 'now'>) {
  const scope = crmWithdrawalScope(input);
  const at = (input.now ?? systemClock)().toISOString();
  let pending = new Set<string>();
  const flush = async () => {
    const keys = [...pending];
    pending = new Set();
    if (keys.length > 0) await input.store.suppressions.recordCrmWithdrawals(scope, keys, at);
  };
  return {
    add: async (keys: readonly string[]) => {
      for (const key of keys) pending.add(key);
      if (pending.size >= WITHDRAWALS_PER_FLUSH) await flush();
    },
    flush,
  };
}

/**
 * Who Optimizely refused before with the same values (docs/crm.md, "Refused before"): such a
 * recipient is excluded as `rejected_before`; one whose values changed is sent again, and its
 * remembered refusal is forgotten once the snapshot is written (a new refusal is remembered anew).
 * `campaign-sync plan` uses the same lookup and forgets nothing.
 */
export async function refusedBeforeLookup(
  input: Pick<ExportToSnapshotInput, 'client' | 'rules' | 'store'>,
): Promise<{ lookup: (r: Recipient) => string | undefined; changed: string[] }> {
  const remembered = new Map((await input.store.refusals.forList(input.client, input.rules.listKey)).map((r) => [r.recipientKey, r]));
  const changed: string[] = [];
  if (remembered.size === 0) return { lookup: () => undefined, changed };
  const attributeNames = attributeNamesFor(input.rules.attributes);
  const lookup = (recipient: Recipient) => {
    const key = recipientIdKey(recipient.recipientId);
    const refusal = remembered.get(key);
    if (!refusal) return undefined;
    if (refusal.valuesHash === travellingValuesHash(recipient, attributeNames)) return refusal.field ?? 'recipient_id';
    changed.push(key);
    return undefined;
  };
  return { lookup, changed };
}

function toSnapshotRow(recipient: Recipient): SnapshotRow {
  return { ...recipient, attributes: { ...recipient.attributes } };
}

function toLedgerEntry(runId: string, listKey: string, exclusion: Exclusion): ExcludedLedgerEntry {
  return {
    runId,
    listKey,
    outcome: 'excluded',
    rowNumber: exclusion.rowNumber,
    reason: exclusion.reason,
    field: exclusion.field,
    recipientId: exclusion.recipientId ?? '',
    entityType: exclusion.entityType ?? '',
    entityId: exclusion.entityId ?? '',
  };
}

function toSanitizedEntry(runId: string, listKey: string, rowNumber: number, r: Recipient, s: SanitizedField): SanitizedLedgerEntry {
  const { recipientId, entityType, entityId } = r;
  return { runId, listKey, outcome: 'sanitized', rowNumber, reason: s.problem, field: s.field, recipientId, entityType, entityId };
}
