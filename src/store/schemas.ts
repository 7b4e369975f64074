import { z } from 'zod';
import { RUN_KINDS } from './run-types';

/**
 * An ISO 8601 timestamp with `Z` or an offset (a zoneless one would depend on the host's time zone),
 * stored as UTC with milliseconds so text order equals time order.
 */
export const isoTimestamp = z.iso
  .datetime({ offset: true, error: 'must be an ISO timestamp with Z or an offset' })
  .transform((value) => new Date(value).toISOString());

const key = z.string().min(1);
const json = z.record(z.string(), z.json());

export const runSnapshotSchema = z.object({ snapshotRef: key, count: z.number().int().min(0), checksum: key });

export const runRecordSchema = z.object({
  runId: key,
  kind: z.enum(RUN_KINDS),
  client: key,
  listKey: key.nullable(),
  status: z.enum(['running', 'held', 'completed', 'failed', 'rejected', 'cancelled', 'restored']),
  startedAt: isoTimestamp,
  endedAt: isoTimestamp.nullable(),
  counts: z.record(z.string(), z.number()),
  snapshot: runSnapshotSchema.nullable(),
  consent: z.object({ optInId: key, mediaType: key }).optional(),
  listId: z.number().int().min(0).optional(),
});

export const stepRecordSchema = z.object({
  runId: key,
  name: key,
  status: z.enum(['running', 'completed', 'failed', 'skipped']),
  startedAt: isoTimestamp,
  endedAt: isoTimestamp.nullable(),
  details: json,
});

export const listControlSchema = z.object({
  client: key,
  listKey: key,
  paused: z.boolean(),
  by: key,
  reason: z.string(),
  at: isoTimestamp,
});

export const operatorActionSchema = z.object({
  actionId: key.optional(),
  actor: key,
  action: key,
  client: key,
  listKey: key.nullable(),
  reason: z.string(),
  at: isoTimestamp,
  details: json.optional(),
});

export const watermarkSchema = z.object({ client: key, kind: key, at: isoTimestamp });

export const snapshotMetaSchema = z.object({ client: key, listKey: key, runId: key });
