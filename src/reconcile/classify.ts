import type { Cell } from '../optimizely/client/optimizely-port';
import { changedFields, type DiffCounts } from '../plan/diff';
import type { LiveIndex } from '../plan/live-index';
import type { Recipient } from '../validation/recipient';

// The reconcile's diff: the export (the desired recipients) against the live list read in full, by
// exact recipient id. Every distinct id of the union lands in exactly one class: `add` (desired, not
// live), `remove` (live, not desired), `update` (both, some compared value differs) or `unchanged`.
// Ids compare exactly, as the simulator and the state store do: a live `Ann@x.test` and a desired
// `ann@x.test` are a removal and an addition. The reconcile removes before it adds, so whether
// Optimizely treats ids case-blind or not, the list ends holding the desired id once.

/** Where each classified recipient goes: the reconcile's claim-check tables and ledger. */
export interface ReconcileSink {
  add(recipient: Recipient): Promise<void>;
  update(recipient: Recipient, fields: string[]): Promise<void>;
  unchanged(recipient: Recipient): Promise<void>;
  remove(recipientId: string, liveValues: Cell[]): Promise<void>;
}

export interface ReconcileCounts extends DiffCounts {
  /** Desired rows whose id came before in the input (counted once, the first wins). */
  repeated: number;
}

/** Classifies `desired` against `live` (already filled), handing each recipient to `sink`; the counts. */
export async function classifyAgainstLive(input: {
  names: readonly string[];
  desiredValues: (recipient: Recipient) => Cell[];
  live: LiveIndex;
  desired: AsyncIterable<Recipient> | Iterable<Recipient>;
  sink: ReconcileSink;
  /** Each recipient on both sides, with its desired and live values (in `names`' order) and whether any differs. */
  observeKept?: (desired: readonly Cell[], live: readonly Cell[], changed: boolean) => void;
}): Promise<ReconcileCounts> {
  const counts: ReconcileCounts = { add: 0, remove: 0, update: 0, unchanged: 0, repeated: 0 };
  for await (const recipient of input.desired) {
    const claimed = input.live.claim(recipient.recipientId);
    if (claimed.state === 'repeated') {
      counts.repeated += 1;
    } else if (claimed.state === 'absent') {
      counts.add += 1;
      await input.sink.add(recipient);
    } else {
      const desired = input.desiredValues(recipient);
      const fields = changedFields(input.names, desired, claimed.values);
      input.observeKept?.(desired, claimed.values, fields.length > 0);
      if (fields.length === 0) {
        counts.unchanged += 1;
        await input.sink.unchanged(recipient);
      } else {
        counts.update += 1;
        await input.sink.update(recipient, fields);
      }
    }
  }
  for (const { recipientId, values } of input.live.unseenRows()) {
    counts.remove += 1;
    await input.sink.remove(recipientId, values);
  }
  return counts;
}
