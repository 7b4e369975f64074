// How unsubscribes and bounces change state and produce ClosedLoop rows; used by the SOAP
// Unsubscribe service and by the admin surface's event injection.
import type { SimContext } from '../context';

export interface UnsubscribeInput {
  recipientId: string;
  listId: number;
  mailingId: number | null;
  time: number;
}

export function recordUnsubscribe(sim: SimContext, m: number, u: UnsubscribeInput): void {
  sim.store.suppression.unsubscribe(m, u.recipientId, u.listId, u.time);
  const base = { recipientId: u.recipientId, listId: u.listId, eventTime: u.time };
  sim.store.events.add(m, { ...base, getter: 'getUnsubscribes', mailingId: null }, sim.settings.batchIntervalMs);
  if (u.mailingId !== null)
    sim.store.events.add(m, { ...base, getter: 'getMailingUnsubscribes', mailingId: u.mailingId }, sim.settings.batchIntervalMs);
}

export interface BounceInput {
  recipientId: string;
  listId: number;
  mailingId: number | null;
  time: number;
  category: 'hardbounce' | 'softbounce';
}

/** Counts the bounce, records it for getResponses and, when it crosses a threshold, for getOutBounces. */
export function recordBounce(sim: SimContext, m: number, b: BounceInput): void {
  const client = sim.store.clients.client(m);
  const hardT = client?.hardThreshold ?? 3;
  const softT = client?.softThreshold ?? 5;
  const before = sim.store.suppression.bounces(m, b.recipientId);
  const after = b.category === 'hardbounce' ? { ...before, hard: before.hard + 1 } : { ...before, soft: before.soft + 1 };
  sim.store.suppression.setBounces(m, b.recipientId, after);
  const row = { recipientId: b.recipientId, listId: b.listId, mailingId: b.mailingId, eventTime: b.time, category: b.category };
  sim.store.events.add(m, { ...row, getter: 'getResponses' }, sim.settings.batchIntervalMs);
  const wasOut = before.hard >= hardT || before.soft >= softT;
  const isOut = after.hard >= hardT || after.soft >= softT;
  if (isOut && !wasOut) sim.store.events.add(m, { ...row, getter: 'getOutBounces' }, sim.settings.batchIntervalMs);
}
