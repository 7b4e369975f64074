import { pick, streamFor, type Random } from './demo-random';

// Names and addresses of the demo CRM, including the awkward ones real CRMs hold: unicode names,
// mixed-case and padded addresses, and addresses that break the e-mail rule.

const FIRST = [
  'Anna',
  'Jürgen',
  'Zoë',
  'Łukasz',
  'Søren',
  'José',
  'Chloé',
  'Mehmet',
  'Ingrid',
  'Yuki',
  'Thảo',
  'Olga',
  'Liam',
  'Émile',
  'Aoife',
  'Björn',
  'Fatima',
  'Noah',
  'Mia',
  '健太',
];
const LAST = [
  'Schmidt',
  'Müller',
  'Ødegård',
  'García',
  "O'Brien",
  'Nowak',
  'Dubois',
  'Yılmaz',
  'Rossi',
  'Sato',
  'Nguyễn',
  'Ivanova',
  'Smith',
  'Lefèvre',
  'Kelly',
  'Johansson',
  'Haddad',
  'Weber',
  'Fischer',
  '山田',
];
const SALUTATIONS = ['Frau', 'Herr', 'Divers', ''];
const CITIES = ['Berlin', 'München', 'Zürich', 'Wien', 'Köln', 'Kraków', 'Malmö', 'São Paulo', 'İstanbul', 'Hamburg'];
const DOMAINS = ['example.com', 'example.org', 'mail.example.net', 'example.de', 'posteo.example'];
const COMPANY = ['Nordlicht', 'Bäckerei Groß', 'Acme', 'Żabka Handel', 'Fjord & Co', 'Café Olé', 'Blue Harbor', 'Kunstwerk'];

export const KIND = { contact: 1, lead: 2, account: 3, consents: 4, lists: 5 } as const;

export interface Person {
  salutation: string;
  firstName: string;
  lastName: string;
  city: string;
  /** A valid, lower-case address before any awkwardness is applied. */
  baseEmail: string;
}

function slug(name: string, fallback: string): string {
  const ascii = name
    .normalize('NFD')
    .replace(/[^A-Za-z0-9]/g, '')
    .toLowerCase();
  return ascii === '' ? fallback : ascii;
}

/** The person behind contact `index`; a pure function of (seed, index). */
export function contactPerson(seed: number, index: number): Person {
  return person(streamFor(seed, KIND.contact, index), `c${index}`);
}

export function person(random: Random, tag: string): Person {
  const firstName = pick(random, FIRST);
  const lastName = pick(random, LAST);
  const baseEmail = `${slug(firstName, 'kunde')}.${slug(lastName, 'x')}.${tag}@${pick(random, DOMAINS)}`;
  return { salutation: pick(random, SALUTATIONS), firstName, lastName, city: pick(random, CITIES), baseEmail };
}

export function companyName(random: Random): string {
  return `${pick(random, COMPANY)} ${pick(random, ['GmbH', 'AG', 'KG', 'Ltd', 'SA'])}`;
}

export function city(random: Random): string {
  return pick(random, CITIES);
}

const INVALID: readonly ((email: string) => string)[] = [
  (e) => e.replace('@', ''),
  (e) => e.replace('.', '..'),
  (e) => e.slice(0, e.indexOf('@') + 1) + 'localhost',
  (e) => e.replace('.', ' '),
  () => '',
  (e) => e.replace('@', '@-'),
  (e) => `jürgen.${e}`,
  (e) => `${e}@${e}`,
];

/** Applies the awkward cases at fixed rates: 4 % mixed case, 1 % padded, 1.5 % invalid. */
export function awkwardEmail(random: Random, base: string): string {
  const r = random();
  if (r < 0.04) return mixedCase(base);
  if (r < 0.05) return `  ${base} `;
  if (r < 0.065) return pick(random, INVALID)(base);
  return base;
}

export function mixedCase(email: string): string {
  const [local = '', domain = ''] = email.split('@');
  const capitalised = local
    .split('.')
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('.');
  return `${capitalised}@${domain.charAt(0).toUpperCase()}${domain.slice(1, -3)}${domain.slice(-3).toUpperCase()}`;
}
