import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { FeedbackFileUnreadableError } from '../../../src/errors/feedback-file-unreadable-error';
import { FEEDBACK_COLUMNS } from '../../../src/feedback/feedback-columns';
import { inspectFeedbackFile, readFeedbackFile } from '../../../src/feedback/feedback-file';
import { createStateStore } from '../../../src/store';
import { importDroppedFolder, recordingCrm } from '../../helpers/feedback-harness';

// A dropped file in another encoding was refused as "the file is not UTF-8" (a UTF-16 file with a
// byte order mark), or not refused at all: UTF-16 or UTF-32 of ASCII text without a mark is valid
// UTF-8 with NUL bytes in it, and was refused for its header, with no word of the encoding. Now the
// reason names the encoding found (by its byte order mark, or by where its NUL bytes are) or the byte
// that is not UTF-8 (with its line), and what is expected. Line endings of every kind, mixed within
// one file, and a single UTF-8 byte order mark are read as documented: every row read as written.

const NOW = Date.parse('2026-11-30T06:00:00.000Z');
const HEADER = FEEDBACK_COLUMNS.join(',');

const aRow = fc.record({
  id: fc.stringMatching(/^sent-[a-z0-9]{1,6}@x\.test$/),
  list: fc.constantFrom('0', '7', '8'),
  // Letters a Latin-1 or UTF-16 file writes differently from UTF-8.
  category: fc.constantFrom('', 'hardbounce', 'Jürgen', 'café', 'señal', 'Straße'),
});
type Row = typeof aRow extends fc.Arbitrary<infer T> ? T : never;
const BREAKS = ['\n', '\r\n', '\r'] as const;

/** The file's text: a header and rows, each line ended by any of the three line breaks (mixed). */
const aText = fc
  .tuple(fc.array(aRow, { minLength: 1, maxLength: 8 }), fc.array(fc.constantFrom(...BREAKS), { minLength: 9, maxLength: 9 }))
  .map(([rows, breaks]) => ({
    rows,
    text: [HEADER, ...rows.map((r) => `${r.id},4711,2026-11-29T10:15:00Z,${r.list},${r.category}`)]
      .map((line, i) => line + breaks[i]!)
      .join(''),
  }));

const utf16be = (text: string) => {
  const le = Buffer.from(text, 'utf16le');
  for (let i = 0; i + 1 < le.length; i += 2) [le[i], le[i + 1]] = [le[i + 1]!, le[i]!];
  return le;
};
const utf32 = (text: string, little: boolean) => {
  const points = [...text].map((c) => c.codePointAt(0)!);
  const out = Buffer.alloc(points.length * 4);
  points.forEach((p, i) => (little ? out.writeUInt32LE(p, i * 4) : out.writeUInt32BE(p, i * 4)));
  return out;
};

/** How the text is written, and what the import must say of it (undefined: read as UTF-8). */
const ENCODINGS: Array<{ name: string; bytes: (text: string) => Buffer; reason?: RegExp }> = [
  { name: 'UTF-8', bytes: (t) => Buffer.from(t, 'utf8') },
  { name: 'UTF-8 with BOM', bytes: (t) => Buffer.from(`\uFEFF${t}`, 'utf8') },
  { name: 'UTF-8, two BOMs', bytes: (t) => Buffer.from(`\uFEFF\uFEFF${t}`, 'utf8'), reason: /two UTF-8 byte order marks/ },
  { name: 'UTF-16 LE, BOM', bytes: (t) => Buffer.from(`\uFEFF${t}`, 'utf16le'), reason: /is UTF-16 little-endian .*FF FE/ },
  { name: 'UTF-16 BE, BOM', bytes: (t) => utf16be(`\uFEFF${t}`), reason: /is UTF-16 big-endian .*FE FF/ },
  { name: 'UTF-16 LE', bytes: (t) => Buffer.from(t, 'utf16le'), reason: /looks like UTF-16 little-endian without a byte order mark/ },
  { name: 'UTF-16 BE', bytes: (t) => utf16be(t), reason: /looks like UTF-16 big-endian without a byte order mark/ },
  { name: 'UTF-32 LE, BOM', bytes: (t) => utf32(`\uFEFF${t}`, true), reason: /is UTF-32 little-endian .*FF FE 00 00/ },
  { name: 'UTF-32 BE, BOM', bytes: (t) => utf32(`\uFEFF${t}`, false), reason: /is UTF-32 big-endian .*00 00 FE FF/ },
  { name: 'UTF-32 LE', bytes: (t) => utf32(t, true), reason: /looks like UTF-32 little-endian/ },
  { name: 'UTF-32 BE', bytes: (t) => utf32(t, false), reason: /looks like UTF-32 big-endian/ },
  { name: 'UTF-7, BOM', bytes: (t) => Buffer.concat([Buffer.from('+/v8'), Buffer.from(t, 'latin1')]), reason: /is UTF-7 / },
  { name: 'GB18030, BOM', bytes: (t) => Buffer.concat([Buffer.from([0x84, 0x31, 0x95, 0x33]), Buffer.from(t)]), reason: /is GB18030 / },
];

/** The same file in Latin-1: refused, naming the first byte that is not UTF-8, its line and the likely code page. */
const latin1Reason = (rows: readonly Row[]): RegExp | undefined => {
  const at = rows.findIndex((r) => [...r.category].some((c) => c.charCodeAt(0) > 0x7f));
  // The header is line 1; each row one line, whichever line break ends it.
  return at < 0 ? undefined : new RegExp(`not UTF-8: byte 0x[0-9A-F]{2} at line ${at + 2} .*Windows-1252 or ISO-8859-1.*expected UTF-8`);
};

describe('a dropped file in another encoding, or with other line endings', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cs-encodings-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  let n = 0;

  it('is read row for row when UTF-8 (any line endings, mixed, one BOM); else refused naming the encoding and UTF-8', async () => {
    await fc.assert(
      fc.asyncProperty(aText, fc.nat(ENCODINGS.length), async ({ rows, text }, pick) => {
        const file = join(dir, `f-${++n}.csv`);
        const latin = pick === ENCODINGS.length;
        const encoding = ENCODINGS[pick];
        writeFileSync(file, latin ? Buffer.from(text, 'latin1') : encoding!.bytes(text));
        const expected = latin ? latin1Reason(rows) : encoding!.reason;
        if (expected === undefined) {
          const read = [];
          for await (const line of readFeedbackFile(file, { nowMs: NOW, kind: 'unsubscribe' })) read.push(line);
          expect(read.map((l) => (l.ok ? [l.row.recipientId, String(l.row.listId), l.row.category] : l.reason))).toEqual(
            rows.map((r) => [r.id, r.list, r.category]),
          );
        } else {
          const error = await inspectFeedbackFile(file, { nowMs: NOW }).catch((e: unknown) => e);
          expect(error).toBeInstanceOf(FeedbackFileUnreadableError);
          expect((error as FeedbackFileUnreadableError).reason).toMatch(expected);
          expect((error as FeedbackFileUnreadableError).reason).toMatch(/expected UTF-8/);
          // Names bytes and lines, never a value of the file.
          for (const r of rows) expect((error as FeedbackFileUnreadableError).reason).not.toContain(r.id);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('is quarantined with that reason by the import, nothing of it applied or ledgered', async () => {
    await fc.assert(
      fc.asyncProperty(aText, fc.integer({ min: 2, max: ENCODINGS.length - 1 }), async ({ text }, pick) => {
        const here = join(dir, `import-${++n}`);
        const folder = join(here, 'drop');
        mkdirSync(folder, { recursive: true });
        writeFileSync(join(folder, 'unsubscribes-1.csv'), ENCODINGS[pick]!.bytes(text));
        const store = await createStateStore({ kind: 'sqlite', file: ':memory:' });
        const crm = recordingCrm();
        try {
          const result = await importDroppedFolder({ folder, store, crm, runDir: join(here, 'run'), runId: 'r1', nowMs: NOW });
          expect(result.dropped.quarantined).toEqual([
            { name: 'unsubscribes-1.csv', reason: expect.stringMatching(ENCODINGS[pick]!.reason!) },
          ]);
          expect(crm.events).toEqual([]);
          expect(await store.suppressions.recipientKeys('acme', { kind: 'unsubscribe', limit: 10 })).toEqual([]);
          expect(readdirSync(join(folder, 'quarantine')).sort()).toEqual(['unsubscribes-1.csv', 'unsubscribes-1.csv.reason.txt']);
          expect(existsSync(join(folder, 'processed'))).toBe(false);
        } finally {
          await store.close();
        }
      }),
      { numRuns: 40 },
    );
  });
});
