import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { FEEDBACK_COLUMNS } from '../../../src/feedback/feedback-columns';
import { createStateStore } from '../../../src/store';
import { importDroppedFolder, recordingCrm } from '../../helpers/feedback-harness';

// A NUL byte past a dropped file's start is damage (a crashed writer's zeros, a stray byte), not
// another encoding: the header is ASCII, so UTF-16 and UTF-32 are told at the start (and still
// refused, dropped-file-encodings.test.ts). Such a file was read row by row before cb44860; since,
// a single NUL quarantined the whole file and no opt-out of an unsubscribe file reached the
// suppression ledger. Now its rows are applied as usual (the row holding a NUL reads as its id
// without it, or is rejected) and the file is set aside in quarantine/ for review, naming the NUL.

const NOW = Date.parse('2026-11-30T06:00:00.000Z');
const HEADER = FEEDBACK_COLUMNS.join(',');
const BREAKS = ['\n', '\r\n', '\r'] as const;

const aFile = fc.record({
  kind: fc.constantFrom('unsubscribes', 'bounces'),
  rows: fc.uniqueArray(fc.stringMatching(/^sent-[a-z0-9]{1,6}@x\.test$/), { minLength: 1, maxLength: 8 }),
  lineBreak: fc.constantFrom(...BREAKS),
  // Rows damaged by a NUL somewhere in their text (by index, taken modulo the rows), and where in it.
  damaged: fc.array(fc.tuple(fc.nat(), fc.nat()), { maxLength: 3 }),
  padding: fc.nat(600),
});

describe('a dropped file with a stray NUL byte', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cs-nul-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('is applied, every undamaged row reaching the ledger, then set aside for review naming the NUL', async () => {
    await fc.assert(
      fc.asyncProperty(aFile, async ({ kind, rows, lineBreak, damaged, padding }) => {
        if (damaged.length === 0 && padding === 0) return; // no NUL: the ordinary import
        const lines = rows.map((id) => `${id},4711,2026-11-29T10:15:00Z,0,${kind === 'bounces' ? 'hardbounce' : ''}`);
        const hit = new Set<number>();
        for (const [row, at] of damaged) {
          const i = row % lines.length;
          hit.add(i);
          const line = lines[i]!;
          const cut = at % (line.length + 1);
          lines[i] = `${line.slice(0, cut)}\u0000${line.slice(cut)}`;
        }
        // A file whose every row is damaged is judged by its rows (no time in any row: quarantined, nothing to apply).
        if (hit.size === rows.length) return;
        const text = [HEADER, ...lines].map((l) => l + lineBreak).join('');
        const here = mkdtempSync(join(dir, 'i-'));
        const folder = join(here, 'drop');
        mkdirSync(folder, { recursive: true });
        const name = `${kind}-1.csv`;
        writeFileSync(join(folder, name), Buffer.concat([Buffer.from(text, 'utf8'), Buffer.alloc(padding)]));
        const store = await createStateStore({ kind: 'sqlite', file: ':memory:' });
        try {
          const result = await importDroppedFolder({
            folder,
            store,
            crm: recordingCrm(),
            runDir: join(here, 'run'),
            runId: 'r1',
            nowMs: NOW,
          });
          expect(result.dropped.quarantined).toEqual([
            {
              name,
              reason: expect.stringMatching(
                /^applied, then set aside for review: the file holds a NUL byte at line \d+ \(byte offset \d+\)/,
              ),
            },
          ]);
          // Names lines and bytes, never a value of the file.
          for (const id of rows) expect(result.dropped.quarantined[0]!.reason).not.toContain(id);
          const ledgered = await store.suppressions.recipientKeys('acme', {
            kind: kind === 'bounces' ? 'bounce' : 'unsubscribe',
            limit: 100,
          });
          for (const [i, id] of rows.entries()) if (!hit.has(i)) expect(ledgered).toContain(id);
          expect(readdirSync(join(folder, 'quarantine')).sort()).toEqual([name, `${name}.reason.txt`]);
          expect(existsSync(join(folder, name))).toBe(false);
          // Applied once: the same bytes dropped again are skipped as processed before.
          writeFileSync(join(folder, name), Buffer.concat([Buffer.from(text, 'utf8'), Buffer.alloc(padding)]));
          const again = await importDroppedFolder({
            folder,
            store,
            crm: recordingCrm(),
            runDir: join(here, 'run2'),
            runId: 'r2',
            nowMs: NOW,
          });
          expect(again.dropped.duplicates).toEqual([name]);
        } finally {
          await store.close();
        }
      }),
      { numRuns: 40 },
    );
  });
});
