// Client-wide suppression state: the unsubscribe list, the blocklist and bounce counters.
import type { Db } from './database';

export interface BounceRow {
  hard: number;
  soft: number;
}

export function createSuppressionStatements(db: Db) {
  const unsubGet = db.prepare('SELECT 1 FROM unsubscribes WHERE mandator_id = ? AND recipient_id = ?').pluck();
  const unsubAdd = db.prepare('INSERT OR IGNORE INTO unsubscribes VALUES (?, ?, ?, ?)');
  const unsubRemove = db.prepare('DELETE FROM unsubscribes WHERE mandator_id = ? AND recipient_id = ?');
  const unsubCount = db.prepare('SELECT count(*) FROM unsubscribes WHERE mandator_id = ?').pluck();
  const blockAll = db.prepare('SELECT entry FROM blocklist WHERE mandator_id = ? ORDER BY entry').pluck();
  const blockGet = db.prepare('SELECT 1 FROM blocklist WHERE mandator_id = ? AND entry = ?').pluck();
  const blockAdd = db.prepare('INSERT OR REPLACE INTO blocklist VALUES (?, ?, ?, ?)');
  const blockRemove = db.prepare('DELETE FROM blocklist WHERE mandator_id = ? AND entry = ?');
  const bounceGet = db.prepare('SELECT hard, soft FROM bounces WHERE mandator_id = ? AND recipient_id = ?');
  const bounceSet = db.prepare('INSERT OR REPLACE INTO bounces VALUES (?, ?, ?, ?)');
  const bounceReset = db.prepare('DELETE FROM bounces WHERE mandator_id = ? AND recipient_id = ?');
  const unsubAmong = db.prepare('SELECT recipient_id FROM unsubscribes WHERE mandator_id = ? AND recipient_id IN (SELECT value FROM json_each(?))').pluck();
  const bounceAmong = db.prepare('SELECT recipient_id AS id, hard, soft FROM bounces WHERE mandator_id = ? AND recipient_id IN (SELECT value FROM json_each(?))');
  return {
    unsubscribedAmong: (m: number, ids: string[]) => new Set(unsubAmong.all(m, JSON.stringify(ids)) as string[]),
    bouncesAmong: (m: number, ids: string[]) => new Map((bounceAmong.all(m, JSON.stringify(ids)) as (BounceRow & { id: string })[]).map((b) => [b.id, b])),
    isUnsubscribed: (m: number, id: string) => unsubGet.get(m, id) !== undefined,
    /** Returns true when the id was not yet unsubscribed. */
    unsubscribe: (m: number, id: string, listId: number, now: number) => unsubAdd.run(m, id, listId, now).changes > 0,
    resubscribe: (m: number, id: string) => unsubRemove.run(m, id).changes > 0,
    unsubscribeCount: (m: number) => unsubCount.get(m) as number,
    blocklistEntries: (m: number) => blockAll.all(m) as string[],
    hasBlocklistEntry: (m: number, entry: string) => blockGet.get(m, entry) !== undefined,
    addBlocklistEntry: (m: number, entry: string, reason: string, now: number) => void blockAdd.run(m, entry, reason, now),
    removeBlocklistEntry: (m: number, entry: string) => blockRemove.run(m, entry).changes > 0,
    bounces: (m: number, id: string) => (bounceGet.get(m, id) as BounceRow | undefined) ?? { hard: 0, soft: 0 },
    setBounces: (m: number, id: string, b: BounceRow) => void bounceSet.run(m, id, b.hard, b.soft),
    resetBounces: (m: number, id: string) => void bounceReset.run(m, id),
  };
}
