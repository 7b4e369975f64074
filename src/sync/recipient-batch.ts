import { createHash } from 'node:crypto';
import type { AddAll3Input } from '../optimizely/client/optimizely-port';
import type { RefusedValues, RejectedLedgerEntry, ResultCode, SentLedgerEntry, SnapshotRow } from '../store/types';
import type { Recipient } from '../validation/recipient';
import { recipientIdKey } from '../validation/recipient-id-key';

/** Sent with every recipient so feedback can find its CRM entity (Optimizely field names). */
export const TECHNICAL_FIELDS = ['opt-in-id', 'description', 'media-type', 'entity-type', 'entity-id'] as const;

/** Optimizely field names sent for a list: the technical fields, then the mapped attributes. */
export function attributeNamesFor(attributeMapping: Record<string, string>): string[] {
  return [...TECHNICAL_FIELDS, ...Object.values(attributeMapping)];
}

/** One `addAll3` call from snapshot rows (at most 1000). */
export function addAll3Input(
  rows: readonly SnapshotRow[],
  list: { listId: number; optinProcessId: number },
  attributeNames: readonly string[],
): AddAll3Input {
  const recipients = rows as unknown as Recipient[];
  const mapped = attributeNames.slice(TECHNICAL_FIELDS.length);
  return {
    listId: list.listId,
    optinProcessId: list.optinProcessId,
    recipientIds: recipients.map((r) => r.recipientId),
    addresses: recipients.map((r) => r.email),
    attributeNames,
    attributeValues: recipients.map((r) => [
      r.optInId,
      r.description,
      r.mediaType,
      r.entityType,
      r.entityId,
      ...mapped.map((field) => r.attributes[field] ?? null),
    ]),
  };
}

/**
 * The ledger entries of one acknowledged batch: each recipient with its result code, except the
 * `notSent` positions (rejected, or left out as unsubscribed: ledgered when the refill found them).
 */
export function sentEntries(
  rows: readonly SnapshotRow[],
  codes: readonly ResultCode[],
  ref: { runId: string; listKey: string },
  notSent: readonly number[] = [],
): SentLedgerEntry[] {
  const recipients = rows as unknown as Recipient[];
  const skip = new Set(notSent);
  return recipients.flatMap((r, i) =>
    skip.has(i)
      ? []
      : [
          {
            runId: ref.runId,
            listKey: ref.listKey,
            recipientId: r.recipientId,
            entityType: r.entityType,
            entityId: r.entityId,
            outcome: 'sent' as const,
            resultCode: codes[i] ?? 7,
          },
        ],
  );
}

/** The rejected ledger entries of a batch's refused recipients. */
export function rejectedEntries(
  rows: readonly SnapshotRow[],
  refused: readonly { index: number; fault: string }[],
  ref: { runId: string; listKey: string },
): RejectedLedgerEntry[] {
  const recipients = rows as unknown as Recipient[];
  return refused.map(({ index, fault }) => {
    const r = recipients[index] as Recipient;
    return {
      runId: ref.runId,
      listKey: ref.listKey,
      recipientId: r.recipientId,
      entityType: r.entityType,
      entityId: r.entityId,
      outcome: 'rejected',
      fault,
    };
  });
}

/**
 * SHA-256 of what addAll3 sends for one recipient (field names with their values, id, address; built
 * by addAll3Input itself, so there is one authority for "the values that travel"). The export compares
 * it with the hash of a refused recipient's values: the same hash means the same refused values. The
 * fields are taken in name order: the order of the attribute mapping in the configuration decides the
 * column order of the call, not what a recipient's fields hold, so reordering it changes no hash.
 * (Refusals remembered before this order was chosen match no longer: each is sent once more.)
 */
export function travellingValuesHash(row: SnapshotRow | Recipient, attributeNames: readonly string[]): string {
  const call = addAll3Input([row as SnapshotRow], { listId: 0, optinProcessId: 0 }, attributeNames);
  const values = call.attributeValues[0] ?? [];
  const fields = call.attributeNames.map((name, i) => [name, values[i] ?? null] as const).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return sha256Json([fields, call.recipientIds[0], call.addresses[0]]);
}

const sha256Json = (value: unknown) => createHash('sha256').update(JSON.stringify(value)).digest('hex');

const ENCODER_PATH = /cannot encode request: (recipientIds|addresses|attributeValues)\[\d+\](?:\[(\d+)\])?/;

/** The field a refusal's (redacted) fault names: the request writer's path does; the server's text does not. */
export function refusedField(fault: string, attributeNames: readonly string[]): string | null {
  const path = ENCODER_PATH.exec(fault);
  if (!path) return null;
  if (path[1] === 'recipientIds') return 'recipient_id';
  if (path[1] === 'addresses') return 'email';
  return path[2] === undefined ? null : (attributeNames[Number(path[2])] ?? null);
}

/** What the refusal store remembers of a batch's refused recipients. */
export function refusedValuesOf(
  rows: readonly SnapshotRow[],
  refused: readonly { index: number; fault: string }[],
  ref: { client: string; runId: string; listKey: string; attributeNames: readonly string[]; refusedAt: string },
): RefusedValues[] {
  return refused.map(({ index, fault }) => {
    const row = rows[index] as SnapshotRow;
    return {
      client: ref.client,
      listKey: ref.listKey,
      recipientKey: recipientIdKey((row as unknown as Recipient).recipientId),
      valuesHash: travellingValuesHash(row, ref.attributeNames),
      field: refusedField(fault, ref.attributeNames),
      runId: ref.runId,
      refusedAt: ref.refusedAt,
    };
  });
}
