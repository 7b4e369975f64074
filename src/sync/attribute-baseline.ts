import { SnapshotNotFoundError } from '../errors/snapshot-not-found-error';
import type { StateStore } from '../store/state-store';
import type { SnapshotRow } from '../store/types';
import { AttributeTally, valueFeatures, type AttributeChanges, type ValueFeatures } from './attribute-guard';

/**
 * What the last good run's recipients held, in a form small enough for a million of them: per
 * recipient a 53-bit hash of its exact id (sorted, for a binary search) and one byte of features per
 * mapped attribute (usable, beyond ASCII; attribute-guard.ts), about 12 bytes plus one per attribute
 * and recipient. No value is kept. Two ids of one hash (about one chance in ten thousand at a million
 * recipients) compare one with the other's features: a count off by at most one.
 */
export interface AttributeBaseline {
  readonly size: number;
  /** Where a recipient is, or -1: not in the last good run. */
  lookup(recipientId: string): number;
  /** The features of the `i`-th attribute (in the names' order) of the recipient `lookup` found at `at`. */
  features(at: number, i: number): ValueFeatures;
}

/** cyrb53: a fast, well-spread 53-bit string hash (public domain). */
export function hash53(text: string): number {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507);
  h1 ^= Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507);
  h2 ^= Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return 4294967296 * (2097151 & h2) + (h1 >>> 0);
}

/** Reads a snapshot into an AttributeBaseline of `names` (Optimizely field names); `progress` per batch. */
export async function loadAttributeBaseline(
  store: StateStore,
  snapshotRef: string,
  names: readonly string[],
  progress?: () => void,
): Promise<AttributeBaseline> {
  const info = await store.snapshots.get(snapshotRef);
  if (!info) throw new SnapshotNotFoundError(snapshotRef);
  let capacity = Math.max(info.count, 1024);
  let hashes = new Float64Array(capacity);
  let features = new Uint8Array(capacity * names.length);
  let n = 0;
  for await (const batch of store.snapshots.batches(snapshotRef)) {
    progress?.();
    for (const row of batch.rows) {
      const id = (row as SnapshotRow).recipientId;
      if (typeof id !== 'string') continue;
      if (n === capacity) {
        capacity *= 2;
        hashes = grown(hashes, new Float64Array(capacity));
        features = grown(features, new Uint8Array(capacity * names.length));
      }
      hashes[n] = hash53(id);
      const attributes = (row as SnapshotRow).attributes;
      const values = attributes !== null && typeof attributes === 'object' && !Array.isArray(attributes) ? attributes : {};
      for (let i = 0; i < names.length; i++) features[n * names.length + i] = valueFeatures(ownValue(values, names[i]!));
      n += 1;
    }
  }
  return sortedBaseline(hashes.subarray(0, n), features, names.length);
}

function grown<T extends Float64Array | Uint8Array>(from: T, to: T): T {
  to.set(from);
  return to;
}

function ownValue(values: object, name: string): unknown {
  return Object.hasOwn(values, name) ? (values as Record<string, unknown>)[name] : undefined;
}

function sortedBaseline(hashes: Float64Array, features: Uint8Array, width: number): AttributeBaseline {
  const n = hashes.length;
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  order.sort((a, b) => hashes[a]! - hashes[b]!);
  const sorted = new Float64Array(n);
  const sortedFeatures = new Uint8Array(n * width);
  for (let i = 0; i < n; i++) {
    const from = order[i]!;
    sorted[i] = hashes[from]!;
    sortedFeatures.set(features.subarray(from * width, from * width + width), i * width);
  }
  return {
    size: n,
    lookup(recipientId) {
      const h = hash53(recipientId);
      let lo = 0;
      let hi = n - 1;
      while (lo <= hi) {
        const mid = (lo + hi) >>> 1;
        const at = sorted[mid]!;
        if (at === h) return mid;
        if (at < h) lo = mid + 1;
        else hi = mid - 1;
      }
      return -1;
    },
    features: (at, i) => sortedFeatures[at * width + i]!,
  };
}

/**
 * The comparison of an export with the last good run, fed the export's accepted rows as they are
 * written (exportToSnapshot's `observe`), while the last good snapshot is read beside the export.
 * `result` is undefined when there is nothing to compare: the list maps no attribute (then the
 * last good snapshot is not read at all: a whole snapshot read for no value), no last good run (the
 * list's first run), or its snapshot is gone. Any other failure to read it fails the export
 * (retried): the guard never passes a run because its comparison could not be made.
 */
export function compareWithLastGood(input: {
  store: StateStore;
  /** The last good run's snapshot, or undefined on a list's first run. */
  snapshotRef: string | undefined;
  names: readonly string[];
  progress?: () => void;
  onMissing?: (snapshotRef: string) => void;
}): { observe(rows: readonly SnapshotRow[]): Promise<void>; result(): Promise<AttributeChanges | undefined> } {
  const { snapshotRef, names } = input;
  const loading: Promise<AttributeBaseline | undefined> =
    snapshotRef === undefined || names.length === 0
      ? Promise.resolve(undefined)
      : loadAttributeBaseline(input.store, snapshotRef, names, input.progress).catch((error: unknown) => {
          if (!(error instanceof SnapshotNotFoundError)) throw error;
          input.onMissing?.(snapshotRef);
          return undefined;
        });
  // Awaited by observe or result; a failure while nothing awaits yet is not an unhandled rejection.
  loading.catch(() => undefined);
  const tally = new AttributeTally('last-good-run', names);
  return {
    async observe(rows) {
      const baseline = await loading;
      if (!baseline) return;
      for (const row of rows) {
        const id = row.recipientId;
        if (typeof id !== 'string') continue;
        const at = baseline.lookup(id);
        if (at < 0) continue;
        const attributes = row.attributes;
        const values = attributes !== null && typeof attributes === 'object' && !Array.isArray(attributes) ? attributes : {};
        tally.recipient();
        for (let i = 0; i < names.length; i++) tally.value(i, baseline.features(at, i), ownValue(values, names[i]!));
      }
    },
    async result() {
      return (await loading) ? tally.result() : undefined;
    },
  };
}
