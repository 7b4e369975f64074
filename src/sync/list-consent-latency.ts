import type { StateStore } from '../store/state-store';

export interface ListConsentLatencyInput {
  client: string;
  listKey: string;
  /** The Optimizely list id: which unsubscribes concern the list. */
  listId: number;
  /** The list run that just ended ready. */
  runId: string;
  /** When its refill was verified (ISO). */
  verifiedAt: string;
}

export interface ListConsentLatency {
  /** The ready run before it, whose recipients the opt-outs are looked up in; absent on a list's first ready run. */
  previousRunId?: string;
  /** Whole minutes from the opt-out to this verified refill, to how many recipients took them. */
  minutes: Record<string, number>;
}

/** How many of a recipient's ledger entries are read to find the two runs (newest first): far more than a day's re-runs. */
const HITS_READ = 50;

/**
 * Consent latency, stage list: for each recipient the previous ready run left on this list (sent, or
 * kept by a reconcile) and whom an unsubscribe or bounce first recorded since that run started has
 * taken out of it (this run neither sent nor kept them), the time from the earliest such event at
 * Optimizely to this run's verified refill.
 * Recipients are matched by the ledger's recipient id against the suppression key (the normalised
 * address, which is what e-mail keyed lists send). Counts only: nothing of the recipient leaves here.
 */
export async function listConsentLatency(store: StateStore, input: ListConsentLatencyInput): Promise<ListConsentLatency> {
  const ready = await store.runs.list({ client: input.client, listKey: input.listKey, kind: 'list', status: 'completed', limit: 10 });
  const current = ready.find((run) => run.runId === input.runId);
  const previous = ready.find((run) => run.runId !== input.runId && (!current || run.startedAt < current.startedAt));
  if (!previous) return { minutes: {} };
  const verifiedMs = Date.parse(input.verifiedAt);
  const minutes: Record<string, number> = {};
  for (const { recipientKey, occurredAt } of await store.suppressions.recordedSince(input.client, input.listId, previous.startedAt)) {
    const hits = await store.ledger.find({ recipientId: recipientKey, client: input.client, listKey: input.listKey, limit: HITS_READ });
    // On the list after a run: sent by it (refresh) or kept by it (reconcile; it sends only joiners).
    const onListAfter = (runId: string) => hits.some((hit) => hit.runId === runId && (hit.outcome === 'sent' || hit.outcome === 'kept'));
    if (!onListAfter(previous.runId) || onListAfter(input.runId)) continue;
    const key = String(Math.max(0, Math.floor((verifiedMs - Date.parse(occurredAt)) / 60_000)));
    minutes[key] = (minutes[key] ?? 0) + 1;
  }
  return { previousRunId: previous.runId, minutes };
}
