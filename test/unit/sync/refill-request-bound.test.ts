import fc from 'fast-check';
import { OptimizelyArgumentError } from '../../../src/errors/optimizely-argument-error';
import { FAULT_TEXTS } from '../../../src/optimizely/api/fault-texts';
import { findOperation, SOAP_NAMESPACE } from '../../../src/optimizely/api/surface';
import { writeRequest } from '../../../src/optimizely/client/codec/request-writer';
import type { SnapshotRow } from '../../../src/store/types';
import { refillChunk } from '../../../src/sync/refill-chunk';
import { requestBytes } from '../../../src/sync/request-bound';
import { REFILL_LIST, newsletterRow, refillChunkInput, refillSetup } from '../../helpers/refill-fixtures';

// A batch holds at most 1000 recipients but its request has no size bound of its own: values as long
// as a raised field limit, or full of markup (`&` is written as five bytes), make one request larger
// than a server reads. Such a server (like the simulator over its body limit) refuses the call as a
// whole, for no recipient; before the bound the batch, and the list sync, failed after the clear.
// Here a fake server refuses any addAll3 whose real request (the client's own writer) is over the bound.

const addAll3 = findOperation('Recipient', 'addAll3')!;
const MAX_BYTES = 256 * 1024;

const value = fc.oneof(
  { weight: 80, arbitrary: fc.string({ maxLength: 12 }) },
  {
    weight: 20,
    arbitrary: fc.tuple(fc.constantFrom('&', 'x', 'ü', '😀', '<'), fc.integer({ min: 100, max: 12_000 })).map(([c, n]) => c.repeat(n)),
  },
  // Now and then one recipient alone over the bound: refused on its own, the others sent.
  { weight: 1, arbitrary: fc.constant('&'.repeat(60_000)) },
);

describe('refillChunk and the size of one addAll3 request', () => {
  it('sends every recipient in requests within the bound, and refuses only one that is over it alone', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(value, { minLength: 1, maxLength: 60 }), async (names) => {
        const ids = names.map((_, i) => `p${i}@example.test`);
        const rows: SnapshotRow[] = names.map((firstname, i) => ({ ...newsletterRow(i, ids[i] as string), attributes: { firstname } }));
        const { store, optimizely, snapshotRef } = await refillSetup(rows, 'run-1');
        try {
          const sizes: number[] = [];
          const add = optimizely.recipient.addAll3;
          optimizely.recipient.addAll3 = async (call, options) => {
            const args = [
              'sid',
              call.listId,
              call.optinProcessId,
              call.recipientIds,
              call.addresses,
              call.attributeNames,
              call.attributeValues,
            ];
            const bytes = Buffer.byteLength(
              writeRequest({ service: 'Recipient', namespace: SOAP_NAMESPACE('Recipient'), operation: addAll3, args }),
            );
            if (bytes > MAX_BYTES)
              throw new OptimizelyArgumentError(`${FAULT_TEXTS.malformedRequest}: body over the limit`, {
                service: 'Recipient',
                operation: 'addAll3',
              });
            sizes.push(bytes);
            return add(call, options);
          };
          const acked = await refillChunk(refillChunkInput({ optimizely, store, snapshotRef, maxRequestBytes: MAX_BYTES }));
          const alone = ids.filter((_, i) => requestBytes(rows[i] as SnapshotRow) + 64 * 1024 > MAX_BYTES);
          expect(acked.sent + (acked.rejected ?? 0)).toBe(rows.length);
          expect(acked.rejected ?? 0).toBe(alone.length);
          const listed = [...(optimizely.lists.get(REFILL_LIST.listId)?.recipients.keys() ?? [])];
          expect(new Set(listed)).toEqual(new Set(ids.filter((id) => !alone.includes(id))));
          for (const bytes of sizes) expect(bytes).toBeLessThanOrEqual(MAX_BYTES);
        } finally {
          await store.close();
        }
      }),
      { numRuns: 40 },
    );
  });
});
