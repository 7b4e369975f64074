import type { CrmRow } from '../crm/crm-port';
import type { ActiveSuppression } from '../store/suppression-types';
import { normaliseEmail } from './email-rule';
import type { Recipient } from './recipient';

/** Reasons the suppression ledger gives; `resubscribe_needs_optin` is a CRM consent granted after the unsubscribe. */
export type SuppressionReason = 'unsubscribed' | 'bounced' | 'resubscribe_needs_optin';

/** Suppressions the caller knows beyond the CRM columns: the reason and the column that decided it. */
export type SuppressionLookup = (recipient: Recipient, raw: CrmRow) => { reason: SuppressionReason; field: string } | undefined;

/** The optional selection column holding when the row's consent was (last) granted. */
export const CONSENT_GRANTED_AT = 'consent_granted_at';

/**
 * The key a recipient id or an address is matched on: the e-mail rule's normalisation with the local
 * part lower-cased too, whatever the list's `lowercaseLocalPart` says (a suppression errs on the side
 * of the person: `Anna@x.de` unsubscribing suppresses `anna@x.de`) and a Unicode domain in punycode
 * (the form a list with `idnDomains: punycode` sends); a value the rule refuses (an opaque id) is
 * trimmed and lower-cased alike.
 */
export function suppressionKey(value: string): string {
  return normaliseEmail(value, { lowercaseLocalPart: true, idnDomains: 'punycode' }) ?? value.trim().toLowerCase();
}

export interface SuppressionLookupOptions {
  /** The ledger's latest events concerning the list (`SuppressionStore.forList`). */
  active: readonly ActiveSuppression[];
  /** Let a CRM consent granted after the unsubscribe through (regular lists only; Optimizely keeps the unsubscribe). */
  allowResubscribe: boolean;
  /** A consent time after this is not believed (ms). */
  now: number;
}

/**
 * Decides from the suppression ledger, matching the row's recipient id and its address. An unsubscribe
 * wins unless the row proves a consent granted after it (`consent_granted_at`, ISO with zone, not in
 * the future); such a re-subscription is `resubscribe_needs_optin` unless the list allows it. A
 * bounce wins always. Memory: one map entry per suppressed key of the client.
 */
export function suppressionLookup(options: SuppressionLookupOptions): SuppressionLookup {
  const unsubscribed = new Map<string, number>();
  const bounced = new Set<string>();
  for (const s of options.active) {
    if (s.kind === 'bounce') bounced.add(s.recipientKey);
    else unsubscribed.set(s.recipientKey, Math.max(unsubscribed.get(s.recipientKey) ?? 0, Date.parse(s.latestAt)));
  }
  return (recipient, raw) => {
    const keys: Array<[string, string]> = [['recipient_id', suppressionKey(recipient.recipientId)], ['email', suppressionKey(recipient.email)]];
    const unsubscribeHits = keys.filter(([, key]) => unsubscribed.has(key));
    if (unsubscribeHits.length > 0) {
      const latest = Math.max(...unsubscribeHits.map(([, key]) => unsubscribed.get(key) as number));
      const granted = consentGrantedAt(raw[CONSENT_GRANTED_AT], options.now);
      if (granted === undefined || granted <= latest) return { reason: 'unsubscribed', field: unsubscribeHits[0]![0] };
      if (!options.allowResubscribe) return { reason: 'resubscribe_needs_optin', field: CONSENT_GRANTED_AT };
    }
    const bounceHit = keys.find(([, key]) => bounced.has(key));
    return bounceHit ? { reason: 'bounced', field: bounceHit[0] } : undefined;
  };
}

const ISO_WITH_ZONE = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}(?::?\d{2})?)$/i;

/**
 * The consent time of a CRM row in ms, or undefined when it is absent or cannot be trusted: a date
 * without a time or zone, an unparseable value, a time in the future. Never guessed.
 */
export function consentGrantedAt(value: unknown, now: number): number | undefined {
  let ms: number;
  if (value instanceof Date) ms = value.getTime();
  else if (typeof value === 'string' && ISO_WITH_ZONE.test(value.trim())) ms = Date.parse(value.trim().replace(' ', 'T'));
  else return undefined;
  return Number.isFinite(ms) && ms <= now ? ms : undefined;
}
