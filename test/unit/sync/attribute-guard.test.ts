import fc from 'fast-check';
import { createLiveIndex } from '../../../src/plan/live-index';
import { planFields } from '../../../src/plan/plan-fields';
import { classifyAgainstLive, type ReconcileSink } from '../../../src/reconcile/classify';
import { liveAttributeTally } from '../../../src/reconcile/diff-live-list';
import { createStateStore, type SnapshotRow, type StateStore } from '../../../src/store';
import { compareWithLastGood, hash53, loadAttributeBaseline } from '../../../src/sync/attribute-baseline';
import {
  attributeReasons,
  attributeReasonsAfterHold,
  valueFeatures,
  USABLE,
  type AttributeChanges,
} from '../../../src/sync/attribute-guard';
import { guardReasons } from '../../../src/sync/guard';
import type { Recipient } from '../../../src/validation/recipient';
import { guardLimits } from '../../helpers/guard-limits';

// The attribute guard (docs/daily-sync.md, "Attribute values"): a CRM that one night exports every
// first name empty, or garbled by a charset error, is held before the clear (refresh) or before the
// update step (reconcile). Values are drawn from classes the test knows (usable, empty, garbled) and
// the counts are checked against a model that knows each value's class, not against valueFeatures.

const USABLE_VALUES = ['Anna', 'Zoë', 'Müller', 'Jörg', "O'Brien", 'Łukasz', 'Herr', 'Frau', 'Dr. Ng', '12', 'Ana María'];
const EMPTY_VALUES: Array<string | null | undefined> = ['', ' ', '\t', '\u200b', '\u00a0 ', null, undefined];
const GARBLED_VALUES = ['\ufffd\ufffd', 'M\ufffdller', 'NULL', 'null', '???', '-', 'JÃ¶rg', '#N/A', 'Ã©', 'a\u0085b'];
/** Values the reason texts must never show (those that cannot occur in the fixed words or numbers of a reason). */
const PRIVATE = [...USABLE_VALUES.filter((v) => v.length >= 4), 'M\ufffdller', 'JÃ¶rg'];
const NAMES = ['firstname', 'salutation', 'city'];
/** An attribute the mapping gained today: the last good run has no value of it. */
const NEW_NAME = 'title';

const beyondAscii = (v: string) => /\P{ASCII}/u.test(v);

type Change = { kind: 'same' } | { kind: 'usable' | 'empty' | 'garbled'; value: string | null | undefined } | { kind: 'question' };
const change: fc.Arbitrary<Change> = fc.oneof(
  { arbitrary: fc.constant({ kind: 'same' as const }), weight: 4 },
  { arbitrary: fc.constantFrom(...USABLE_VALUES).map((value) => ({ kind: 'usable' as const, value })), weight: 2 },
  { arbitrary: fc.constantFrom(...EMPTY_VALUES).map((value) => ({ kind: 'empty' as const, value })), weight: 2 },
  { arbitrary: fc.constantFrom(...GARBLED_VALUES).map((value) => ({ kind: 'garbled' as const, value })), weight: 2 },
  { arbitrary: fc.constant({ kind: 'question' as const }), weight: 1 },
);
const before = fc.oneof(
  { arbitrary: fc.constantFrom(...USABLE_VALUES).map((value) => ({ usable: true, value })), weight: 4 },
  { arbitrary: fc.constantFrom(...EMPTY_VALUES, ...GARBLED_VALUES).map((value) => ({ usable: false, value })), weight: 1 },
);
const id = fc.integer({ min: 0, max: 40 }).map((n) => `r${n}@x.test`);

/** Yesterday's recipients (each id once) and today's, each attribute of today's a change of yesterday's value. */
const day = fc.record({
  previous: fc.uniqueArray(fc.record({ id, values: fc.tuple(before, before, before) }), { selector: (r) => r.id, maxLength: 30 }),
  today: fc.uniqueArray(fc.record({ id, changes: fc.tuple(change, change, change), title: fc.constantFrom(...USABLE_VALUES, '') }), {
    selector: (r) => r.id,
    maxLength: 30,
  }),
  limit: fc.integer({ min: 0, max: 100 }),
});
type Day = typeof day extends fc.Arbitrary<infer T> ? T : never;

function attributesOf(values: Record<string, string | null | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(values)) if (v !== undefined && v !== null) out[k] = v;
  return out;
}
const row = (recipientId: string, attributes: Record<string, string>): SnapshotRow =>
  ({ recipientId, email: recipientId, entityType: 'contact', entityId: recipientId, attributes }) as unknown as SnapshotRow;

/** Today's value of an attribute, and what the model says it lost. */
function applyChange(previous: { usable: boolean; value: string | null | undefined } | undefined, c: Change) {
  const was = previous?.value;
  const had = previous?.usable === true;
  switch (c.kind) {
    case 'same':
      return { value: was ?? 'Anna', lost: undefined };
    case 'usable':
      return { value: c.value, lost: undefined };
    case 'empty':
      return { value: c.value, lost: had ? ('emptied' as const) : undefined };
    case 'garbled':
      return { value: c.value, lost: had ? ('garbled' as const) : undefined };
    case 'question': {
      if (typeof was !== 'string') return { value: 'Anna', lost: undefined };
      const value = was.replace(/\P{ASCII}/gu, '?');
      return { value, lost: had && beyondAscii(was) ? ('garbled' as const) : undefined };
    }
  }
}

/** Today's rows and the model's counts. */
function model(d: Day) {
  const yesterday = new Map(d.previous.map((r) => [r.id, r.values]));
  let kept = 0;
  const lost: Record<string, { emptied: number; garbled: number }> = {};
  const rows = d.today.map((r) => {
    const prev = yesterday.get(r.id);
    if (prev) kept += 1;
    const values: Record<string, string | null | undefined> = { [NEW_NAME]: r.title };
    NAMES.forEach((name, i) => {
      const { value, lost: loss } = applyChange(prev?.[i], r.changes[i]!);
      values[name] = value;
      if (prev && loss) {
        lost[name] ??= { emptied: 0, garbled: 0 };
        lost[name][loss] += 1;
      }
    });
    return row(r.id, attributesOf(values));
  });
  return { rows, kept, lost };
}

const limits = (limit: number) =>
  guardLimits({
    maxShrinkPercent: 100,
    maxExcludedPercent: 100,
    allowEmpty: true,
    maxRemovePercent: 100,
    maxBlankedPercent: limit,
    maxUpdatePercent: 100,
  });

describe('the attribute guard against the last good run (strategy refresh)', () => {
  let store: StateStore;
  beforeAll(async () => {
    store = await createStateStore({ kind: 'sqlite', file: ':memory:' });
  });
  afterAll(async () => store.close());

  async function compare(d: Day, rows: SnapshotRow[]): Promise<AttributeChanges | undefined> {
    const previous = d.previous.map((r) => row(r.id, attributesOf(Object.fromEntries(NAMES.map((n, i) => [n, r.values[i]!.value])))));
    const { snapshotRef } = await store.snapshots.write({ client: 'c', listKey: 'l', runId: `prev-${Math.random()}` }, previous);
    const comparison = compareWithLastGood({ store, snapshotRef, names: [...NAMES, NEW_NAME] });
    // Fed as the export writes: a thousand at a time; here in two parts to cross a boundary.
    const half = Math.floor(rows.length / 2);
    await comparison.observe(rows.slice(0, half));
    await comparison.observe(rows.slice(half));
    return comparison.result();
  }

  it('counts the recipients kept and, per attribute, those whose value was emptied or garbled, exactly as the model', async () => {
    await fc.assert(
      fc.asyncProperty(day, async (d) => {
        const { rows, kept, lost } = model(d);
        const changes = await compare(d, rows);
        expect(changes).toEqual({ against: 'last-good-run', kept, lost });
      }),
      { numRuns: 150 },
    );
  });

  it('holds exactly when an attribute lost its value for more than maxBlankedPercent of the recipients kept, naming it and the share, no value', async () => {
    await fc.assert(
      fc.asyncProperty(day, async (d) => {
        const { rows, kept, lost } = model(d);
        const changes = await compare(d, rows);
        const reasons = attributeReasons(limits(d.limit), changes);
        const over = NAMES.filter((n) => lost[n] && (lost[n].emptied + lost[n].garbled) * 100 > d.limit * kept);
        expect(reasons).toHaveLength(over.length);
        over.forEach((name, i) => {
          const n = lost[name]!.emptied + lost[name]!.garbled;
          expect(reasons[i]).toContain(`attribute ${name} lost its value for ${((n / kept) * 100).toFixed(1)}% of the ${kept} recipients`);
          expect(reasons[i]).toContain(`(${lost[name]!.emptied} emptied, ${lost[name]!.garbled} garbled; limit ${d.limit}%)`);
        });
        // The whole guard adds exactly these reasons to an export it would otherwise pass.
        const input = { count: rows.length, rowsRead: rows.length, excluded: {}, lastGoodCount: rows.length, attributeChanges: changes };
        expect(guardReasons(limits(d.limit), input)).toEqual(reasons);
        for (const reason of reasons) for (const value of PRIVATE) expect(reason).not.toContain(value);
        // The new attribute never holds: it had no value to lose.
        expect(reasons.join('\n')).not.toContain(NEW_NAME);
      }),
      { numRuns: 150 },
    );
  });

  it('a first run, an empty last good run and a last good run whose snapshot is gone: no comparison, no hold, no crash', async () => {
    const rows = [row('a@x.test', { firstname: '' })];
    const first = compareWithLastGood({ store, snapshotRef: undefined, names: NAMES });
    await first.observe(rows);
    expect(await first.result()).toBeUndefined();
    expect(attributeReasons(limits(0), undefined)).toEqual([]);

    const { snapshotRef: empty } = await store.snapshots.write({ client: 'c', listKey: 'l', runId: 'empty' }, []);
    const againstEmpty = compareWithLastGood({ store, snapshotRef: empty, names: NAMES });
    await againstEmpty.observe(rows);
    const changes = await againstEmpty.result();
    expect(changes).toEqual({ against: 'last-good-run', kept: 0, lost: {} });
    expect(attributeReasons(limits(0), changes)).toEqual([]);

    const { snapshotRef: gone } = await store.snapshots.write({ client: 'c', listKey: 'l', runId: 'gone' }, [
      row('a@x.test', { firstname: 'Anna' }),
    ]);
    await store.snapshots.delete(gone);
    const missing: string[] = [];
    const againstGone = compareWithLastGood({ store, snapshotRef: gone, names: NAMES, onMissing: (ref) => missing.push(ref) });
    await againstGone.observe(rows);
    expect(await againstGone.result()).toBeUndefined();
    expect(missing).toEqual([gone]);
  });

  it('fails (so the export is retried) when the last good snapshot cannot be read for another reason, never passes unread', async () => {
    const broken = {
      snapshots: {
        get: async () => ({ count: 1 }),
        // eslint-disable-next-line require-yield
        async *batches() {
          throw new Error('database is locked');
        },
      },
    } as unknown as StateStore;
    const comparison = compareWithLastGood({ store: broken, snapshotRef: 'x', names: NAMES });
    await expect(comparison.observe([row('a@x.test', {})])).rejects.toThrow('database is locked');
    await expect(comparison.result()).rejects.toThrow('database is locked');
  });

  it('finds every recipient of a baseline by its id, and no other', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uniqueArray(fc.string({ maxLength: 12 }), { maxLength: 60 }),
        fc.array(fc.string({ maxLength: 12 })),
        async (ids, others) => {
          const { snapshotRef } = await store.snapshots.write(
            { client: 'c', listKey: 'l', runId: `ids-${Math.random()}` },
            ids.map((i) => row(i, { firstname: 'Anna' })),
          );
          const baseline = await loadAttributeBaseline(store, snapshotRef, ['firstname']);
          expect(baseline.size).toBe(ids.length);
          for (const i of ids) expect(baseline.features(baseline.lookup(i), 0) & USABLE).toBe(USABLE);
          const known = new Set(ids.map(hash53));
          for (const o of others) if (!known.has(hash53(o))) expect(baseline.lookup(o)).toBe(-1);
        },
      ),
      { numRuns: 60 },
    );
  });
});

describe('valueFeatures', () => {
  it('reads any value without throwing: nothing visible is empty, U+FFFD anywhere is never usable', () => {
    fc.assert(
      fc.property(fc.anything(), (v) => {
        expect([0, 1, 3]).toContain(valueFeatures(v));
      }),
    );
    fc.assert(
      fc.property(fc.string(), fc.string(), (a, b) => {
        expect(valueFeatures(`${a}\ufffd${b}`) & USABLE).toBe(0);
      }),
    );
    fc.assert(
      fc.property(fc.array(fc.constantFrom(' ', '\t', '\n', '\u200b', '\u00a0', '\ufeff', '\u2028')), (blanks) => {
        expect(valueFeatures(blanks.join(''))).toBe(0);
      }),
    );
  });
});

describe('attributeReasons on a hostile record', () => {
  it('never throws, and holds when a count is no count', () => {
    fc.assert(
      fc.property(fc.anything(), fc.anything(), fc.anything(), (kept, emptied, updated) => {
        const changes = {
          against: 'live-list',
          kept,
          lost: { firstname: { emptied, garbled: 0 } },
          updated,
        } as unknown as AttributeChanges;
        const reasons = attributeReasons(limits(5), changes);
        const counts = [kept, emptied, updated].every((n) => typeof n === 'number' && Number.isSafeInteger(n) && n >= 0);
        if (!counts) expect(reasons.length).toBeGreaterThan(0);
      }),
    );
  });
});

describe('the attribute guard after a late approval', () => {
  it('asks again only for an attribute (or the update share) the approved export was not held for', () => {
    const changes = (lost: Record<string, number>, updated?: number): AttributeChanges => ({
      against: 'live-list',
      kept: 100,
      lost: Object.fromEntries(Object.entries(lost).map(([k, n]) => [k, { emptied: n, garbled: 0 }])),
      ...(updated === undefined ? {} : { updated }),
    });
    const guard = { ...limits(5), maxUpdatePercent: 20 };
    expect(attributeReasonsAfterHold(guard, changes({ firstname: 50 }, 60), changes({ firstname: 40 }, 30))).toEqual([]);
    const again = attributeReasonsAfterHold(guard, changes({ firstname: 50, city: 9 }, 60), changes({ firstname: 40 }));
    expect(again).toEqual([
      expect.stringMatching(/^attribute city lost its value for 9\.0% .*, in the re-export after a late approval$/),
      expect.stringMatching(
        /^the reconcile would update the values of 60\.0% .*\(60 of 100; limit 20%\), in the re-export after a late approval$/,
      ),
    ]);
  });
});

describe('the attribute guard against the live list (strategy reconcile)', () => {
  const mapping = { first_name: 'firstname', salutation: 'salutation' };
  const mapped = ['firstname', 'salutation'];
  const fields = planFields({ idField: 'email', emailField: 'email' }, mapping);
  const recipient = (recipientId: string, attributes: Record<string, string>): Recipient => ({
    recipientId,
    email: recipientId,
    optInId: '11',
    description: 'd',
    mediaType: 'email',
    entityType: 'contact',
    entityId: recipientId,
    attributes,
  });
  const cell = fc.constantFrom<string | null>(...USABLE_VALUES, ...GARBLED_VALUES, '', ' ', null);

  it('counts kept, updated and lost values of every recipient on both sides, and holds exactly over the limits', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uniqueArray(fc.record({ id, cells: fc.tuple(cell, cell) }), { selector: (r) => r.id, maxLength: 25 }),
        fc.uniqueArray(fc.record({ id, cells: fc.tuple(cell, cell) }), { selector: (r) => r.id, maxLength: 25 }),
        fc.integer({ min: 0, max: 100 }),
        fc.integer({ min: 0, max: 100 }),
        async (liveRows, desiredRows, blanked, updates) => {
          const live = createLiveIndex();
          try {
            const liveOf = new Map(liveRows.map((r) => [r.id, r.cells]));
            for (const r of liveRows) live.put(r.id, fields.desiredValues(recipient(r.id, {})).slice(0, 6).concat(r.cells));
            const desired = desiredRows.map((r) => recipient(r.id, attributesOf({ firstname: r.cells[0], salutation: r.cells[1] })));
            const tally = liveAttributeTally(fields, mapping);
            const sink: ReconcileSink = { add: async () => {}, update: async () => {}, unchanged: async () => {}, remove: async () => {} };
            await classifyAgainstLive({
              names: fields.names,
              desiredValues: fields.desiredValues,
              live,
              desired,
              sink,
              observeKept: tally.observe,
            });
            const changes = tally.tally.result();
            // The model: a live value counts as had when it is one of the usable values.
            const kept = desiredRows.filter((r) => liveOf.has(r.id));
            const updated = kept.filter((r) => r.cells.some((c, i) => (c ?? '') !== (liveOf.get(r.id)![i] ?? ''))).length;
            const lost: AttributeChanges['lost'] = {};
            mapped.forEach((name, i) => {
              let emptied = 0;
              let garbled = 0;
              for (const r of kept) {
                if (!USABLE_VALUES.includes(liveOf.get(r.id)![i] as string)) continue;
                const now = r.cells[i] ?? null;
                if (now === null || now.trim() === '') emptied += 1;
                else if (GARBLED_VALUES.includes(now)) garbled += 1;
              }
              if (emptied + garbled > 0) lost[name] = { emptied, garbled };
            });
            expect(changes).toEqual({ against: 'live-list', kept: kept.length, lost, updated });
            const guard = { ...limits(blanked), maxUpdatePercent: updates };
            const reasons = attributeReasons(guard, changes);
            const over = mapped.filter((n) => lost[n] && (lost[n].emptied + lost[n].garbled) * 100 > blanked * kept.length);
            const updateOver = updated > 0 && updated * 100 > updates * kept.length;
            expect(reasons).toHaveLength(over.length + (updateOver ? 1 : 0));
            if (updateOver) expect(reasons.at(-1)).toContain(`(${updated} of ${kept.length}; limit ${updates}%)`);
            for (const reason of reasons) for (const value of PRIVATE) expect(reason).not.toContain(value);
          } finally {
            live.close();
          }
        },
      ),
      { numRuns: 120 },
    );
  });
});

describe('the attribute rules on a small list (guard.minAttributeChanges)', () => {
  // A share over its limit holds only when it concerns at least minAttributeChanges recipients: one
  // changed city of four is 25% of a tiny list, not a night of emptied names.
  const counts = fc.record({
    kept: fc.integer({ min: 0, max: 200 }),
    emptied: fc.nat(200),
    garbled: fc.nat(200),
    updated: fc.nat(200),
  });
  it('holds exactly when the share is over its limit and at least the minimum is concerned', () => {
    fc.assert(
      fc.property(counts, fc.nat(100), fc.nat(100), fc.nat(30), (c, blanked, updates, minimum) => {
        fc.pre(c.emptied + c.garbled <= c.kept && c.updated <= c.kept);
        const changes: AttributeChanges = {
          against: 'live-list',
          kept: c.kept,
          lost: { firstname: { emptied: c.emptied, garbled: c.garbled } },
          updated: c.updated,
        };
        const guard = { ...limits(blanked), maxUpdatePercent: updates, minAttributeChanges: minimum };
        const reasons = attributeReasons(guard, changes);
        const lost = c.emptied + c.garbled;
        const lostHeld = lost > 0 && lost >= minimum && lost * 100 > blanked * c.kept;
        const updateHeld = c.updated > 0 && c.updated >= minimum && c.updated * 100 > updates * c.kept;
        expect(reasons.some((r) => r.startsWith('attribute firstname lost'))).toBe(lostHeld);
        expect(reasons.some((r) => r.startsWith('the reconcile would update'))).toBe(updateHeld);
        expect(reasons).toHaveLength(Number(lostHeld) + Number(updateHeld));
      }),
      { numRuns: 500 },
    );
  });

  it('lets one changed value of four through by default and holds a night of emptied names', () => {
    const defaults = { ...limits(5), maxUpdatePercent: 20, minAttributeChanges: 10 };
    const small: AttributeChanges = { against: 'live-list', kept: 4, lost: { city: { emptied: 1, garbled: 0 } }, updated: 1 };
    expect(attributeReasons(defaults, small)).toEqual([]);
    const night: AttributeChanges = { against: 'last-good-run', kept: 34, lost: { firstname: { emptied: 32, garbled: 0 } } };
    expect(attributeReasons(defaults, night)).toHaveLength(1);
  });
});
