// ClosedLoop data: mailings and event rows. Each row belongs to the export batch produced at
// batch_time (the next multiple of the batch interval at or after the event); getters filter on it.
import type { ClosedLoopGetter } from '../../optimizely/api/closed-loop-columns';
import type { Db } from './database';

export interface EventInput {
  getter: ClosedLoopGetter;
  recipientId: string;
  mailingId: number | null;
  listId: number;
  eventTime: number;
  category?: string | null;
  linkId?: number | null;
  linkUrl?: string | null;
}

export interface EventRow extends Required<EventInput> {
  batchTime: number;
}

export interface MailingRow {
  mailingId: number;
  name: string;
  listId: number;
  startTime: number;
  endTime: number | null;
}

export function batchTimeOf(eventTime: number, intervalMs: number): number {
  return Math.ceil(eventTime / intervalMs) * intervalMs;
}

export function createEventStatements(db: Db) {
  const insert = db.prepare(
    'INSERT INTO events (mandator_id, getter, recipient_id, mailing_id, list_id, event_time, batch_time, category, link_id, link_url) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
  );
  const page = db.prepare(
    `SELECT getter, recipient_id AS recipientId, mailing_id AS mailingId, list_id AS listId, event_time AS eventTime,
     batch_time AS batchTime, category, link_id AS linkId, link_url AS linkUrl FROM events
     WHERE mandator_id = ? AND getter = ? AND batch_time >= ? AND batch_time < ? AND batch_time <= ? AND event_time >= ?
     ORDER BY batch_time, seq LIMIT ? OFFSET ?`,
  );
  const mailingInsert = db.prepare('INSERT OR REPLACE INTO mailings VALUES (?, ?, ?, ?, ?, ?)');
  const mailingGet = db.prepare(
    'SELECT mailing_id AS mailingId, name, list_id AS listId, start_time AS startTime, end_time AS endTime FROM mailings WHERE mandator_id = ? AND mailing_id = ?',
  );
  const mailingNext = db.prepare('SELECT coalesce(max(mailing_id), 1000) + 1 FROM mailings WHERE mandator_id = ?').pluck();
  return {
    add(m: number, e: EventInput, intervalMs: number): void {
      insert.run(
        m,
        e.getter,
        e.recipientId,
        e.mailingId,
        e.listId,
        e.eventTime,
        batchTimeOf(e.eventTime, intervalMs),
        e.category ?? null,
        e.linkId ?? null,
        e.linkUrl ?? null,
      );
    },
    page(
      m: number,
      getter: string,
      w: { since: number; until: number; now: number; oldest: number; offset: number; limit: number },
    ): EventRow[] {
      return page.all(m, getter, w.since, w.until, w.now, w.oldest, w.limit, w.offset) as EventRow[];
    },
    addMailing: (m: number, r: MailingRow) => void mailingInsert.run(m, r.mailingId, r.name, r.listId, r.startTime, r.endTime),
    mailing: (m: number, id: number) => mailingGet.get(m, id) as MailingRow | undefined,
    nextMailingId: (m: number) => mailingNext.get(m) as number,
  };
}
