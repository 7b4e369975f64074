import type { SimContext } from '../context';

/** A list's recipients as JSON, for test assertions; undefined (404) for an unknown list. */
export function listRecipients(sim: SimContext, m: number, listId: number) {
  if (!sim.store.clients.list(m, listId)) return undefined;
  return {
    recipients: sim.store.recipients.all(m, listId).map((r) => ({
      recipientId: r.recipientId,
      address: r.address,
      attributes: JSON.parse(r.attrs) as Record<string, string | null>,
      optinState: r.optinState,
      optinProcessId: r.optinProcessId,
      created: r.created,
      modified: r.modified,
    })),
  };
}
