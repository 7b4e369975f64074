// The scratch index against a plain in-memory model: whatever the order of records (single rows,
// pages of rows with repeats inside and across them, from the main connection or a second one as
// the reading thread does), claims, takes, resets and scans, it answers what a Map would answer.
// Rows are recorded by multi-row inserts and "seen" is a bit per row in memory, not a write per
// claim: neither may change an answer.
import fc from 'fast-check';
import { attachLiveIndex, createLiveIndex, type LiveIndex, type LiveRow } from '../../../src/plan/live-index';
import type { Cell } from '../../../src/optimizely/client/optimizely-port';

const id = fc.oneof(fc.constantFrom('a', 'b', 'A', 'é', 'a b', ''), fc.string({ maxLength: 4 }));
const cell: fc.Arbitrary<Cell> = fc.oneof(fc.constant(null), fc.constant(''), fc.string({ maxLength: 3 }));
const row: fc.Arbitrary<LiveRow> = fc.record({ recipientId: id, values: fc.array(cell, { maxLength: 3 }) });

type Op =
  | { kind: 'putAll'; rows: LiveRow[] }
  | { kind: 'put'; row: LiveRow }
  | { kind: 'claim'; id: string }
  | { kind: 'take'; id: string }
  | { kind: 'reset' }
  | { kind: 'unseen' }
  | { kind: 'unseenRows' };

const recordOp: fc.Arbitrary<Op> = fc.oneof(
  // Up to 250 rows: more than one multi-row insert of a hundred, and a remainder.
  fc.record({ kind: fc.constant('putAll' as const), rows: fc.array(row, { maxLength: 250 }) }),
  fc.record({ kind: fc.constant('put' as const), row }),
);
const readOp: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constant('claim' as const), id }),
  fc.record({ kind: fc.constant('take' as const), id }),
  fc.constant({ kind: 'unseen' as const }),
  fc.constant({ kind: 'unseenRows' as const }),
);

/** What the index should answer: first values per id win, seen flags, absent ids claimed. */
class Model {
  live = new Map<string, { values: Cell[]; seen: boolean }>();
  absent = new Set<string>();
  apply(op: Op): unknown {
    switch (op.kind) {
      case 'put':
        return this.putAll([op.row]) === 1;
      case 'putAll':
        return this.putAll(op.rows);
      case 'claim': {
        const r = this.live.get(op.id);
        if (r === undefined) return this.absent.has(op.id) ? { state: 'repeated' } : (this.absent.add(op.id), { state: 'absent' });
        if (r.seen) return { state: 'repeated' };
        r.seen = true;
        return { state: 'live', values: r.values };
      }
      case 'take': {
        const r = this.live.get(op.id);
        if (r) r.seen = true;
        return r?.values;
      }
      case 'reset':
        this.live.clear();
        this.absent.clear();
        return undefined;
      case 'unseen':
        return this.unseen().map((r) => r.recipientId);
      case 'unseenRows':
        return this.unseen();
    }
  }
  private putAll(rows: LiveRow[]): number {
    let added = 0;
    for (const r of rows)
      if (!this.live.has(r.recipientId)) {
        this.live.set(r.recipientId, { values: r.values, seen: false });
        added += 1;
      }
    return added;
  }
  /** Sorted as SQLite sorts text: by the bytes of its UTF-8. */
  private unseen(): LiveRow[] {
    return [...this.live]
      .filter(([, r]) => !r.seen)
      .map(([recipientId, r]) => ({ recipientId, values: r.values }))
      .sort((a, b) => Buffer.compare(Buffer.from(a.recipientId), Buffer.from(b.recipientId)));
  }
}

function run(index: LiveIndex, op: Op): unknown {
  switch (op.kind) {
    case 'put':
      return index.put(op.row.recipientId, op.row.values);
    case 'putAll':
      return index.putAll(op.rows);
    case 'claim':
      return index.claim(op.id);
    case 'take':
      return index.take(op.id);
    case 'reset':
      return index.reset();
    case 'unseen':
      return [...index.unseen()];
    case 'unseenRows':
      return [...index.unseenRows()];
  }
}

describe('the live index', () => {
  it('answers like a map, recorded and read on one connection, in any order of operations', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(recordOp, readOp, fc.constant({ kind: 'reset' as const })), { maxLength: 30 }), (ops) => {
        const index = createLiveIndex();
        const model = new Model();
        try {
          for (const op of ops) {
            expect(run(index, op)).toEqual(model.apply(op));
            expect(index.size()).toBe(model.live.size);
          }
        } finally {
          index.close();
        }
      }),
      { numRuns: 150 },
    );
  });

  it('answers like a map when a second connection recorded the rows (the reading thread), re-reads included', () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(recordOp, { maxLength: 6 }), { minLength: 1, maxLength: 3 }),
        fc.array(readOp, { maxLength: 40 }),
        (attempts, reads) => {
          const index = createLiveIndex();
          const model = new Model();
          try {
            const thread = attachLiveIndex(index.file);
            // Each attempt starts from scratch, as a torn read that is read again does.
            for (const attempt of attempts) {
              thread.reset();
              model.apply({ kind: 'reset' });
              for (const op of attempt) expect(run(thread, op)).toEqual(model.apply(op));
              expect(thread.size()).toBe(model.live.size);
            }
            thread.close();
            for (const op of reads) expect(run(index, op)).toEqual(model.apply(op));
            expect([...index.unseenRows()]).toEqual(model.apply({ kind: 'unseenRows' }));
          } finally {
            index.close();
          }
        },
      ),
      { numRuns: 150 },
    );
  });
});
