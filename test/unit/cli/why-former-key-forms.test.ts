import fc from 'fast-check';
import { suppressionEventsFor } from '../../../src/cli/commands/why-suppressions';
import { createStateStore, type StateStore } from '../../../src/store';
import type { SuppressionEvent } from '../../../src/store/suppression-types';
import type { Recipient } from '../../../src/validation/recipient';
import { suppressionLookup } from '../../../src/validation/suppressions';
import { aVariant, anAddress } from '../../helpers/address-variants';

// `why <address>` looked the suppression ledger up under today's key only. An event stored under a
// former key form (recorded before the Unicode folding, say) still suppresses the address at export
// (storedKeyForms) but was not listed. For arbitrary stored key forms, `why` lists an event iff the
// export's suppression look-up suppresses the address on it.

const CLIENT = 'demo';
const NOW = Date.parse('2026-11-30T06:00:00Z');

/** A stored key: today's form of an address, a variant as a former key function may have kept it, or another address's. */
const storedKeyOf = (addresses: readonly string[]) =>
  fc.constantFrom(...addresses).chain((address) =>
    fc.oneof(
      fc.constant(address),
      aVariant(address),
      aVariant(address).map((v) => v.trim().toLowerCase()),
      anAddress,
    ),
  );

const anEvent = (addresses: readonly string[]) =>
  fc.record({
    client: fc.constant(CLIENT),
    kind: fc.constantFrom<SuppressionEvent['kind']>('unsubscribe', 'bounce'),
    recipientKey: storedKeyOf(addresses).filter((k) => k.trim().length > 0),
    listId: fc.constantFrom(0, 100, 200),
    occurredAt: fc.integer({ min: 0, max: 1000 }).map((m) => new Date(NOW - m * 60_000).toISOString()),
    source: fc.constantFrom<SuppressionEvent['source']>('closed_loop', 'responses'),
  });

/** Whether the export excludes `address` on this event alone (suppressionLookup over it, as forList answers it). */
function exportSuppresses(address: string, event: SuppressionEvent): boolean {
  const lookup = suppressionLookup({
    active: [{ kind: event.kind, recipientKey: event.recipientKey, latestAt: event.occurredAt }],
    allowResubscribe: false,
    now: NOW,
  });
  return lookup({ recipientId: address, email: address } as Recipient, {}) !== undefined;
}

const identity = (e: SuppressionEvent) => `${e.kind}|${e.recipientKey}|${e.listId}|${Date.parse(e.occurredAt)}`;

describe('why lists the suppression events of an address', () => {
  it('lists an event iff the export suppresses the address on it, whatever form its key was stored in', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uniqueArray(anAddress, { minLength: 1, maxLength: 3 }).chain((addresses) =>
          fc.record({
            events: fc.array(anEvent(addresses), { minLength: 1, maxLength: 12 }),
            typed: fc.constantFrom(...addresses).chain((a) => fc.oneof(fc.constant(a), aVariant(a))),
            keysPerPage: fc.integer({ min: 1, max: 4 }),
          }),
        ),
        async ({ events, typed, keysPerPage }) => {
          // Each run on an empty ledger of its own.
          const store = await createStateStore({ kind: 'sqlite', file: ':memory:' });
          try {
            await check(store, { events, typed, keysPerPage });
          } finally {
            await store.close();
          }
        },
      ),
      { numRuns: 200 },
    );
  });
});

async function check(store: StateStore, run: { events: SuppressionEvent[]; typed: string; keysPerPage: number }): Promise<void> {
  const { events, typed, keysPerPage } = run;
  await store.suppressions.record(events);
  const stored = [...new Map(events.map((e) => [identity(e), e])).values()];
  const listed = await suppressionEventsFor(store.suppressions, CLIENT, typed, keysPerPage);
  const expected = stored.filter((e) => exportSuppresses(typed, e));
  expect(listed.map(identity).sort()).toEqual(expected.map(identity).sort());
  // Newest first, as the ledger is shown.
  const times = listed.map((e) => Date.parse(e.occurredAt));
  expect(times).toEqual([...times].sort((a, b) => b - a));
}
