import { basename } from 'node:path';
import type { ClientConfig } from '../config/config-schema';
import type { CrmPort, FeedbackEvent } from '../crm/crm-port';
import type { FeedbackIntakeStore, LedgerStore } from '../store/state-store';
import type { FeedbackColumnMapping } from './feedback-columns';
import { appliedEventKey, appliedKeyForms } from './applied-event-key';
import { feedbackMappingOf, resolveSentIds, type FeedbackKind } from './feedback-events';
import { readFeedbackFile } from './feedback-file';
import type { ValidFeedbackRow } from './feedback-row';
import { betterOutcome, ROW_OUTCOME, type FeedbackTally, type RowOutcome } from './feedback-tally';
import type { SuppressionRecorder } from './record-suppressions';
import { RejectLog } from './reject-log';

export { emptyTally, type FeedbackTally } from './feedback-tally';

export interface ApplyFeedbackPorts {
  client: ClientConfig;
  ledger: LedgerStore;
  intake: FeedbackIntakeStore;
  crm: CrmPort;
  runId: string;
  /** Now in Optimizely server time: the bound for plausible event times. */
  nowMs: number;
  mapping?: FeedbackColumnMapping;
  /** The file is one `writeFeedbackFile` wrote (formula cells escaped), not a dropped one. */
  formulaEscaped?: boolean;
  /** Event keys met in this import so far: the same event twice (two getters, a dropped twin) applies once. */
  seen: Set<string>;
  /** The suppression ledger: fed every valid row, whatever the CRM makes of it. */
  suppressions?: SuppressionRecorder;
  /**
   * The activity's cancellation: no chunk is begun after it fires. The chunks before are applied and
   * their keys recorded; the retry reads the file again and finds them `repeated`.
   */
  signal?: AbortSignal;
}

const CHUNK = 500;
const LOGGED_REJECTIONS = 100;

/**
 * Reads one feedback file (already known to be readable) and applies its valid rows to the CRM in
 * chunks; rejected rows are counted by reason and listed in `<file>.rejected.csv` beside it. Every
 * row ends in exactly one count of `tally`.
 */
export async function applyFeedbackFile(
  path: string,
  kind: FeedbackKind,
  ports: ApplyFeedbackPorts,
  tally: FeedbackTally,
  onProgress?: (rows: number) => void,
): Promise<void> {
  const rejects = new RejectLog(`${path}.rejected.csv`);
  let chunk: ValidFeedbackRow[] = [];
  try {
    for await (const line of readFeedbackFile(path, {
      mapping: ports.mapping,
      nowMs: ports.nowMs,
      formulaEscaped: ports.formulaEscaped,
      kind,
    })) {
      tally.rows += 1;
      if (line.ok) chunk.push(line.row);
      else {
        tally.rejected[line.reason] += 1;
        if (tally.rejectedLines.length < LOGGED_REJECTIONS)
          tally.rejectedLines.push({ file: basename(path), line: line.line, reason: line.reason });
        await rejects.write(line.line, line.reason, line.detail);
      }
      if (chunk.length >= CHUNK) {
        ports.signal?.throwIfAborted();
        await applyValidRows(kind, chunk, ports, tally);
        chunk = [];
      }
      if (tally.rows % 1000 === 0) onProgress?.(tally.rows);
    }
    ports.signal?.throwIfAborted();
    await applyValidRows(kind, chunk, ports, tally);
  } finally {
    await rejects.close();
  }
}

/**
 * The one place validated feedback exists: every row here passed checkFeedbackRow (integer list
 * id, real time, a recipient id). Each goes to the suppression ledger; then each recipient id is
 * resolved to the id it was sent as (resolveSentIds) and the row keyed by it (appliedEventKey), so
 * de-duplication is per person: rows whose event was applied before (under today's key or a former
 * one) or met earlier in this import are `repeated`; the rest are mapped to CRM entities and
 * applied, and their keys recorded once the CRM accepted them. A crash in between leaves the keys
 * unrecorded: the retry hands the same events again, which the CRM answers `already` (its writes are
 * idempotent and recency-safe, docs/crm.md), and records them then.
 */
export async function applyValidRows(
  kind: FeedbackKind,
  rows: readonly ValidFeedbackRow[],
  ports: ApplyFeedbackPorts,
  tally: FeedbackTally,
): Promise<void> {
  if (rows.length === 0) return;
  for (const row of rows) {
    await ports.suppressions?.ledgerSuppression(kind, {
      recipientId: row.recipientId,
      timestamp: row.occurredAt,
      recipientListId: String(row.listId),
    });
  }
  // The chunk's ids in one ledger statement (per 500), their misses' other forms in one more.
  const resolved = await resolveSentIds(
    rows.map((row) => row.recipientId),
    (recipientIds) => ports.ledger.sentEntitiesOf({ recipientIds, client: ports.client.key }),
  );
  const sentIds = rows.map((row) => resolved.get(row.recipientId)?.sentId);
  const keys = rows.map((row, slot) => appliedEventKey(kind, row, sentIds[slot]));
  const keyForms = rows.map((row, slot) => appliedKeyForms(kind, row, sentIds[slot]));
  const known = await ports.intake.appliedKeys(ports.client.key, [...new Set(keyForms.flat())]);
  const outcome: Array<RowOutcome | undefined> = [];
  const events: FeedbackEvent[] = [];
  const slotOf: number[] = [];
  for (const [slot, row] of rows.entries()) {
    const key = keys[slot] as string;
    if (keyForms[slot]!.some((form) => known.has(form)) || ports.seen.has(key)) {
      outcome[slot] = 'repeated';
      continue;
    }
    ports.seen.add(key);
    const sent = resolved.get(row.recipientId)?.sent ?? [];
    const { events: mapped, unresolved } = feedbackMappingOf(kind, row, ports.client, sent);
    // Unresolved outranks any CRM outcome: part of the opt-out was not applied, and the row says so.
    if (unresolved) outcome[slot] = 'unresolvedOptOut';
    else if (mapped.length === 0) outcome[slot] = 'unknownRecipient';
    events.push(...mapped);
    slotOf.push(...mapped.map(() => slot));
  }
  if (events.length > 0) {
    for (const result of await ports.crm.applyFeedback(events)) {
      const slot = slotOf[result.index] as number;
      outcome[slot] = betterOutcome(outcome[slot], ROW_OUTCOME[result.outcome]);
    }
  }
  const done = keys.filter((_, slot) => ['applied', 'handed', 'alreadyApplied'].includes(outcome[slot] as string));
  await ports.intake.recordAppliedKeys(ports.client.key, done, ports.runId);
  for (const final of outcome) tally[final as RowOutcome] += 1;
}
