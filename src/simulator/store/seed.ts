// Applies a seed: upserts clients, lists, opt-in processes, unsubscribes, blocklist entries and bounce
// counters. Recipients already in a list are left alone, so seeding at every start is safe.
import type { Db } from './database';
import { type Seed, seedSchema, type SeedClient, type SeedList } from './seed-schema';

export function parseSeed(input: unknown): Seed {
  return seedSchema.parse(input);
}

export function applySeed(db: Db, seed: Seed, now: number): void {
  db.transaction(() => {
    for (const client of seed.clients) applyClient(db, client, now);
  })();
}

function applyClient(db: Db, c: SeedClient, now: number): void {
  db.prepare(
    `INSERT INTO clients VALUES (?, ?, ?, ?, ?) ON CONFLICT (mandator_id) DO UPDATE SET username = excluded.username,
     password = excluded.password, hard_threshold = excluded.hard_threshold, soft_threshold = excluded.soft_threshold`,
  ).run(c.mandatorId, c.username, c.password, c.bounceThresholds.hard, c.bounceThresholds.soft);
  for (const p of c.optinProcesses) {
    db.prepare('INSERT OR REPLACE INTO optin_processes VALUES (?, ?, ?, ?, ?)').run(
      c.mandatorId,
      p.id,
      p.name ?? `Opt-in ${p.id}`,
      p.type,
      p.description,
    );
  }
  for (const list of c.lists) applyList(db, c.mandatorId, list);
  const unsub = db.prepare('INSERT OR IGNORE INTO unsubscribes VALUES (?, ?, 0, ?)');
  for (const id of c.unsubscribes) unsub.run(c.mandatorId, id, now);
  const block = db.prepare("INSERT OR IGNORE INTO blocklist VALUES (?, ?, 'seed', ?)");
  for (const entry of c.blocklist) block.run(c.mandatorId, entry, now);
  const bounce = db.prepare('INSERT OR REPLACE INTO bounces VALUES (?, ?, ?, ?)');
  for (const b of c.bounces) bounce.run(c.mandatorId, b.recipientId, b.hard, b.soft);
}

function applyList(db: Db, mandatorId: number, list: SeedList): void {
  const emailField = list.emailField ?? (list.fields.includes('email') ? 'email' : (list.fields[0] as string));
  const idField = list.idField ?? emailField;
  db.prepare(
    `INSERT INTO lists VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (mandator_id, list_id) DO UPDATE SET
     name = excluded.name, description = excluded.description, type = excluded.type, fields = excluded.fields,
     id_field = excluded.id_field, email_field = excluded.email_field, is_test = excluded.is_test, filter = excluded.filter`,
  ).run(
    mandatorId,
    list.id,
    list.name,
    list.description,
    list.type,
    JSON.stringify(list.fields),
    idField,
    emailField,
    list.test ? 1 : 0,
    list.filter ?? null,
  );
}
