import type { CrmPort, CrmRow } from '../crm/crm-port';
import { CrmSelectionColumnsError } from '../errors/crm-selection-columns-error';
import { createDedupStage } from './dedup-stage';
import { zeroReasonCounts, type ExclusionReason } from './exclusion-reasons';
import { entityRank, type ListRules } from './list-rules';
import type { Exclusion, Recipient } from './recipient';
import type { SuppressionLookup } from './suppressions';
import { REQUIRED_COLUMNS, validateRow } from './validate-row';

/** Receives rows one at a time; a returned promise is awaited before the next row (backpressure). */
export interface RowSink<T> {
  write(item: T): void | Promise<void>;
}

export interface AcceptedRow {
  rowNumber: number;
  recipient: Recipient;
}

export interface ExportAndValidateInput {
  crm: CrmPort;
  rules: ListRules;
  accepted: RowSink<AcceptedRow>;
  excluded: RowSink<Exclusion>;
  suppression?: SuppressionLookup;
  /** Where the de-duplication scratch file goes (default: the OS temp folder). */
  scratchDirectory?: string;
  /** Called every `progressEvery` rows read, e.g. to heartbeat the activity. */
  onProgress?: (rowsRead: number) => void;
  progressEvery?: number;
  /** Awaited every 1000 rows read and every 1000 rows drained: lets the caller give way to other work. */
  pace?: () => Promise<void>;
}

const PACE_EVERY = 1000;

/** `rowsRead === accepted + sum(excluded)` always holds. */
export interface ExportCounts {
  rowsRead: number;
  accepted: number;
  excluded: Record<ExclusionReason, number>;
}

/**
 * Streams a list's selection through validation, suppression and de-duplication so that every row
 * read ends in exactly one sink. Accepted rows come out sorted by recipient id, after the whole
 * selection was read (de-duplication must see every candidate first).
 */
export async function exportAndValidate(input: ExportAndValidateInput): Promise<ExportCounts> {
  const { rules, accepted, excluded } = input;
  const counts: ExportCounts = { rowsRead: 0, accepted: 0, excluded: zeroReasonCounts() };
  const exclude = async (exclusion: Exclusion): Promise<void> => {
    counts.excluded[exclusion.reason] += 1;
    await excluded.write(exclusion);
  };
  const stage = createDedupStage({ directory: input.scratchDirectory });
  try {
    for await (const raw of input.crm.exportSelection(rules.listKey)) {
      const rowNumber = ++counts.rowsRead;
      if (rowNumber === 1) checkColumns(raw, rules);
      if (input.onProgress && rowNumber % (input.progressEvery ?? 10_000) === 0) input.onProgress(rowNumber);
      if (input.pace && rowNumber % PACE_EVERY === 0) await input.pace();
      const result = validateRow(raw, rules, rowNumber);
      if (!result.ok) {
        await exclude({ rowNumber, reason: result.reason, field: result.field, ...rawIdentity(raw) });
        continue;
      }
      const suppressed = input.suppression?.(result.recipient);
      if (suppressed !== undefined) {
        await exclude({ rowNumber, reason: suppressed, field: 'recipient_id', ...identity(result.recipient) });
        continue;
      }
      stage.add(result.recipient, entityRank(rules, result.recipient.entityType), rowNumber);
    }
    let drained = 0;
    for (const staged of stage.drain()) {
      if (input.pace && ++drained % PACE_EVERY === 0) await input.pace();
      if (staged.duplicate) {
        await exclude({ rowNumber: staged.rowNumber, reason: 'duplicate', field: 'recipient_id', ...identity(staged.recipient) });
      } else {
        counts.accepted += 1;
        await accepted.write({ rowNumber: staged.rowNumber, recipient: staged.recipient });
      }
    }
  } finally {
    stage.close();
  }
  return counts;
}

function checkColumns(raw: CrmRow, rules: ListRules): void {
  const missing = [...REQUIRED_COLUMNS, 'description', ...Object.keys(rules.attributes)].filter((c) => !(c in raw));
  if (missing.length > 0) throw new CrmSelectionColumnsError(rules.listKey, missing);
}

function identity(r: Recipient): Pick<Exclusion, 'recipientId' | 'entityType' | 'entityId'> {
  return { recipientId: r.recipientId, entityType: r.entityType, entityId: r.entityId };
}

function rawIdentity(raw: CrmRow): Pick<Exclusion, 'recipientId' | 'entityType' | 'entityId'> {
  const pick = (column: string): string | undefined => {
    const v = raw[column];
    return v === null || v === undefined || String(v).trim() === '' ? undefined : String(v).trim();
  };
  const out: Pick<Exclusion, 'recipientId' | 'entityType' | 'entityId'> = {};
  const [recipientId, entityType, entityId] = [pick('recipient_id'), pick('entity_type'), pick('entity_id')];
  if (recipientId !== undefined) out.recipientId = recipientId;
  if (entityType !== undefined) out.entityType = entityType;
  if (entityId !== undefined) out.entityId = entityId;
  return out;
}
