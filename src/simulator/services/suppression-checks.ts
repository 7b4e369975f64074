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
  const source = entry
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${source}$`, 'i');
}

export function suppressionView(store: Store, mandatorId: number): SuppressionView & { resubscribe(key: string): void } {
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
      store.suppression.isUnsubscribed(mandatorId, recipientId) ||
      (address !== recipientId && address !== '' && store.suppression.isUnsubscribed(mandatorId, address)),
    resubscribe: (key) => void store.suppression.resubscribe(mandatorId, key),
  };
}

const EMAIL = /^[^\s@<>()[\]\\,;:"]+@[^\s@<>()[\]\\,;:".]+(\.[^\s@<>()[\]\\,;:".]+)+$/;

/** E-mail syntax check behind result code 1. */
export function isValidAddress(address: string): boolean {
  return address.length <= 254 && EMAIL.test(address);
}
