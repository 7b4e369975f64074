import type { Cell } from '../optimizely/client/optimizely-port';
import type { LiveIndex } from './live-index';

// The plan's diff: the export's accepted recipients (the desired set) against the live list, by
// recipient id. Every desired id ends in exactly one of add / update / unchanged, every live id in
// exactly one of remove / update / unchanged, so add + update + unchanged = desired and
// remove + update + unchanged = live.

export type Change = 'add' | 'remove' | 'update' | 'unchanged';

export interface DesiredRecipient {
  recipientId: string;
  /** In the order of `PlanFields.names`. */
  values: readonly Cell[];
}

export interface DiffCounts {
  add: number;
  remove: number;
  update: number;
  unchanged: number;
}

/** One recipient's change; `fields` names the differing fields of an update. */
export interface DiffEntry {
  change: Exclude<Change, 'unchanged'>;
  recipientId: string;
  fields?: string[];
}

/**
 * Optimizely answers an empty field as nil and the export holds it as '' (or leaves an unmapped
 * attribute out), so empty and absent are the same value; anything else compares exactly.
 */
export function sameCell(a: Cell | undefined, b: Cell | undefined): boolean {
  return (a ?? '') === (b ?? '');
}

/** Names of the fields whose values differ. */
export function changedFields(names: readonly string[], desired: readonly Cell[], live: readonly Cell[]): string[] {
  // A loop, not a filter callback: this runs per recipient, and under tsx an arrow function declared
  // inside a call is named again on every call (`__name`).
  const changed: string[] = [];
  for (let i = 0; i < names.length; i++) if (!sameCell(desired[i], live[i])) changed.push(names[i]!);
  return changed;
}

export interface DiffRun {
  /** Classifies one desired recipient (each id once) against the live index. */
  desired(recipient: DesiredRecipient): Promise<void>;
  /** After the last desired recipient: the live ids never matched are removals. */
  finish(): Promise<DiffCounts>;
}

/** Counts every change and hands each non-unchanged entry to `onEntry` (e.g. a CSV writer). */
export function startDiff(names: readonly string[], live: LiveIndex, onEntry?: (entry: DiffEntry) => void | Promise<void>): DiffRun {
  const counts: DiffCounts = { add: 0, remove: 0, update: 0, unchanged: 0 };
  return {
    async desired({ recipientId, values }) {
      const current = live.take(recipientId);
      if (current === undefined) {
        counts.add += 1;
        await onEntry?.({ change: 'add', recipientId });
        return;
      }
      const fields = changedFields(names, values, current);
      if (fields.length === 0) {
        counts.unchanged += 1;
        return;
      }
      counts.update += 1;
      await onEntry?.({ change: 'update', recipientId, fields });
    },
    async finish() {
      for (const recipientId of live.unseen()) {
        counts.remove += 1;
        await onEntry?.({ change: 'remove', recipientId });
      }
      return counts;
    },
  };
}
