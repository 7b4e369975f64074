// A day of churn on the newsletter list of a demo CRM file: 0.5% of the list's contacts withdraw
// their consent (leave), as many new contacts join with a granted consent, and 1% of the contacts
// change their city (an attribute update). Deterministic (ordered by id), so the same statements on
// two copies of one CRM give the two strategies exactly the same day. Each day's churn (day 2, 3, …)
// picks from the members left by the days before; day 2's is the same as before `--days` existed.
import Database from 'better-sqlite3';

export interface Churn {
  listContacts: number;
  leave: number;
  join: number;
  change: number;
}

const LIST_ID = 1;
const OPT_IN = 11;
const CHANGED_AT = '2026-11-29T12:00:00Z';

/** The newsletter's contacts with a granted e-mail consent, in id order. */
const MEMBERS = [
  'SELECT e.id FROM contacts e',
  `JOIN marketing_list_members m ON m.list_id = ${LIST_ID} AND m.entity_type = 'contact' AND m.entity_id = e.id`,
  `JOIN consents c ON c.entity_type = 'contact' AND c.entity_id = e.id AND c.opt_in_id = ${OPT_IN} AND c.media_type = 'email'`,
  "WHERE c.status = 'granted' ORDER BY e.id",
].join(' ');

export function applyChurn(crmFile: string, day = 2): Churn {
  // Day 2 keeps its historical joiner ids and cities, so its figures compare with earlier runs.
  const tag = day === 2 ? '' : `${day}-`;
  const db = new Database(crmFile);
  try {
    return db.transaction(() => {
      const members = (db.prepare(MEMBERS).all() as Array<{ id: string }>).map((r) => r.id);
      // Every 200th leaves, every 100th (offset so they are other contacts) changes its city.
      const leavers = members.filter((_, i) => i % 200 === 0);
      const changers = members.filter((_, i) => i % 100 === 50);
      const withdraw = db.prepare(
        `UPDATE consents SET status = 'withdrawn', changed_at = ? WHERE entity_type = 'contact' AND entity_id = ? AND opt_in_id = ${OPT_IN} AND media_type = 'email'`,
      );
      for (const id of leavers) withdraw.run(CHANGED_AT, id);
      const move = db.prepare(`UPDATE contacts SET city = 'Churnstadt ${tag}' || id WHERE id = ?`);
      for (const id of changers) move.run(id);
      const joiners = leavers.length;
      const contact = db.prepare(
        'INSERT INTO contacts (id, account_id, salutation, first_name, last_name, email, city) VALUES (?, NULL, ?, ?, ?, ?, ?)',
      );
      const member = db.prepare(`INSERT INTO marketing_list_members (list_id, entity_type, entity_id) VALUES (${LIST_ID}, 'contact', ?)`);
      const consent = db.prepare(
        `INSERT INTO consents (entity_type, entity_id, opt_in_id, media_type, status, changed_at) VALUES ('contact', ?, ${OPT_IN}, 'email', 'granted', ?)`,
      );
      for (let i = 0; i < joiners; i += 1) {
        const id = `bench-joiner-${tag}${i}`;
        contact.run(id, 'Frau', 'Neu', `Kundin ${tag}${i}`, `joiner-${tag}${i}@bench.example`, 'Neustadt');
        member.run(id);
        consent.run(id, CHANGED_AT);
      }
      return { listContacts: members.length, leave: leavers.length, join: joiners, change: changers.length };
    })();
  } finally {
    db.close();
  }
}
