import Database from 'better-sqlite3';
import { DEMO_LISTS } from '../../src/demo/demo-lists';
import type { SimRecipient } from './sync-stack';

const newsletterOptIn = Number(DEMO_LISTS.find((l) => l.listKey === 'newsletter')?.optInId);

/** The status of a recipient's newsletter consent in the demo CRM (`granted` | `withdrawn`), read from its SQLite file. */
export function newsletterConsent(crmFile: string, r: SimRecipient): string {
  const crm = new Database(crmFile, { readonly: true });
  try {
    const row = crm
      .prepare('SELECT status FROM consents WHERE entity_type = ? AND entity_id = ? AND opt_in_id = ?')
      .get(r.attributes['entity-type'], r.attributes['entity-id'], newsletterOptIn) as { status: string };
    return row.status;
  } finally {
    crm.close();
  }
}
