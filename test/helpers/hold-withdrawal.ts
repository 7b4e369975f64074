import Database from 'better-sqlite3';
import type { StateStore } from '../../src/store';

/** A recipient of a held run's snapshot and the CRM entity it was exported as. */
export interface HeldRecipient {
  recipientId: string;
  entityType: string;
  entityId: string;
}

/** The first recipient of the snapshot the run's export wrote (the held export, before any refill). */
export async function firstSnapshotRecipient(store: StateStore, runId: string): Promise<HeldRecipient> {
  const snapshotRef = (await store.runs.get(runId))?.snapshot?.snapshotRef;
  if (!snapshotRef) throw new Error(`run ${runId} has no snapshot`);
  for await (const batch of store.snapshots.batches(snapshotRef, { batchSize: 1 })) {
    const row = batch.rows[0] as unknown as HeldRecipient | undefined;
    if (row) return { recipientId: row.recipientId, entityType: row.entityType, entityId: row.entityId };
  }
  throw new Error(`snapshot ${snapshotRef} is empty`);
}

/** Withdraws the entity's consent 11 (e-mail) in the demo CRM, as someone would in the CRM during a hold. */
export function withdrawInDemoCrm(crmFile: string, entity: Pick<HeldRecipient, 'entityType' | 'entityId'>): void {
  const db = new Database(crmFile);
  try {
    const changed = db
      .prepare(
        "UPDATE consents SET status = 'withdrawn', changed_at = ? WHERE entity_type = ? AND entity_id = ? AND opt_in_id = 11 AND media_type = 'email'",
      )
      .run(new Date().toISOString(), entity.entityType, entity.entityId).changes;
    if (changed !== 1) throw new Error(`no consent 11 of ${entity.entityType} ${entity.entityId} to withdraw`);
  } finally {
    db.close();
  }
}

/** Takes the entity off the demo CRM's marketing list 1 (the newsletter), as a CRM view that drops withdrawn contacts would. */
export function dropFromDemoNewsletter(crmFile: string, entity: Pick<HeldRecipient, 'entityType' | 'entityId'>): void {
  const db = new Database(crmFile);
  try {
    const changed = db
      .prepare('DELETE FROM marketing_list_members WHERE list_id = 1 AND entity_type = ? AND entity_id = ?')
      .run(entity.entityType, entity.entityId).changes;
    if (changed !== 1) throw new Error(`${entity.entityType} ${entity.entityId} is not on the demo newsletter`);
  } finally {
    db.close();
  }
}

/** Adds a new contact with e-mail consent 11 granted to the demo CRM's newsletter (marketing list 1). */
export function joinDemoNewsletter(crmFile: string, contactId: string, email: string): void {
  const db = new Database(crmFile);
  try {
    db.transaction(() => {
      db.prepare(
        "INSERT INTO contacts (id, salutation, first_name, last_name, email, city) VALUES (?, 'Ms', 'Joy', 'Joiner', ?, 'Bern')",
      ).run(contactId, email);
      db.prepare("INSERT INTO consents VALUES ('contact', ?, 11, 'email', 'granted', ?)").run(contactId, new Date().toISOString());
      db.prepare("INSERT INTO marketing_list_members VALUES (1, 'contact', ?)").run(contactId);
    })();
  } finally {
    db.close();
  }
}
