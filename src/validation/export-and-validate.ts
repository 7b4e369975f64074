import { crmCell, hasCrmColumn, malformedRowOf, type CrmPort, type CrmRow } from '../crm/crm-port';
import { checkSelectionColumnNames } from '../crm/selection-column-names';
import { CrmSelectionColumnsError } from '../errors/crm-selection-columns-error';
import { cellText } from './cell-text';
import { createDedupStage } from './dedup-stage';
import { zeroReasonCounts, type ExclusionReason } from './exclusion-reasons';
import { entityRank, selectionKeyOfRules, type ListRules } from './list-rules';
import type { Exclusion, Recipient } from './recipient';
import { checkSendability, storableText, type SanitizedField, type SendabilityCheck } from './sendability';
import { suppressionKeyForms, zeroSuppressionCounts, type SuppressionLookup, type SuppressionReason } from './suppressions';
import { optOutOfAnyReading, selectionColumns, SUPPRESSION_COLUMNS, validateRow } from './validate-row';
import { PERSON_EXCLUSIONS, withdrawnKeys } from './withdrawn-elsewhere';

/** Receives rows one at a time; a returned promise is awaited before the next row (backpressure). */
export interface RowSink<T> {
  write(item: T): void | Promise<void>;
}

export interface AcceptedRow {
  rowNumber: number;
  recipient: Recipient;
  /** Attribute values changed so the recipient can be sent (absent when none). */
  sanitized?: SanitizedField[];
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
  /** The sendability stage; replaced only by bench/crm-export to measure the export without it. */
  checkSendable?: SendabilityCheck;
  /** Awaited every 1000 rows read and every 1000 rows drained: lets the caller give way to other work. */
  pace?: () => Promise<void>;
  /**
   * For a de-duplicated recipient about to be accepted: the field to exclude it under as
   * `rejected_before` when Optimizely refused exactly these values before, else undefined.
   */
  refusedBefore?: (recipient: Recipient) => string | undefined;
  /**
   * For a row the CRM states withdrawn (consent_withdrawn, bounced or unsubscribed set for what may
   * be the list's consent and medium): the keys its opt-out holds under (`suppressionKeyForms` of
   * its raw recipient id and address). The nightly export records them in the suppression ledger;
   * a dry run (`plan`) passes nothing. Awaited (backpressure).
   */
  crmWithdrawal?: (recipientKeys: readonly string[]) => void | Promise<void>;
}

/** The reasons only a CRM opt-out column gives (validateRow decides them before anything else). */
const CRM_OPT_OUTS: ReadonlySet<ExclusionReason> = new Set(SUPPRESSION_COLUMNS.map(([, reason]) => reason));

const PACE_EVERY = 1000;

/** `rowsRead === accepted + sum(excluded)` always holds; sanitized recipients are among the accepted. */
export interface ExportCounts {
  rowsRead: number;
  accepted: number;
  excluded: Record<ExclusionReason, number>;
  /** Accepted recipients with at least one sanitized attribute value. */
  sanitizedRows: number;
  /** Sanitized attribute values of accepted recipients, per CRM column. */
  sanitized: Record<string, number>;
  /** Rows read whose Unicode e-mail domain was converted to punycode (list policy `idnDomains: punycode`). */
  idnConverted: number;
  /** The part of `excluded` the suppression ledger decided ("suppressed at export"), by reason. */
  suppressed: Record<SuppressionReason, number>;
}

/**
 * Streams a list's selection through validation, suppression and de-duplication so that every row
 * read ends in exactly one sink. Accepted rows come out sorted by recipient id, after the whole
 * selection was read (de-duplication must see every candidate first).
 */
export async function exportAndValidate(input: ExportAndValidateInput): Promise<ExportCounts> {
  const { rules, accepted, excluded } = input;
  const counts: ExportCounts = {
    rowsRead: 0,
    accepted: 0,
    excluded: zeroReasonCounts(),
    sanitizedRows: 0,
    sanitized: {},
    idnConverted: 0,
    suppressed: zeroSuppressionCounts(),
  };
  const exclude = async (exclusion: Exclusion): Promise<void> => {
    counts.excluded[exclusion.reason] += 1;
    await excluded.write(storableExclusion(exclusion));
  };
  const stage = createDedupStage({ directory: input.scratchDirectory });
  // A withdrawal in one row wins for every row of the same person (withdrawn-elsewhere.ts).
  const withdrawn = withdrawnKeys();
  let columnsChecked = false;
  try {
    for await (const raw of input.crm.exportSelection(selectionKeyOfRules(rules))) {
      const rowNumber = ++counts.rowsRead;
      if (input.onProgress && rowNumber % (input.progressEvery ?? 10_000) === 0) input.onProgress(rowNumber);
      if (input.pace && rowNumber % PACE_EVERY === 0) await input.pace();
      const malformed = malformedRowOf(raw);
      if (malformed) {
        // An opt-out a line states is not lost with the line: it wins for the person's other rows.
        const readings = malformed.salvage ?? [];
        const optOut = optOutOfAnyReading(readings, rules);
        if (optOut) withdrawn.note(readings.flatMap(rawKeys), optOut, optOut, rowNumber);
        const reason = malformed.cut ? 'cut_last_line' : 'malformed_row';
        const field = malformed.field === undefined ? '' : ` field ${malformed.field}`;
        await exclude({ rowNumber, reason, field: `line ${malformed.line}${field} (${malformed.problem})` });
        continue;
      }
      if (!columnsChecked) checkColumns(raw, rules);
      columnsChecked = true;
      const result = validateRow(raw, rules, rowNumber);
      if (!result.ok) {
        if (PERSON_EXCLUSIONS.has(result.reason)) withdrawn.note(rawKeys(raw), result.reason, result.field, rowNumber);
        if (input.crmWithdrawal && CRM_OPT_OUTS.has(result.reason)) await input.crmWithdrawal(withdrawalKeys(raw));
        await exclude({ rowNumber, reason: result.reason, field: result.field, ...rawIdentity(raw) });
        continue;
      }
      if (result.idnConverted) counts.idnConverted += 1;
      const suppressed = input.suppression?.(result.recipient, raw);
      if (suppressed !== undefined) {
        counts.suppressed[suppressed.reason] += 1;
        withdrawn.note([result.recipient.recipientId, result.recipient.email], suppressed.reason, suppressed.field, rowNumber);
        await exclude({ rowNumber, ...suppressed, ...identity(result.recipient) });
        continue;
      }
      const sendable = (input.checkSendable ?? checkSendability)(result.recipient, rules.sendability, rules.attributes);
      if (!sendable.ok) {
        await exclude({ rowNumber, reason: sendable.reason, field: sendable.field, ...identity(result.recipient) });
        continue;
      }
      stage.add(sendable.recipient, entityRank(rules, sendable.recipient.entityType), rowNumber, sendable.sanitized);
    }
    let drained = 0;
    for (const staged of stage.drain()) {
      if (input.pace && ++drained % PACE_EVERY === 0) await input.pace();
      const elsewhere = withdrawn.find(staged.recipient);
      const refusedField = staged.duplicate || elsewhere ? undefined : input.refusedBefore?.(staged.recipient);
      if (elsewhere !== undefined) {
        await exclude({ rowNumber: staged.rowNumber, ...elsewhere, ...identity(staged.recipient) });
      } else if (staged.duplicate) {
        await exclude({ rowNumber: staged.rowNumber, reason: 'duplicate', field: 'recipient_id', ...identity(staged.recipient) });
      } else if (refusedField !== undefined) {
        await exclude({ rowNumber: staged.rowNumber, reason: 'rejected_before', field: refusedField, ...identity(staged.recipient) });
      } else {
        counts.accepted += 1;
        if (staged.sanitized) countSanitized(counts, staged.sanitized);
        await accepted.write({
          rowNumber: staged.rowNumber,
          recipient: staged.recipient,
          ...(staged.sanitized ? { sanitized: staged.sanitized } : {}),
        });
      }
    }
  } finally {
    stage.close();
  }
  return counts;
}

/**
 * Throws CrmSelectionColumnsError when a selection row lacks a column the list needs, and
 * CrmSelectionAmbiguousError when it returns a consent column under another spelling (its opt-outs
 * would be ignored); `campaign-sync check` uses it too.
 */
export function checkColumns(raw: CrmRow, rules: ListRules): void {
  const missing = selectionColumns(rules.attributes).filter((c) => !hasCrmColumn(raw, c));
  if (missing.length > 0) throw new CrmSelectionColumnsError(rules.listKey, missing);
  checkSelectionColumnNames(rules.listKey, Object.keys(raw), rules.attributes);
}

/**
 * The ledger keeps an excluded row's identity as the CRM gave it, except what no store can hold
 * (a NUL breaks PostgreSQL text, a lone surrogate has no UTF-8 form) and runaway lengths.
 */
function storableExclusion(exclusion: Exclusion): Exclusion {
  const out = { ...exclusion };
  for (const key of ['recipientId', 'entityType', 'entityId'] as const) {
    const value = out[key];
    if (value !== undefined) out[key] = storableText(value);
  }
  return out;
}

function countSanitized(counts: ExportCounts, fields: readonly SanitizedField[]): void {
  counts.sanitizedRows += 1;
  for (const { field } of fields) counts.sanitized[field] = (counts.sanitized[field] ?? 0) + 1;
}

function identity(r: Recipient): Pick<Exclusion, 'recipientId' | 'entityType' | 'entityId'> {
  return { recipientId: r.recipientId, entityType: r.entityType, entityId: r.entityId };
}

/** The raw recipient id and address of a row that failed validation, as far as they are text. */
function rawKeys(raw: CrmRow): (string | undefined)[] {
  return ['recipient_id', 'email'].map((column) => {
    const cell = cellText(crmCell(raw, column));
    return cell.kind === 'text' ? cell.text : undefined;
  });
}

/**
 * The keys a CRM row's withdrawal is recorded under: every form of its raw recipient id and address
 * (the in-run conflict's keys, withdrawn-elsewhere.ts). A malformed line's keys are a guess (which
 * cell is which is unknown) and are never recorded: its opt-out still wins for the night.
 */
function withdrawalKeys(raw: CrmRow): string[] {
  return [...new Set(rawKeys(raw).flatMap((value) => (value === undefined ? [] : suppressionKeyForms(value))))].filter((key) => key !== '');
}

function rawIdentity(raw: CrmRow): Pick<Exclusion, 'recipientId' | 'entityType' | 'entityId'> {
  const pick = (column: string): string | undefined => {
    const cell = cellText(crmCell(raw, column));
    return cell.kind === 'text' && cell.text.trim() !== '' ? cell.text.trim() : undefined;
  };
  const out: Pick<Exclusion, 'recipientId' | 'entityType' | 'entityId'> = {};
  const [recipientId, entityType, entityId] = [pick('recipient_id'), pick('entity_type'), pick('entity_id')];
  if (recipientId !== undefined) out.recipientId = recipientId;
  if (entityType !== undefined) out.entityType = entityType;
  if (entityId !== undefined) out.entityId = entityId;
  return out;
}
