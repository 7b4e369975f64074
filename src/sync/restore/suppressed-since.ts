import type { StateStore } from '../../store/state-store';
import type { ExcludedLedgerEntry, SnapshotRow } from '../../store/types';
import { isEarlierExportExclusion } from '../earlier-export-exclusions';
import { storableText } from '../../validation/sendability';
import { storedKeyForms, suppressionKey, suppressionKeyForms } from '../../validation/suppressions';
import { PERSON_EXCLUSIONS } from '../../validation/withdrawn-elsewhere';

/** Why a recipient of the last good list is left out of a restore. */
export type RestoreSuppressionReason =
  'unsubscribed' | 'bounced' | 'consent_withdrawn' | 'resubscribe_needs_optin' | 'resubscribe_zone_unknown' | 'withdrawal_not_regranted';

/** The field of the snapshot row that matched (`recipient_id`, `email`) or `entity`. */
export type RestoreSuppression = { reason: RestoreSuppressionReason; field: string };

/**
 * Today's export exclusions that speak for the person, not for the row: consent withdrawn in the
 * CRM, unsubscribed or bounced (CRM column or suppression ledger), a re-grant that needs an opt-in.
 * The same set for which one row's withdrawal excludes every row of the person at export.
 */
const CONSENT_EXCLUSIONS: ReadonlySet<string> = PERSON_EXCLUSIONS;

export interface SuppressedSinceInput {
  store: StateStore;
  client: string;
  listKey: string;
  /** The Optimizely list id: its unsubscribes and the client-wide ones apply. */
  listId: number;
  /** The failed run: its export's consent exclusions apply. */
  runId: string;
  /**
   * The list's consent today and when the last good run started: the CRM withdrawals of that consent
   * the suppression ledger recorded since (ISO) apply. Absent: none (a caller with no last good run).
   */
  crmWithdrawals?: { optInId: string; mediaType: string; since: string };
}

/**
 * THE filter of a restore ("minus everyone suppressed since"), in one place. A recipient of the last
 * good list is left out when
 *   - the client's suppression ledger holds an unsubscribe (from this list or client-wide) or a
 *     bounce for its recipient id or address: whatever Optimizely reported, including this run's
 *     import. All of them, not only those after the last good run: a restore cannot see the CRM row
 *     that would prove a re-grant, so it errs on the side of the person;
 *   - the suppression ledger holds a withdrawal of the list's consent that an export read in the
 *     CRM since the last good run started (crmWithdrawals): the last good list may hold the person,
 *     whom no export since has seen granting the consent again. One recorded before was checked by
 *     the last good run's own export (a person it sent had granted the consent again since);
 *   - today's export excluded a row for consent (CONSENT_EXCLUSIONS) with its recipient id, its
 *     address or its CRM entity, or an earlier export of the run did (kept apart before a re-export
 *     cleared it: the person may have left the selection since, src/sync/earlier-export-exclusions.ts).
 * Memory: one set entry per suppressed key and per consent exclusion of the run.
 */
export async function suppressedSince(input: SuppressedSinceInput): Promise<(row: SnapshotRow) => RestoreSuppression | undefined> {
  const ledger = new Map<string, RestoreSuppressionReason>();
  for (const s of await input.store.suppressions.forList(input.client, input.listId)) {
    // A bounce wins over an unsubscribe of the same key only in the reason shown; both suppress.
    for (const key of storedKeyForms(s.recipientKey)) {
      if (!ledger.has(key) || s.kind === 'bounce') ledger.set(key, s.kind === 'bounce' ? 'bounced' : 'unsubscribed');
    }
  }
  await addCrmWithdrawals(input, ledger);
  const excludedKeys = new Map<string, RestoreSuppressionReason>();
  const excludedEntities = new Map<string, RestoreSuppressionReason>();
  for await (const entry of input.store.ledger.stream(input.runId, { listKey: input.listKey })) {
    if (entry.outcome !== 'excluded') continue;
    const reason = consentReasonOf(entry);
    if (!reason) continue;
    if (entry.recipientId) for (const key of suppressionKeyForms(entry.recipientId)) excludedKeys.set(key, reason);
    if (entry.entityId) excludedEntities.set(entityKey(entry.entityType, entry.entityId), reason);
  }
  return (row) => {
    for (const field of ['recipient_id', 'email'] as const) {
      const value = String((field === 'email' ? row.email : row.recipientId) ?? '');
      const key = suppressionKey(value);
      const reason = key ? (ledger.get(key) ?? excludedKeys.get(suppressionKey(stored(value)))) : undefined;
      if (reason) return { reason, field };
    }
    const entity = excludedEntities.get(entityKey(stored(String(row.entityType ?? '')), stored(String(row.entityId ?? ''))));
    return entity ? { reason: entity, field: 'entity' } : undefined;
  };
}

/** Adds the CRM withdrawals recorded since the last good run started, under every form of their keys. */
async function addCrmWithdrawals(input: SuppressedSinceInput, ledger: Map<string, RestoreSuppressionReason>): Promise<void> {
  const consent = input.crmWithdrawals;
  if (!consent) return;
  const since = Date.parse(consent.since);
  const scope = { client: input.client, optInId: consent.optInId, mediaType: consent.mediaType };
  for (const w of await input.store.suppressions.crmWithdrawals(scope)) {
    // A time that does not read counts as recent: doubt leaves the person out.
    if (Date.parse(w.withdrawnAt) < since) continue;
    for (const key of storedKeyForms(w.recipientKey)) if (!ledger.has(key)) ledger.set(key, 'consent_withdrawn');
  }
}

/** The consent reason of an exclusion by this or an earlier export of the run, if it is one. */
function consentReasonOf(entry: ExcludedLedgerEntry): RestoreSuppressionReason | undefined {
  const reason = isEarlierExportExclusion(entry) ? (entry.field ?? '') : entry.reason;
  return CONSENT_EXCLUSIONS.has(reason) ? (reason as RestoreSuppressionReason) : undefined;
}

/**
 * The export ledgers an excluded row's identity in a bounded form (`storableText`: cut to 320
 * characters, unstorable characters removed), so a snapshot value is brought to the same form before
 * it is looked up. Two identities that differ only past the bound both match: the restore errs on the
 * side of the person.
 */
function stored(value: string): string {
  return storableText(value);
}

/** Entity types are compared as the export normalises them (lower case): an excluded row keeps the CRM's spelling. */
function entityKey(entityType: string, entityId: string): string {
  return `${entityType.trim().toLowerCase()}\u0000${entityId.trim()}`;
}
