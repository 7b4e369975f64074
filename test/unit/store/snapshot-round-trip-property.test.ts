import fc from 'fast-check';
import { isXmlText } from '../../../src/optimizely/client/codec/xml-escape';
import { createStateStore } from '../../../src/store';
import type { SnapshotRow } from '../../../src/store/types';
import { hostileText } from '../../helpers/hostile-text';

// What the export accepted is what the refill sends: any sendable text (the only kind a snapshot
// gets) comes back from the snapshot store unchanged, in order, and its checksum verifies.

const sendable = hostileText.filter(isXmlText);
const snapshotRow: fc.Arbitrary<SnapshotRow> = fc.record({
  recipientId: sendable.filter((s) => s.length > 0),
  email: sendable,
  optInId: sendable,
  description: sendable,
  mediaType: sendable,
  entityType: sendable,
  entityId: sendable,
  attributes: fc.dictionary(fc.constantFrom('firstname', 'city', 'x-field', '__proto__', 'constructor'), sendable, { maxKeys: 3 }),
});

describe('snapshot store (SQLite)', () => {
  it('reads back every sendable row exactly as written', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(snapshotRow, { maxLength: 30 }), async (rows) => {
        const store = await createStateStore({ kind: 'sqlite', file: ':memory:' });
        try {
          const summary = await store.snapshots.write({ client: 'demo', listKey: 'newsletter', runId: 'run-1' }, rows);
          const back: SnapshotRow[] = [];
          for await (const batch of store.snapshots.batches(summary.snapshotRef)) back.push(...batch.rows);
          expect(back).toEqual(rows);
          await store.snapshots.verify(summary.snapshotRef, { count: summary.count, checksum: summary.checksum });
        } finally {
          await store.close();
        }
      }),
      { numRuns: 150 },
    );
  });
});
