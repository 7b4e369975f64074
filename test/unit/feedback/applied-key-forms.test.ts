import fc from 'fast-check';
import { appliedEventKey, appliedKeyForms, reportedEventKey } from '../../../src/feedback/applied-event-key';
import { digest } from '../../../src/feedback/event-digest';
import { suppressionKey } from '../../../src/validation/suppressions';
import { aVariant, anAddress } from '../../helpers/address-variants';
import { aSentIdSet } from '../../helpers/fold-alike-people';

// appliedKeyForms folds and hashes each distinct id once. The reference is the former spelling, which
// folded and hashed the reported and the sent id separately even when they were one id: the keys
// looked up (and their order) must be exactly the same, or an event applied before could go again.
function formerAppliedKeyForms(
  kind: 'bounce' | 'unsubscribe',
  event: { recipientId: string; listId: number; occurredAt: string },
  sentId: string | undefined,
): string[] {
  const formerKey = (recipient: string) => digest('sha256', `${kind}\n${recipient}\n${event.listId}\n${event.occurredAt}`, 'hex');
  const applied =
    sentId === undefined
      ? formerKey(suppressionKey(event.recipientId))
      : digest('sha256', `sent\n${kind}\n${sentId}\n${event.listId}\n${event.occurredAt}`, 'hex');
  const ids = sentId === undefined ? [event.recipientId] : [event.recipientId, sentId];
  const former = ids.flatMap((id) => [suppressionKey(id), id]).map(formerKey);
  return [...new Set([applied, ...former])];
}

/** A reported id and what it resolved to: itself, another form of it, an id that folds alike, or nothing. */
const reportedAndSent = fc.oneof(
  anAddress.chain((address) => fc.tuple(fc.oneof(fc.constant(address), aVariant(address)), fc.constantFrom(address, undefined))),
  anAddress.chain((address) => aVariant(address).map((variant) => [variant, variant] as const)),
  aSentIdSet.chain((ids) => fc.tuple(fc.constantFrom(...ids), fc.constantFrom(...ids, undefined))),
  fc.tuple(fc.string(), fc.option(fc.string(), { nil: undefined })),
);

describe('appliedKeyForms', () => {
  it('gives exactly the keys of the former spelling, in the same order, for any reported and sent ids', () => {
    fc.assert(
      fc.property(
        reportedAndSent,
        fc.constantFrom('bounce' as const, 'unsubscribe' as const),
        fc.nat(3),
        fc.constantFrom('2026-11-30T10:00:00Z', '2026-11-30T10:00:01Z'),
        ([recipientId, sentId], kind, listId, occurredAt) => {
          const event = { recipientId, listId, occurredAt };
          expect(appliedKeyForms(kind, event, sentId)).toEqual(formerAppliedKeyForms(kind, event, sentId));
        },
      ),
      { numRuns: 500 },
    );
  });

  it("gives the same keys when handed what was derived already (response ingestion: the folded id, its key, today's key)", () => {
    fc.assert(
      fc.property(
        reportedAndSent,
        fc.constantFrom('bounce' as const, 'unsubscribe' as const),
        fc.nat(3),
        fc.constantFrom('2026-11-30T10:00:00Z', '2026-11-30T10:00:01Z'),
        ([recipientId, sentId], kind, listId, occurredAt) => {
          const event = { recipientId, listId, occurredAt };
          const folded = suppressionKey(recipientId);
          const derived = { folded, reportedKey: reportedEventKey(kind, event, folded), appliedKey: appliedEventKey(kind, event, sentId) };
          expect(appliedKeyForms(kind, event, sentId, derived)).toEqual(formerAppliedKeyForms(kind, event, sentId));
        },
      ),
      { numRuns: 500 },
    );
  });
});
