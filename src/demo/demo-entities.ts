import { awkwardEmail, city, companyName, contactPerson, KIND, mixedCase, person } from './demo-people';
import { streamFor, type Random } from './demo-random';
import { DEMO_LISTS } from './demo-lists';

// Rows of the demo CRM, produced one entity at a time so a million contacts never sit in memory.

export type Insert = (table: string, values: readonly unknown[]) => void;

type EntityType = 'contact' | 'lead' | 'account';

/** Share of each entity type in each demo list's marketing list (newsletter, offers). */
const MEMBERSHIP: Record<EntityType, readonly number[]> = { contact: [0.7, 0.4], lead: [0.6, 0.5], account: [0.3, 0.2] };

export function entityId(type: EntityType, index: number): string {
  return `${type === 'contact' ? 'C' : type === 'lead' ? 'L' : 'A'}${String(index + 1).padStart(7, '0')}`;
}

export function writeAccount(insert: Insert, seed: number, index: number, contacts: number): void {
  const random = streamFor(seed, KIND.account, index);
  const name = companyName(random);
  // One account in twenty is a sole trader whose address is also a contact's.
  const email =
    random() < 0.05
      ? contactPerson(seed, Math.floor(random() * contacts)).baseEmail
      : `info.${index}@${
          name
            .split(' ')[0]
            ?.normalize('NFD')
            .replace(/[^A-Za-z]/g, '')
            .toLowerCase() || 'firma'
        }.example.com`;
  const id = entityId('account', index);
  insert('accounts', [id, name, awkwardEmail(random, email), city(random)]);
  writeRelations(insert, seed, 'account', id, index);
}

export function writeContact(insert: Insert, seed: number, index: number, accounts: number): void {
  const random = streamFor(seed, KIND.contact, index);
  const p = contactPerson(seed, index);
  // Drawn after contactPerson's own draws from an identical stream, so the person stays recomputable.
  for (let i = 0; i < 5; i += 1) random();
  const id = entityId('contact', index);
  insert('contacts', [
    id,
    entityId('account', Math.floor(random() * accounts)),
    p.salutation,
    p.firstName,
    p.lastName,
    awkwardEmail(random, p.baseEmail),
    p.city,
  ]);
  writeRelations(insert, seed, 'contact', id, index);
}

export function writeLead(insert: Insert, seed: number, index: number, contacts: number): void {
  const random = streamFor(seed, KIND.lead, index);
  // One lead in five is a person who is also a contact, often typed differently.
  const twin = random() < 0.2 ? contactPerson(seed, Math.floor(random() * contacts)) : undefined;
  const p = twin ?? person(random, `l${index}`);
  const email = twin !== undefined && random() < 0.5 ? mixedCase(p.baseEmail) : awkwardEmail(random, p.baseEmail);
  const id = entityId('lead', index);
  insert('leads', [id, p.salutation, p.firstName, p.lastName, email, companyName(random), p.city]);
  writeRelations(insert, seed, 'lead', id, index);
}

function writeRelations(insert: Insert, seed: number, type: EntityType, id: string, index: number): void {
  const random = streamFor(seed, KIND.consents + (type === 'contact' ? 0 : type === 'lead' ? 10 : 20), index);
  for (const [optInId, mediaType, share] of [
    [11, 'email', 0.65],
    [12, 'email', 0.45],
    [11, 'sms', 0.05],
  ] as const) {
    if (random() >= share) continue;
    const status = random() < 0.05 ? 'withdrawn' : 'granted';
    insert('consents', [type, id, optInId, mediaType, status, day(random)]);
  }
  const bounce = random();
  if (bounce < 0.03) insert('bounces', [type, id, bounce < 0.02 ? 1 : 0, day(random)]);
  DEMO_LISTS.forEach((list, i) => {
    if (random() < (MEMBERSHIP[type][i] ?? 0)) insert('marketing_list_members', [list.marketingListId, type, id]);
  });
}

/** A fixed date in 2024/2025, so nothing depends on the clock. */
function day(random: Random): string {
  const d = new Date(Date.UTC(2024, 0, 1) + Math.floor(random() * 700) * 86_400_000);
  return d.toISOString();
}
