import Database from 'better-sqlite3';
import { createStateStore } from '../../src/store';
import type { SentLedgerEntry } from '../../src/store/types';

// The 100,000 response events of the benchmark and the ledger that makes their recipients known.

export const CLIENT_KEY = 'bench';
export const MANDATOR = 1234;
export const NEWSLETTER_LIST_ID = 100;

interface Sent {
  recipientId: string;
  entityType: string;
  entityId: string;
}

/** Records every contact and lead with an e-mail address as sent on the newsletter list. */
export async function recordLedger(crmFile: string, storeFile: string): Promise<Sent[]> {
  const crm = new Database(crmFile, { readonly: true });
  const sent = crm
    .prepare(
      "SELECT email AS recipientId, 'contact' AS entityType, id AS entityId FROM contacts WHERE email LIKE '%@%' UNION ALL SELECT email, 'lead', id FROM leads WHERE email LIKE '%@%'",
    )
    .all() as Sent[];
  crm.close();
  const store = await createStateStore({ kind: 'sqlite', file: storeFile });
  const runId = 'bench-ledger';
  await store.runs.upsert({
    runId,
    kind: 'list',
    client: CLIENT_KEY,
    listKey: 'newsletter',
    status: 'completed',
    startedAt: new Date().toISOString(),
    endedAt: null,
    counts: {},
    snapshot: null,
  });
  for (let i = 0; i < sent.length; i += 5000) {
    const entries = sent
      .slice(i, i + 5000)
      .map((s): SentLedgerEntry => ({ runId, listKey: 'newsletter', ...s, outcome: 'sent', resultCode: 0 }));
    await store.ledger.record(entries);
  }
  await store.close();
  return sent;
}

/** Event mix per 100: 60 opens, 25 clicks (each half on campaign 1001, half on mailing 2001), 6 soft and 4 hard bounces, 4 unsubscribes, 1 autoresponder; 2% of opens from unknown recipients. */
export function responseEvents(count: number, sent: readonly Sent[], now: number): Array<Record<string, unknown>> {
  const events: Array<Record<string, unknown>> = [];
  for (let i = 0; i < count; i += 1) {
    const who = (sent[(i * 7919) % sent.length] as Sent).recipientId;
    // Spread over the last 20 hours, so the run reads many export batches.
    const time = now - 60_000 - (i % 72_000) * 1000;
    const mailingId = i % 2 === 0 ? 1001 : 2001;
    const slot = i % 100;
    if (slot < 60)
      events.push({ type: 'open', recipientId: slot === 0 || slot === 1 ? `unknown-${i}@example.invalid` : who, mailingId, time });
    else if (slot < 85) events.push({ type: 'click', recipientId: who, mailingId, time, linkUrl: `https://example.com/${slot}` });
    else if (slot < 91) events.push({ type: 'softbounce', recipientId: who, mailingId, time });
    else if (slot < 95) events.push({ type: 'hardbounce', recipientId: who, mailingId, time });
    else if (slot < 99) events.push({ type: 'unsubscribe', recipientId: who, mailingId, recipientListId: NEWSLETTER_LIST_ID, time });
    else events.push({ type: 'autoresponder', recipientId: who, mailingId, time });
  }
  return events;
}
