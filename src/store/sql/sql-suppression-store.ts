import { z } from 'zod';
import type { SqlDb } from '../../db/sql-db';
import { isoTimestamp } from '../schemas';
import type { SuppressionStore } from '../state-store';
import { sqlCrmWithdrawals } from './sql-crm-withdrawals';
import { SUPPRESSION_SOURCES, type ActiveSuppression, type SuppressionEvent, type SuppressionKind } from '../suppression-types';

const COLUMNS = ['client', 'kind', 'recipient_key', 'list_id', 'occurred_at', 'occurred_at_ms', 'source', 'recorded_at'] as const;
const TYPES = ['text', 'text', 'text', 'bigint', 'text', 'bigint', 'text', 'text'] as const;

/** What the suppression ledger takes; exported for the property that checks the fast path against it. */
export const suppressionEventSchema = z.object({
  client: z.string().min(1),
  kind: z.enum(['unsubscribe', 'bounce']),
  recipientKey: z.string().min(1),
  listId: z.int().min(0),
  occurredAt: isoTimestamp,
  source: z.enum(SUPPRESSION_SOURCES),
});

interface EventRow {
  client: string;
  kind: SuppressionKind;
  recipient_key: string;
  list_id: number | string;
  occurred_at: string;
  source: SuppressionEvent['source'];
}

const KINDS: ReadonlySet<unknown> = new Set(['unsubscribe', 'bounce']);
const SOURCES: ReadonlySet<unknown> = new Set(SUPPRESSION_SOURCES);
const CANONICAL_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/** A time in the one form `toISOString` writes (UTC, milliseconds), which the schema's transform gives back. */
function isCanonicalTime(value: string): boolean {
  if (!CANONICAL_TIME.test(value)) return false;
  const ms = Date.parse(value);
  return !Number.isNaN(ms) && new Date(ms).toISOString() === value;
}

/**
 * The event, when it is already what suppressionEventSchema would give back for it (every field
 * valid, the time canonical); else undefined, and the schema decides (it accepts wider forms of the
 * time and says what is wrong). The ledger's callers build their events this way: response ingestion
 * records some 14,000 per 100,000 events, and the schema's per-field work was about 90 ms of them.
 */
function canonicalSuppressionEvent(input: unknown): SuppressionEvent | undefined {
  if (typeof input !== 'object' || input === null) return undefined;
  // Each field read once, and a new object of them: what is checked is what is recorded.
  const { client, kind, recipientKey, listId, occurredAt, source } = input as Record<string, unknown>;
  const canonical =
    typeof client === 'string' &&
    client.length > 0 &&
    KINDS.has(kind) &&
    typeof recipientKey === 'string' &&
    recipientKey.length > 0 &&
    typeof listId === 'number' &&
    Number.isSafeInteger(listId) &&
    listId >= 0 &&
    typeof occurredAt === 'string' &&
    isCanonicalTime(occurredAt) &&
    SOURCES.has(source);
  return canonical ? ({ client, kind, recipientKey, listId, occurredAt, source } as SuppressionEvent) : undefined;
}

/** The event as suppressionEventSchema gives it back; throws naming what is wrong. */
export function checkedSuppressionEvent(input: unknown, index: number): SuppressionEvent {
  const canonical = canonicalSuppressionEvent(input);
  if (canonical) return canonical;
  const parsed = suppressionEventSchema.safeParse(input);
  if (!parsed.success)
    throw new Error(
      `Suppression event ${index} is invalid: ${parsed.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; ')}`,
    );
  return parsed.data;
}

export function createSqlSuppressionStore(db: SqlDb): SuppressionStore {
  return {
    ...sqlCrmWithdrawals(db),
    async record(events) {
      const recordedAt = new Date().toISOString();
      const rows = events.map((input, index) => {
        const e = checkedSuppressionEvent(input, index);
        return [e.client, e.kind, e.recipientKey, e.listId, e.occurredAt, Date.parse(e.occurredAt), e.source, recordedAt];
      });
      if (rows.length === 0) return 0;
      return db.insertRows({ table: 'suppressions', columns: COLUMNS, types: TYPES, rows });
    },

    async forList(client, listId) {
      // MAX over the millisecond column, then its ISO text: text order equals time order (UTC, ms).
      const rows = await db.all<{ kind: SuppressionKind; recipient_key: string; latest_at: string }>(
        `SELECT kind, recipient_key, MAX(occurred_at) AS latest_at FROM suppressions
         WHERE client = ? AND (kind = 'bounce' OR list_id = 0 OR list_id = ?)
         GROUP BY kind, recipient_key`,
        [client, listId],
      );
      return rows.map((r): ActiveSuppression => ({ kind: r.kind, recipientKey: r.recipient_key, latestAt: r.latest_at }));
    },

    async recipientKeys(client, { kind, after, limit }) {
      // Along the primary key (client, kind, recipient_key, ...): each page is an index range, not a sort.
      const rows = await db.all<{ recipient_key: string }>(
        `SELECT DISTINCT recipient_key FROM suppressions WHERE client = ? AND kind = ?${after === undefined ? '' : ' AND recipient_key > ?'}
         ORDER BY recipient_key LIMIT ?`,
        [client, kind, ...(after === undefined ? [] : [after]), limit],
      );
      return rows.map((r) => r.recipient_key);
    },

    async latencyMinutes(client, recordedFrom, recordedTo) {
      // recorded_at is the first recording (a re-read event is skipped), ISO text in UTC: text order is time order.
      const until = recordedTo === undefined ? '' : ' AND recorded_at <= ?';
      const rows = await db.all<{ occurred_at_ms: number | string; recorded_at: string }>(
        `SELECT occurred_at_ms, recorded_at FROM suppressions WHERE client = ? AND recorded_at >= ?${until}`,
        [client, new Date(recordedFrom).toISOString(), ...(recordedTo === undefined ? [] : [new Date(recordedTo).toISOString()])],
      );
      const minutes: Record<string, number> = {};
      for (const row of rows) {
        const key = String(Math.max(0, Math.floor((Date.parse(row.recorded_at) - Number(row.occurred_at_ms)) / 60_000)));
        minutes[key] = (minutes[key] ?? 0) + 1;
      }
      return minutes;
    },

    async recordedSince(client, listId, recordedFrom) {
      const rows = await db.all<{ recipient_key: string; first_at: number | string }>(
        `SELECT recipient_key, MIN(occurred_at_ms) AS first_at FROM suppressions
         WHERE client = ? AND recorded_at >= ? AND (kind = 'bounce' OR list_id = 0 OR list_id = ?)
         GROUP BY recipient_key ORDER BY recipient_key`,
        [client, new Date(recordedFrom).toISOString(), listId],
      );
      return rows.map((r) => ({ recipientKey: r.recipient_key, occurredAt: new Date(Number(r.first_at)).toISOString() }));
    },

    async events(client, recipientKey) {
      const rows = await db.all<EventRow>(
        `SELECT client, kind, recipient_key, list_id, occurred_at, source FROM suppressions
         WHERE client = ? AND recipient_key = ? ORDER BY occurred_at_ms DESC, kind, list_id`,
        [client, recipientKey],
      );
      return rows.map((r) => ({
        client: r.client,
        kind: r.kind,
        recipientKey: r.recipient_key,
        listId: Number(r.list_id),
        occurredAt: r.occurred_at,
        source: r.source,
      }));
    },
  };
}
