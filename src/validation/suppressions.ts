import type { Recipient } from './recipient';

/** Suppressions the caller knows beyond the CRM columns (e.g. unsubscribes from Optimizely). */
export type SuppressionLookup = (recipient: Recipient) => 'bounced' | 'unsubscribed' | 'consent_withdrawn' | undefined;

/** A lookup over sets of normalised recipient ids; memory is the size of the sets. */
export function suppressionFromSets(sets: {
  bounced?: ReadonlySet<string>;
  unsubscribed?: ReadonlySet<string>;
  consentWithdrawn?: ReadonlySet<string>;
}): SuppressionLookup {
  return (recipient) => {
    if (sets.consentWithdrawn?.has(recipient.recipientId)) return 'consent_withdrawn';
    if (sets.bounced?.has(recipient.recipientId)) return 'bounced';
    if (sets.unsubscribed?.has(recipient.recipientId)) return 'unsubscribed';
    return undefined;
  };
}
