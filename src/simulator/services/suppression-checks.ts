// The checks shared by add, containsValid and the remove* operations: blocklist patterns (with '*'
// and '?' wildcards, case-insensitive, matched against the address), bounce thresholds and the
// client-wide unsubscribe list (keyed by recipient id; the address is checked too).
import type { Store } from '../store/store';

export interface SuppressionView {
  isBlocklisted(address: string): boolean;
  isBouncedOut(recipientId: string): boolean;
  isUnsubscribed(recipientId: string, address: string): boolean;
}

export function compilePattern(entry: string): RegExp {
  const source = entry.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${source}$`, 'i');
}

/**
 * The same checks over state preloaded for one batch of ids (three queries instead of three per
 * recipient); `resubscribe` keeps the preloaded set in step with writes made during the batch.
 */
export function batchSuppressionView(store: Store, mandatorId: number, keys: string[]): SuppressionView & { resubscribe(key: string): void } {
  const base = suppressionView(store, mandatorId);
  const unsubscribed = store.suppression.unsubscribedAmong(mandatorId, keys);
  const bounces = store.suppression.bouncesAmong(mandatorId, keys);
  const client = store.clients.client(mandatorId);
  const hard = client?.hardThreshold ?? 3;
  const soft = client?.softThreshold ?? 5;
  return {
    isBlocklisted: base.isBlocklisted,
    isBouncedOut(recipientId) {
      const b = bounces.get(recipientId);
      return b !== undefined && (b.hard >= hard || b.soft >= soft);
    },
    isUnsubscribed: (recipientId, address) => unsubscribed.has(recipientId) || (address !== '' && unsubscribed.has(address)),
    resubscribe(key) {
      unsubscribed.delete(key);
      store.suppression.resubscribe(mandatorId, key);
    },
  };
}

export function suppressionView(store: Store, mandatorId: number): SuppressionView {
  const entries = store.suppression.blocklistEntries(mandatorId);
  const exact = new Set(entries.filter((e) => !/[*?]/.test(e)).map((e) => e.toLowerCase()));
  const patterns = entries.filter((e) => /[*?]/.test(e)).map(compilePattern);
  const client = store.clients.client(mandatorId);
  const hard = client?.hardThreshold ?? 3;
  const soft = client?.softThreshold ?? 5;
  return {
    isBlocklisted: (address) => exact.has(address.toLowerCase()) || patterns.some((p) => p.test(address)),
    isBouncedOut(recipientId) {
      const b = store.suppression.bounces(mandatorId, recipientId);
      return b.hard >= hard || b.soft >= soft;
    },
    isUnsubscribed: (recipientId, address) =>
      store.suppression.isUnsubscribed(mandatorId, recipientId) || (address !== recipientId && address !== '' && store.suppression.isUnsubscribed(mandatorId, address)),
  };
}

const EMAIL = /^[^\s@<>()[\]\\,;:"]+@[^\s@<>()[\]\\,;:".]+(\.[^\s@<>()[\]\\,;:".]+)+$/;

/** E-mail syntax check behind result code 1. */
export function isValidAddress(address: string): boolean {
  return address.length <= 254 && EMAIL.test(address);
}
