// Client-wide suppression state: the unsubscribe list, the blocklist and bounce counters.
// Unsubscribes and bounce counters are also held in memory per client (loaded on first use, kept
// current by every write made through here): addAll3 checks them for every recipient, and SQL
// lookups were a quarter of its cost. Writes that bypass this module must call invalidate().
import type { Db } from './database';

export interface BounceRow {
  hard: number;
  soft: number;
}

export function createSuppressionStatements(db: Db) {
  const unsubAdd = db.prepare('INSERT OR IGNORE INTO unsubscribes VALUES (?, ?, ?, ?)');
  const unsubRemove = db.prepare('DELETE FROM unsubscribes WHERE mandator_id = ? AND recipient_id = ?');
  const unsubCount = db.prepare('SELECT count(*) FROM unsubscribes WHERE mandator_id = ?').pluck();
  const blockAll = db.prepare('SELECT entry FROM blocklist WHERE mandator_id = ? ORDER BY entry').pluck();
  const blockGet = db.prepare('SELECT 1 FROM blocklist WHERE mandator_id = ? AND entry = ?').pluck();
  const blockAdd = db.prepare('INSERT OR REPLACE INTO blocklist VALUES (?, ?, ?, ?)');
  const blockRemove = db.prepare('DELETE FROM blocklist WHERE mandator_id = ? AND entry = ?');
  const bounceSet = db.prepare('INSERT OR REPLACE INTO bounces VALUES (?, ?, ?, ?)');
  const bounceReset = db.prepare('DELETE FROM bounces WHERE mandator_id = ? AND recipient_id = ?');
  const unsubAll = db.prepare('SELECT recipient_id FROM unsubscribes WHERE mandator_id = ?').pluck();
  const bounceAll = db.prepare('SELECT recipient_id AS id, hard, soft FROM bounces WHERE mandator_id = ?');
  const cache = new Map<number, { unsubscribed: Set<string>; bounces: Map<string, BounceRow> }>();
  const cached = (m: number) => {
    let entry = cache.get(m);
    if (!entry) {
      const rows = bounceAll.all(m) as (BounceRow & { id: string })[];
      entry = {
        unsubscribed: new Set(unsubAll.all(m) as string[]),
        bounces: new Map(rows.map((b) => [b.id, { hard: b.hard, soft: b.soft }])),
      };
      cache.set(m, entry);
    }
    return entry;
  };
  return {
    invalidate: () => cache.clear(),
    isUnsubscribed: (m: number, id: string) => cached(m).unsubscribed.has(id),
    /** Returns true when the id was not yet unsubscribed. */
    unsubscribe(m: number, id: string, listId: number, now: number): boolean {
      cached(m).unsubscribed.add(id);
      return unsubAdd.run(m, id, listId, now).changes > 0;
    },
    resubscribe(m: number, id: string): boolean {
      if (!cached(m).unsubscribed.delete(id)) return false;
      return unsubRemove.run(m, id).changes > 0;
    },
    unsubscribeCount: (m: number) => unsubCount.get(m) as number,
    blocklistEntries: (m: number) => blockAll.all(m) as string[],
    hasBlocklistEntry: (m: number, entry: string) => blockGet.get(m, entry) !== undefined,
    addBlocklistEntry: (m: number, entry: string, reason: string, now: number) => void blockAdd.run(m, entry, reason, now),
    removeBlocklistEntry: (m: number, entry: string) => blockRemove.run(m, entry).changes > 0,
    bounces: (m: number, id: string): BounceRow => cached(m).bounces.get(id) ?? { hard: 0, soft: 0 },
    setBounces(m: number, id: string, b: BounceRow): void {
      cached(m).bounces.set(id, { ...b });
      bounceSet.run(m, id, b.hard, b.soft);
    },
    resetBounces(m: number, id: string): void {
      cached(m).bounces.delete(id);
      bounceReset.run(m, id);
    },
  };
}
