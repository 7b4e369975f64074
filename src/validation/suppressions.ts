import { domainToUnicode } from 'node:url';
import { crmCell, type CrmRow } from '../crm/crm-port';
import type { ActiveSuppression, CrmWithdrawal } from '../store/suppression-types';
import { normaliseEmail } from './email-rule';
import type { Recipient } from './recipient';
import { storableText } from './sendability';
import { parseNaiveTime, parseZonedTime } from './zoned-time';

/**
 * Reasons the suppression ledger gives; `resubscribe_needs_optin` is a CRM consent granted after the
 * unsubscribe, `resubscribe_zone_unknown` one whose time has no zone and may lie before it;
 * `withdrawal_not_regranted` a row no longer withdrawn whose consent time does not prove a grant
 * after the withdrawal an earlier export read in the CRM.
 */
export type SuppressionReason =
  'unsubscribed' | 'bounced' | 'resubscribe_needs_optin' | 'resubscribe_zone_unknown' | 'withdrawal_not_regranted';

/** One counter per suppression reason, all zero. */
export function zeroSuppressionCounts(): Record<SuppressionReason, number> {
  return { unsubscribed: 0, bounced: 0, resubscribe_needs_optin: 0, resubscribe_zone_unknown: 0, withdrawal_not_regranted: 0 };
}

/** Suppressions the caller knows beyond the CRM columns: the reason and the column that decided it. */
export type SuppressionLookup = (recipient: Recipient, raw: CrmRow) => { reason: SuppressionReason; field: string } | undefined;

/** The optional selection column holding when the row's consent was (last) granted. */
export const CONSENT_GRANTED_AT = 'consent_granted_at';

/**
 * The key a recipient id or an address is matched on: the e-mail rule's normalisation with the local
 * part lower-cased too, whatever the list's `lowercaseLocalPart` says (a suppression errs on the side
 * of the person: `Anna@x.de` unsubscribing suppresses `anna@x.de`) and a Unicode domain in punycode
 * (the form a list with `idnDomains: punycode` sends); a value the rule refuses (an opaque id) is
 * trimmed and lower-cased alike. Before that the value is folded (`foldedForMatching`), so a variant
 * that only looks different (full-width letters, a zero-width or soft hyphen inside, a trailing dot
 * after the domain) is the same person's.
 */
export function suppressionKey(value: string): string {
  const folded = foldedForMatching(value);
  // Kept storable and bounded like every identity the ledger keeps (storableText: 320 code points,
  // no character a store cannot hold): the key is part of the suppressions table's primary key, and
  // an index entry has a size limit (PostgreSQL refuses one over ~2.7 KB, failing the whole import on
  // every retry). No sendable address or id comes near the bound; two longer values that agree up
  // to it suppress each other, on the side of the person.
  const key = storableText(normaliseEmail(folded, { lowercaseLocalPart: true, idnDomains: 'punycode' }) ?? folded.trim().toLowerCase());
  return key === '' ? codePointKey(value) : key;
}

/**
 * The key of a value that folds to nothing but is not blank: only controls, invisible characters or
 * characters no store holds (an opaque id such as a zero-width space, which the export sends as it
 * is). An empty key is no key: such a value's opt-out was left out of the ledger and the export never
 * matched it. Its code points are its key instead (`u+200b`), which is its own key again; an opaque
 * id written `u+200b` shares it, on the side of the person. A blank value still has no key.
 */
function codePointKey(value: string): string {
  const kept = value.trim();
  if (kept === '') return '';
  return storableText(Array.from(kept, (ch) => `u+${(ch.codePointAt(0) as number).toString(16).padStart(4, '0')}`).join(' '));
}

/**
 * The keys a stored suppression matches under: the key as stored and the key today's `suppressionKey`
 * gives it. A key recorded before the folding of Unicode variants (or any later change of the key)
 * keeps its old form in the store; matching only the stored form would let that opt-out lapse for the
 * address it names. Both forms suppress, on the side of the person.
 */
export function storedKeyForms(storedKey: string): string[] {
  return [...new Set([storedKey, ...suppressionKeyForms(storedKey)])];
}

/**
 * The keys a value's opt-out holds under: its `suppressionKey`, and for a value written with the
 * letters of a locale's casing the key of its case-folded form. A CRM or mail client that changes the
 * case of an address in Turkish writes `ALİ@GMAİL.COM` (dotted capital I) or `alı@gmaıl.com`
 * (dotless i), one in German `STRASSE@X.DE` for `straße@x.de`: a person reads each as the ASCII
 * address, but no normalisation form folds these onto it, so such an opt-out suppressed nobody. Two
 * keys rather than one folded key: a Unicode domain's own punycode form (`ı` is a letter of real
 * Turkish domains) must keep matching the address a list with `idnDomains: punycode` sends. A key
 * whose domain is punycode is folded from its Unicode form, so a key stored so (`gmai̇l` becomes
 * `xn--gmail-…`) still has its folded form.
 */
export function suppressionKeyForms(value: string): string[] {
  const key = suppressionKey(value);
  const source = key.includes('xn--') ? withUnicodeDomain(key) : value;
  if (PRINTABLE_ASCII.test(source)) return withUntagged([key]);
  const folded = suppressionKey(localeCaseFolded(source));
  return withUntagged(folded === key || folded === '' ? [key] : [key, folded]);
}

/**
 * The keys with, for each address key whose local part holds a `+tag`, the address without it:
 * `anna+news@x.com` holds its opt-out under `anna@x.com` too, so an opt-out under any plus form of an
 * address meets every other (each form's keys include the untagged one). Most mailbox providers
 * deliver the plus forms to one mailbox, some do not; the export cannot tell, and an opt-out errs on
 * the side of the person (docs/crm.md, "Suppression ledger").
 */
function withUntagged(keys: string[]): string[] {
  const out = [...keys];
  for (const key of keys) {
    const tagged = PLUS_TAGGED.exec(key);
    const untagged = tagged ? `${tagged[1]}${tagged[2]}` : undefined;
    if (untagged !== undefined && !out.includes(untagged)) out.push(untagged);
  }
  return out;
}

/** An address with one `@` whose local part has a `+` after at least one other character. */
const PLUS_TAGGED = /^([^@+]+)\+[^@]*(@[^@]+)$/u;

/** An address key with its punycode domain written in Unicode (as it stands when that fails). */
function withUnicodeDomain(key: string): string {
  const at = key.lastIndexOf('@');
  const unicode = at < 0 ? '' : domainToUnicode(key.slice(at + 1));
  return unicode === '' ? key : `${key.slice(0, at)}@${unicode}`;
}

/**
 * A value with the case mappings of every locale undone: the Turkish dotted capital I (and the
 * `i` + combining dot above that lower-casing it outside Turkish gives) and dotless i are `i`, and the
 * full case folding applies (`ß` and `ẞ` are `ss`). Compatibility forms first (NFKC).
 */
function localeCaseFolded(value: string): string {
  return (
    value
      .normalize('NFKC')
      .replace(/[\u0130\u0131]/gu, 'i')
      // Lower case first: the capital sharp s ẞ is its own upper case, and only ß upper-cases to SS.
      .toLowerCase()
      .toUpperCase()
      .toLowerCase()
      .replace(/i\u0307/gu, 'i')
  );
}

// Invisible characters (Unicode Cc and Cf: controls, zero-width spaces and joiners, the soft hyphen,
// byte-order marks, bidi marks) carry nothing a reader of the address sees.
const INVISIBLE = /[\p{Cc}\p{Cf}]/gu;

/**
 * A value as a person reads it: compatibility forms folded (NFKC: `ａ＠ｘ．ｃｏｍ` is `a@x.com`),
 * invisible characters removed, the ends trimmed and an FQDN's trailing dot dropped. A sendable
 * address is ASCII without any of these, so only a variant is changed, never one address into
 * another that could be sent; a look-alike folding onto an address suppresses it, on the side of the person.
 */
export function foldedForMatching(value: string): string {
  // Printable ASCII (every address the export sends) has nothing to fold: the export keys each row by it.
  const folded = PRINTABLE_ASCII.test(value)
    ? value.trim()
    : value.normalize('NFKC').replace(INVISIBLE, '').replace(IDEOGRAPHIC_STOP, '.').trim();
  return folded.endsWith('.') && folded.includes('@') ? folded.replace(/\.+$/, '') : folded;
}

const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;

// The ideographic full stop (U+3002; NFKC folds the half-width U+FF61 onto it) is a label separator
// of domain names (IDNA maps it to `.`, as it does the full-width U+FF0E that NFKC folds already):
// `anna@example。com` is `anna@example.com` to a browser, a mail client and a person alike.
const IDEOGRAPHIC_STOP = /\u3002/gu;

export interface SuppressionLookupOptions {
  /** The ledger's latest events concerning the list (`SuppressionStore.forList`). */
  active: readonly ActiveSuppression[];
  /** Let a CRM consent granted after the unsubscribe through (regular lists only; Optimizely keeps the unsubscribe). */
  allowResubscribe: boolean;
  /** A consent time after this is not believed (ms). */
  now: number;
  /** The withdrawals of the list's consent the CRM stated at earlier exports (`SuppressionStore.crmWithdrawals`). */
  crmWithdrawals?: readonly CrmWithdrawal[];
}

/**
 * Decides from the suppression ledger, matching the row's recipient id and its address. An unsubscribe
 * wins unless the row proves a consent granted in a later second (`consent_granted_at`, ISO with
 * zone, a real instant, not in the future); such a re-subscription is `resubscribe_needs_optin` unless
 * the list allows it. A consent time without zone that may lie on either side of the unsubscribe
 * (consentGrantedSpan) is `resubscribe_zone_unknown`, never a re-grant. A bounce wins always.
 * Then a withdrawal the CRM stated at an earlier export: the row is sent again only with a consent
 * granted in a later second (`withdrawal_not_regranted` otherwise; crmWithdrawalCheck).
 * Memory: one map entry per suppressed key of the client and per withdrawn key of the consent.
 */
export function suppressionLookup(options: SuppressionLookupOptions): SuppressionLookup {
  const unsubscribed = new Map<string, number>();
  const bounced = new Set<string>();
  for (const s of options.active) {
    for (const key of storedKeyForms(s.recipientKey)) {
      if (s.kind === 'bounce') bounced.add(key);
      else unsubscribed.set(key, Math.max(unsubscribed.get(key) ?? 0, Date.parse(s.latestAt)));
    }
  }
  const crmWithdrawn = crmWithdrawalCheck(options.crmWithdrawals ?? [], options.now);
  return (recipient, raw) => {
    // Every form the recipient's id and address hold an opt-out under: an address sent in punycode
    // whose domain a locale's case wrote (`ali@GMAİL.COM`) is also the ASCII address's.
    const keys: Array<[string, string]> = [
      ...suppressionKeyForms(recipient.recipientId).map((key): [string, string] => ['recipient_id', key]),
      ...suppressionKeyForms(recipient.email).map((key): [string, string] => ['email', key]),
    ];
    const unsubscribeHits = keys.filter(([, key]) => unsubscribed.has(key));
    if (unsubscribeHits.length > 0) {
      const latest = Math.max(...unsubscribeHits.map(([, key]) => unsubscribed.get(key) as number));
      const granted = consentGrantedSpan(crmCell(raw, CONSENT_GRANTED_AT), options.now);
      if (granted === undefined || !laterSecond(granted.latest, latest)) return { reason: 'unsubscribed', field: unsubscribeHits[0]![0] };
      // A time without zone that may name an instant before the unsubscribe is never read as a re-grant.
      if (!laterSecond(granted.earliest, latest)) return { reason: 'resubscribe_zone_unknown', field: CONSENT_GRANTED_AT };
      if (!options.allowResubscribe) return { reason: 'resubscribe_needs_optin', field: CONSENT_GRANTED_AT };
    }
    const bounceHit = keys.find(([, key]) => bounced.has(key));
    if (bounceHit) return { reason: 'bounced', field: bounceHit[0] };
    return crmWithdrawn(
      keys.map(([, key]) => key),
      raw,
    );
  };
}

/**
 * The check of the CRM's own withdrawals: a row whose id or address an earlier export read withdrawn
 * (consent_withdrawn, unsubscribed or bounced set for the list's consent) is no longer withdrawn
 * today. Clearing a flag is no evidence of consent (an import bug, a restored backup, a script that
 * resets flags), so the row is sent only when its consent time names an instant in a later second
 * than the latest export that read the withdrawal; a time without zone only when its earliest
 * instant does (consentGrantedSpan), an absent, unreadable or future one never. Any list may send
 * such a re-grant, opt-in lists too: Optimizely never held an unsubscribe for it.
 */
function crmWithdrawalCheck(
  withdrawals: readonly CrmWithdrawal[],
  now: number,
): (keys: readonly string[], raw: CrmRow) => { reason: SuppressionReason; field: string } | undefined {
  const withdrawnAt = new Map<string, number>();
  for (const w of withdrawals) {
    const at = Date.parse(w.withdrawnAt);
    for (const key of storedKeyForms(w.recipientKey)) withdrawnAt.set(key, Math.max(withdrawnAt.get(key) ?? at, at));
  }
  return (keys, raw) => {
    if (withdrawnAt.size === 0) return undefined;
    const hits = keys.flatMap((key) => withdrawnAt.get(key) ?? []);
    if (hits.length === 0) return undefined;
    const granted = consentGrantedSpan(crmCell(raw, CONSENT_GRANTED_AT), now);
    if (granted !== undefined && laterSecond(granted.earliest, Math.max(...hits))) return undefined;
    return { reason: 'withdrawal_not_regranted', field: CONSENT_GRANTED_AT };
  };
}

/**
 * A re-grant must fall in a later second than the unsubscribe: the CRM's recency rule compares to the
 * second and lets the withdrawal win a tie (docs/crm.md), so the export does the same rather than
 * read a few milliseconds as a re-subscription.
 */
function laterSecond(granted: number, unsubscribed: number): boolean {
  return Math.floor(granted / 1000) > Math.floor(unsubscribed / 1000);
}

/**
 * The zones in use span UTC−12:00 to UTC+14:00: a time written without a zone names an instant
 * within this much of the same fields read as UTC, on either side (±14 h, the wider side both ways).
 */
export const NAIVE_ZONE_SPAN_MS = 14 * 3_600_000;

/**
 * The instants a CRM row's consent time may name, or undefined when it is absent or cannot be
 * trusted. A zoned time (or a `Date`: a PostgreSQL `timestamp with time zone`) names one instant
 * (earliest = latest; see consentGrantedAt). A time without a zone (a PostgreSQL `timestamp without
 * time zone`, read as text by the CRM adapter, or a naive SQLite or CSV text) is never given the
 * worker's zone: it may be any instant within ±14 h of its fields read as UTC, bounded by now, and
 * it is compared pessimistically (its earliest instant must be in a later second than the
 * unsubscribe to count as a re-grant). One whose earliest instant is in the future is not believed.
 */
export function consentGrantedSpan(value: unknown, now: number): { earliest: number; latest: number } | undefined {
  const zoned = consentGrantedAt(value, now);
  if (zoned !== undefined) return { earliest: zoned, latest: zoned };
  if (typeof value !== 'string') return undefined;
  const naive = parseNaiveTime(value.toUpperCase());
  if (!naive.ok || naive.ms - NAIVE_ZONE_SPAN_MS > now) return undefined;
  return { earliest: naive.ms - NAIVE_ZONE_SPAN_MS, latest: Math.min(naive.ms + NAIVE_ZONE_SPAN_MS, now) };
}

/**
 * The consent time of a CRM row in ms, or undefined when it is absent or cannot be trusted: a date
 * without a time or zone, a field out of range (`2026-02-30`, `24:00`: never rolled over into a
 * later day), an offset beyond ±14:59, a time in the future. Never guessed.
 */
export function consentGrantedAt(value: unknown, now: number): number | undefined {
  let ms: number;
  if (value instanceof Date) ms = value.getTime();
  else if (typeof value === 'string') {
    const time = parseZonedTime(value.toUpperCase(), { secondsRequired: false });
    if (!time.ok) return undefined;
    ms = time.ms;
  } else return undefined;
  return Number.isFinite(ms) && ms <= now ? ms : undefined;
}
