import { createHash } from 'node:crypto';
import { appendFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { FEEDBACK_COLUMNS } from '../../../src/feedback/feedback-columns';
import { createStateStore, type StateStore } from '../../../src/store';
import { importDroppedFolder, recordingCrm } from '../../helpers/feedback-harness';

// A dropped file without a header line (0 bytes, only line breaks, blanks or a byte order mark) was
// read as a file of no rows: recorded processed and moved to processed/. No export of no rows looks
// so (it writes its header): such a file is one still being created, or a transfer that lost its
// bytes, and what the job wrote into it after the move was never read. It is quarantined now, with a
// reason naming the missing header. And a file unreadable only because it is still being written
// (empty yet, or ending inside a quoted cell) was quarantined at once; it is left for the next run
// now, like any copy that changed, which reads it whole.

const NOW = Date.parse('2026-11-30T06:00:00.000Z');
const HEADER = FEEDBACK_COLUMNS.join(',');
const KIND = fc.constantFrom('unsubscribes', 'bounces');

/** Bytes that hold no record: nothing, line breaks, blanks, a UTF-8 byte order mark first. */
const aHeaderless = fc
  .tuple(fc.boolean(), fc.array(fc.constantFrom('\n', '\r\n', '\r', ' ', '\t', ' \n', '\t\r\n'), { maxLength: 6 }))
  .map(([bom, parts]) => `${bom ? '\uFEFF' : ''}${parts.join('')}`);

async function ledgerKeys(store: StateStore): Promise<number> {
  let n = 0;
  for (const kind of ['unsubscribe', 'bounce'] as const) n += (await store.suppressions.recipientKeys('acme', { kind, limit: 100 })).length;
  return n;
}

const inside = (folder: string, sub: string) => (existsSync(join(folder, sub)) ? readdirSync(join(folder, sub)).sort() : []);

describe('a dropped file without a header line', () => {
  let dir: string;
  let n = 0;
  beforeAll(() => (dir = mkdtempSync(join(tmpdir(), 'cs-no-header-'))));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('is quarantined naming the missing header, nothing applied; with its header (an export of no rows) it is processed', async () => {
    await fc.assert(
      fc.asyncProperty(KIND, aHeaderless, fc.boolean(), async (kind, bytes, withHeader) => {
        const folder = join(dir, `case-${++n}`, 'drop');
        mkdirSync(folder, { recursive: true });
        const file = `${kind}-1.csv`;
        const text = withHeader ? `${HEADER}\n${bytes}` : bytes;
        writeFileSync(join(folder, file), text);
        const store = await createStateStore({ kind: 'sqlite', file: ':memory:' });
        const crm = recordingCrm();
        try {
          const result = await importDroppedFolder({ folder, store, crm, runDir: join(folder, '..', 'run'), runId: 'r1', nowMs: NOW });
          expect({ events: crm.events.length, ledger: await ledgerKeys(store) }).toEqual({ events: 0, ledger: 0 });
          if (withHeader) {
            expect(inside(folder, 'processed')).toEqual([file]);
            expect(result.dropped.quarantined).toEqual([]);
            return;
          }
          expect(inside(folder, 'processed')).toEqual([]);
          expect(inside(folder, 'quarantine')).toEqual([file, `${file}.reason.txt`]);
          expect(result.dropped.quarantined).toEqual([
            { name: file, reason: expect.stringMatching(/^the file holds no header line .*expected recipientId,mailingId,/) },
          ]);
          expect(readFileSync(join(folder, 'quarantine', `${file}.reason.txt`), 'utf8')).toContain(
            `"${file}": the file holds no header line`,
          );
          // Nothing recorded as processed: the same bytes dropped again are judged again, not skipped as seen.
          const checksum = createHash('sha256').update(Buffer.from(text)).digest('hex');
          expect((await store.feedbackIntake.file('acme', checksum))?.status).not.toBe('processed');
        } finally {
          await store.close();
        }
      }),
      { numRuns: 60 },
    );
  });

  it('is left for the next run while it is being created (empty yet, or cut inside a quoted cell): every row applied once, none quarantined', async () => {
    const row = (i: number) => `"sent-${i}@x.test",1,2026-11-29T10:${String(i).padStart(2, '0')}:00Z,7,"hard, bounce"\n`;
    await fc.assert(
      fc.asyncProperty(KIND, fc.integer({ min: 1, max: 6 }), fc.nat(), fc.boolean(), async (kind, rows, at, empty) => {
        const folder = join(dir, `case-${++n}`, 'drop');
        mkdirSync(folder, { recursive: true });
        const text = `${HEADER}\n${Array.from({ length: rows }, (_, i) => row(i)).join('')}`;
        // Where the job is when the folder is read: nothing written yet, or inside a quoted cell.
        const quotes = [...text.matchAll(/"/g)].map((m) => m.index).filter((_, i) => i % 2 === 0);
        const written = empty ? 0 : (quotes[at % quotes.length] as number) + 1 + (at % 3);
        const file = join(folder, `${kind}-1.csv`);
        writeFileSync(file, text.slice(0, written));
        let rest: string | undefined = text.slice(written);
        const store = await createStateStore({ kind: 'sqlite', file: ':memory:' });
        const crm = recordingCrm();
        // The job writes the rest once the copy was taken, before it is read.
        const intake = store.feedbackIntake;
        const finishing = {
          ...intake,
          file: async (c: string, s: string) => (rest !== undefined && appendFileSync(file, rest), (rest = undefined), intake.file(c, s)),
        };
        try {
          for (let night = 1; night <= 3 && existsSync(file); night++)
            await importDroppedFolder({
              folder,
              store,
              crm,
              intake: finishing,
              runDir: join(folder, '..', `n${night}`),
              runId: `n${night}`,
              nowMs: NOW,
            });
          expect(inside(folder, 'quarantine')).toEqual([]);
          expect(inside(folder, 'processed')).toEqual([`${kind}-1.csv`]);
          const ids = crm.events.map((e) => e.recipientId).sort();
          expect(ids).toEqual(Array.from({ length: rows }, (_, i) => `sent-${i}@x.test`).sort());
        } finally {
          await store.close();
        }
      }),
      { numRuns: 40 },
    );
  });
});
