import { cellText } from './cell-text';

// Whether a row's opt-out may speak for the list's consent and medium. A row is the list's for
// sending only when its consent and medium are exactly the list's (validateRow); an opt-out is held to
// the opposite standard, since doubt never sends: stated under a consent or medium a person reads as
// the list's (full-width digits, an invisible character, leading zeros, several consents in one cell,
// a wildcard, `e-mail`) or with no readable consent or medium at all, it wins for the person
// (docs/crm.md, "Conflicting rows"). Only a clearly other consent or medium (`12`, `sms`) says nothing
// about the list.

const INVISIBLE = /[\p{Cc}\p{Cf}]/gu;
const CONSENT_SEPARATORS = /[\s,;|/]+/u;
const MEDIUM_SEPARATORS = /[,;|/]+/u;
const MEDIUM_FILLERS = /[\s._-]+/gu;
const WILDCARDS: ReadonlySet<string> = new Set(['*', '%']);
/** A decimal number as a CRM may write an integer id: a sign, leading zeros, a zero fraction. */
const DECIMAL = /^\+?0*(\d+)(?:\.0*)?$/u;

/** The cell as a person reads it, split into the values it names; undefined when it names none. */
function namedValues(cell: unknown, separators: RegExp): string[] | undefined {
  const text = cellText(cell);
  if (text.kind !== 'text') return undefined;
  const parts = text.text.normalize('NFKC').replace(INVISIBLE, '').toLowerCase().split(separators);
  const named = parts.map((part) => part.trim()).filter((part) => part !== '');
  return named.length === 0 ? undefined : named;
}

const sameNumber = (a: string, b: string): boolean => {
  const [x, y] = [DECIMAL.exec(a), DECIMAL.exec(b)];
  return x !== null && y !== null && x[1] === y[1];
};

/** Whether a consent cell may name the list's consent `optInId` (blank or unreadable: it may). */
export function mayBeListConsent(cell: unknown, optInId: string): boolean {
  const named = namedValues(cell, CONSENT_SEPARATORS);
  if (named === undefined) return true;
  const own = optInId.normalize('NFKC').replace(INVISIBLE, '').trim().toLowerCase();
  return named.some((value) => value === own || WILDCARDS.has(value) || sameNumber(value, own));
}

/** Whether a medium cell may name the list's medium (blank or unreadable: it may). */
export function mayBeListMedium(cell: unknown, mediaType: string): boolean {
  const named = namedValues(cell, MEDIUM_SEPARATORS);
  if (named === undefined) return true;
  const own = mediaType.normalize('NFKC').toLowerCase().replace(MEDIUM_FILLERS, '');
  return named.some((value) => WILDCARDS.has(value) || value.replace(MEDIUM_FILLERS, '') === own);
}
