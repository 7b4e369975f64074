import fc from 'fast-check';
import { OptimizelyArgumentError } from '../../../src/errors/optimizely-argument-error';
import { FAULT_TEXTS } from '../../../src/optimizely/api/fault-texts';
import { findOperation, SOAP_NAMESPACE } from '../../../src/optimizely/api/surface';
import type { OptimizelyPort } from '../../../src/optimizely/client/optimizely-port';
import { writeRequest } from '../../../src/optimizely/client/codec/request-writer';
import { planFields } from '../../../src/plan/plan-fields';
import { updateChangedBatch } from '../../../src/reconcile/update-changed';
import { createStateStore } from '../../../src/store';
import type { SnapshotRow } from '../../../src/store/types';
import { requestBytes } from '../../../src/sync/request-bound';
import { newsletterRow } from '../../helpers/refill-fixtures';

// A reconcile's changed recipients go to setAttributesInBatch, 1000 a batch, with no size bound of
// their own: values as long as a raised field limit, or full of markup (`&` is written as five
// bytes), made one request larger than a server reads, refused as a whole, so the reconcile failed
// every day. Here a fake server refuses any call whose real request (the client's own writer, names
// repeated per recipient as on the wire) is over the bound.

const operation = findOperation('Recipient', 'setAttributesInBatch')!;
const MAX_BYTES = 256 * 1024;
const FIELDS = planFields({ idField: 'email', emailField: 'email' }, { first_name: 'firstname', city: 'city' });

// Long values up to 9,000 characters: a recipient holds two, and the bound's upper estimate (five
// bytes per UTF-16 unit, `😀` is two) of two 9,000-emoji values plus the call's overhead is ~247 KB,
// under MAX_BYTES, so every recipient fits one call alone and the property is about the split. With
// 12,000 a recipient's estimate passed the bound (a recipient over it alone fails the batch by design)
// and the property failed on about one seed in forty.
const value = fc.oneof(
  { weight: 80, arbitrary: fc.string({ maxLength: 12 }) },
  {
    weight: 20,
    arbitrary: fc.tuple(fc.constantFrom('&', 'x', 'ü', '😀', '<'), fc.integer({ min: 100, max: 9_000 })).map(([c, n]) => c.repeat(n)),
  },
);

function boundedServer(max: number) {
  const sizes: number[] = [];
  const updated: string[] = [];
  const port = {
    recipient: {
      setAttributesInBatch: async (call: {
        listId: number;
        recipientIds: string[];
        attributeNames: string[];
        attributeValues: (string | null)[][];
      }) => {
        const names = call.recipientIds.map(() => call.attributeNames);
        const args = ['sid', call.listId, call.recipientIds, names, call.attributeValues];
        const bytes = Buffer.byteLength(writeRequest({ service: 'Recipient', namespace: SOAP_NAMESPACE('Recipient'), operation, args }));
        if (bytes > max)
          throw new OptimizelyArgumentError(`${FAULT_TEXTS.malformedRequest}: body over the limit`, {
            service: 'Recipient',
            operation: 'setAttributesInBatch',
          });
        sizes.push(bytes);
        updated.push(...call.recipientIds);
      },
    },
  } as unknown as OptimizelyPort;
  return { port, sizes, updated };
}

describe('updateChangedBatch and the size of one setAttributesInBatch request', () => {
  it('updates every changed recipient in requests within the bound, and ledgers each once', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(value, value), { minLength: 1, maxLength: 80, size: 'max' }), async (values) => {
        const rows: SnapshotRow[] = values.map(([firstname, city], i) => ({
          ...newsletterRow(i, `p${i}@example.test`),
          attributes: { firstname, city },
        }));
        const store = await createStateStore({ kind: 'sqlite', file: ':memory:' });
        try {
          const server = boundedServer(MAX_BYTES);
          const input = { optimizely: server.port, store, runId: 'run-1', listKey: 'newsletter', listId: 100, fields: FIELDS };
          const counts = await updateChangedBatch({ ...input, maxRequestBytes: MAX_BYTES }, rows);
          expect(counts).toEqual({ updated: rows.length });
          expect(server.updated).toEqual(rows.map((r) => r.recipientId));
          for (const bytes of server.sizes) expect(bytes).toBeLessThanOrEqual(MAX_BYTES);
          expect(await store.ledger.count('run-1', 'newsletter')).toMatchObject({ kept: { updated: rows.length } });
        } finally {
          await store.close();
        }
      }),
      { numRuns: 40 },
    );
  });

  it('refuses a single recipient over the bound by name of the call, before anything is sent', async () => {
    const store = await createStateStore({ kind: 'sqlite', file: ':memory:' });
    try {
      const server = boundedServer(MAX_BYTES);
      const huge = { ...newsletterRow(1, 'p1@example.test'), attributes: { firstname: '&'.repeat(60_000) } };
      expect(requestBytes(huge)).toBeGreaterThan(MAX_BYTES);
      const input = { optimizely: server.port, store, runId: 'run-1', listKey: 'newsletter', listId: 100, fields: FIELDS };
      await expect(
        updateChangedBatch({ ...input, maxRequestBytes: MAX_BYTES }, [newsletterRow(0, 'p0@example.test'), huge]),
      ).rejects.toMatchObject({
        operation: 'setAttributesInBatch',
        message: expect.stringMatching(/attributeValues\[1\]/),
      });
      expect(server.updated).toEqual([]);
    } finally {
      await store.close();
    }
  });
});
