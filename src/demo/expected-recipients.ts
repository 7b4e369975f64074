import type { DemoCrmData } from './demo-crm-data';
import type { DemoList } from './demo-lists';

// The recipients a demo list SHOULD end up with, computed straight from the CRM's tables and
// deliberately sharing no code with the streaming pipeline (own e-mail check, own de-duplication),
// so end-to-end tests compare two independent answers.

export interface ExpectedRecipient {
  recipientId: string;
  entityType: string;
  entityId: string;
}

export interface ExpectedOptions {
  /** Normalised recipient ids known to be unsubscribed (e.g. from Optimizely). */
  unsubscribed?: ReadonlySet<string>;
  preference?: readonly string[];
}

const EMAIL =
  /^[a-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*@([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+([a-z]{2,63}|xn--[a-z0-9-]+)$/;

function cleanEmail(raw: string | null): string | undefined {
  if (raw === null) return undefined;
  const email = raw.trim().toLowerCase();
  const local = email.split('@')[0] ?? '';
  return email.length <= 254 && local.length <= 64 && EMAIL.test(email) ? email : undefined;
}

/** Sorted by recipient id. */
export function expectedRecipients(data: DemoCrmData, list: DemoList, options: ExpectedOptions = {}): ExpectedRecipient[] {
  const preference = options.preference ?? ['contact', 'lead', 'account'];
  const key = (type: string, id: string): string => `${type}/${id}`;
  const emails = new Map(data.entities.map((e) => [key(e.entityType, e.entityId), e.email]));
  const granted = new Set(
    data.consents
      .filter((c) => c.optInId === list.optInId && c.mediaType === list.mediaType && c.status === 'granted')
      .map((c) => key(c.entityType, c.entityId)),
  );
  const hardBounced = new Set(data.bounces.filter((b) => b.hard).map((b) => key(b.entityType, b.entityId)));
  // A withdrawal (or hard bounce) stated on any member row of the list's consent excludes every row
  // with that address: one person's rows that disagree never send.
  const members = new Set(data.members.filter((m) => m.listId === list.marketingListId).map((m) => key(m.entityType, m.entityId)));
  const withdrawnAddresses = new Set(
    data.consents
      .filter((c) => c.optInId === list.optInId && c.mediaType === list.mediaType)
      .map((c) => key(c.entityType, c.entityId))
      .filter((k) => members.has(k) && (!granted.has(k) || hardBounced.has(k)))
      .map((k) => (emails.get(k) ?? '').trim().toLowerCase())
      .filter((address) => address !== ''),
  );

  const best = new Map<string, ExpectedRecipient>();
  for (const m of data.members) {
    const k = key(m.entityType, m.entityId);
    if (m.listId !== list.marketingListId || !granted.has(k) || hardBounced.has(k)) continue;
    const email = cleanEmail(emails.get(k) ?? null);
    if (email === undefined || options.unsubscribed?.has(email) || withdrawnAddresses.has(email)) continue;
    const candidate = { recipientId: email, entityType: m.entityType, entityId: m.entityId };
    const current = best.get(email);
    if (current === undefined || better(candidate, current, preference)) best.set(email, candidate);
  }
  return [...best.values()].sort((a, b) => (a.recipientId < b.recipientId ? -1 : a.recipientId > b.recipientId ? 1 : 0));
}

function better(a: ExpectedRecipient, b: ExpectedRecipient, preference: readonly string[]): boolean {
  const rank = (t: string): number => (preference.includes(t) ? preference.indexOf(t) : preference.length);
  if (rank(a.entityType) !== rank(b.entityType)) return rank(a.entityType) < rank(b.entityType);
  return a.entityId < b.entityId;
}
