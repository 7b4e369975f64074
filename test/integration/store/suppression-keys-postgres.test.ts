import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { createStateStore, type StateStore } from '../../../src/store';
import { suppressionKey } from '../../../src/validation/suppressions';
import { importDroppedFolder } from '../../helpers/feedback-harness';
import { createTestDatabase, startTestPostgres, type TestPostgres } from '../../helpers/postgres';

// The suppression key is part of the suppressions table's primary key, and PostgreSQL refuses an
// index entry over ~2.7 KB. A dropped feedback file (or a ClosedLoop page) may hold a recipient id of
// any characters up to the cell bound, and compatibility folding can make one longer still (NFKC
// turns U+FDFA into 18 characters): a key over the limit failed the insert, and with it the whole
// import on every retry. Whatever a row's recipient id, the import finishes on PostgreSQL and every
// row's suppression is recorded under the key the export looks up.

const NOW = Date.parse('2026-11-30T06:00:00.000Z');
const HEADER = 'recipientId,mailingId,timestamp,recipientListId,category';

const wide = fc.constantFrom('\uFDFA', '😀', 'ß', 'İ', 'a', '\u3000', '\u0000', '"', 'ǅ');
const aRecipientId = fc.oneof(
  fc.array(wide, { minLength: 200, maxLength: 1024 }).map((chars) => chars.join('').slice(0, 1024)),
  fc.string({ unit: 'binary', minLength: 1, maxLength: 60 }),
);

describe('suppression keys on PostgreSQL', () => {
  let server: TestPostgres | undefined;
  let store: StateStore;
  let dir: string;
  beforeAll(async () => {
    server = await startTestPostgres();
    store = await createStateStore({ kind: 'postgres', url: await createTestDatabase(server.url) });
    dir = mkdtempSync(join(tmpdir(), 'cs-pg-keys-'));
  }, 120_000);
  afterAll(async () => {
    await store?.close();
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('records every valid row of a dropped file, whatever its recipient id, under the key the export looks up', async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(aRecipientId, { minLength: 1, maxLength: 4 }), async (ids) => {
        const folder = join(dir, `drop-${++run}`);
        mkdirSync(folder);
        const quoted = (id: string) => `"${id.replaceAll('\u0000', '').replace(/"/g, '""')}"`;
        const usable = ids.map((id) => id.replaceAll('\u0000', '')).filter((id) => id.trim() !== '');
        writeFileSync(
          join(folder, 'unsubscribes-x.csv'),
          [HEADER, ...usable.map((id) => `${quoted(id)},1,2026-11-29T10:00:00Z,7,`)].join('\n') + '\n',
        );
        const result = await importDroppedFolder({ folder, store, runDir: join(dir, 'runs', `r${run}`), runId: `r${run}`, nowMs: NOW });
        // The store is shared by every draw, so a file whose bytes an earlier draw already dropped (a
        // header-only file, or ids drawn again) is recognised as seen and moved as a duplicate.
        expect([...result.dropped.processed, ...result.dropped.duplicates]).toEqual(['unsubscribes-x.csv']);
        for (const id of usable) {
          const key = suppressionKey(id);
          expect(Buffer.byteLength(key)).toBeLessThan(2000);
          expect((await store.suppressions.events('acme', key)).length).toBeGreaterThan(0);
        }
      }),
      { numRuns: 25 },
    );
  }, 240_000);
});
