import { isUtf8 } from 'node:buffer';

// A dropped feedback file must be UTF-8 (a leading byte order mark is fine). What else arrives is
// named, so the operator knows what to change at the export job, instead of "not UTF-8" for all:
// - a byte order mark of another encoding (UTF-16, UTF-32, UTF-7, UTF-1, UTF-EBCDIC, SCSU, BOCU-1,
//   GB18030): read as UTF-8, UTF-16's is not even refused (FF FE is two invalid bytes, but a UTF-16
//   file of ASCII letters without a mark is valid UTF-8 with a NUL after each letter);
// - NUL bytes: no text file in UTF-8 holds one; at the start, in every other byte, it is UTF-16
//   without a mark (`r\0e\0` little-endian, `\0r\0e` big-endian), three of four UTF-32 (refused). A NUL
//   later (the header is ASCII, so wide text is told at the start) is damage, such as a block of
//   zeros a crashed writer left: noted, not refused, as the file was before, so the other rows of an
//   unsubscribe file still reach the suppression ledger; the import then sets the file aside for review;
// - a byte that is not UTF-8: named by its value, line and offset, and when it reads as a single-byte
//   code page letter (0xA0-0xFF alone), Windows-1252 or ISO-8859-1 (Latin-1) is said, as a spreadsheet
//   saves "CSV" on Windows;
// - a second UTF-8 byte order mark right after the first (a file concatenated or re-saved): the header
//   would start with an invisible character and be refused as not our columns.
// Reasons name byte values, lines and offsets, never a cell's text.

const EXPECTED = 'expected UTF-8 (a UTF-8 byte order mark is fine): export or save the file as UTF-8 and drop it again';

/** Byte order marks of encodings other than UTF-8, longest first (UTF-32 LE starts with UTF-16 LE's). */
const FOREIGN_MARKS: ReadonlyArray<{ bytes: readonly number[]; encoding: string }> = [
  { bytes: [0xff, 0xfe, 0x00, 0x00], encoding: 'UTF-32 little-endian' },
  { bytes: [0x00, 0x00, 0xfe, 0xff], encoding: 'UTF-32 big-endian' },
  { bytes: [0x84, 0x31, 0x95, 0x33], encoding: 'GB18030' },
  { bytes: [0xdd, 0x73, 0x66, 0x73], encoding: 'UTF-EBCDIC' },
  { bytes: [0x2b, 0x2f, 0x76], encoding: 'UTF-7' },
  { bytes: [0xf7, 0x64, 0x4c], encoding: 'UTF-1' },
  { bytes: [0x0e, 0xfe, 0xff], encoding: 'SCSU' },
  { bytes: [0xfb, 0xee, 0x28], encoding: 'BOCU-1' },
  { bytes: [0xff, 0xfe], encoding: 'UTF-16 little-endian' },
  { bytes: [0xfe, 0xff], encoding: 'UTF-16 big-endian' },
];

const UTF8_MARK = [0xef, 0xbb, 0xbf] as const;
/** How many leading bytes are looked at for a mark (two UTF-8 marks take 6). */
export const ENCODING_PREFIX = 8;

const hex = (bytes: readonly number[]) => bytes.map((b) => b.toString(16).toUpperCase().padStart(2, '0')).join(' ');
const startsWith = (head: Uint8Array, bytes: readonly number[], at = 0) =>
  head.length >= at + bytes.length && bytes.every((b, i) => head[at + i] === b);

/**
 * Why the file's first bytes show it is not UTF-8 text we read, or undefined. `head` holds the first
 * ENCODING_PREFIX bytes (fewer when the file is shorter).
 */
export function foreignEncoding(head: Uint8Array): string | undefined {
  // UTF-7's mark is `+/v` followed by one of 8 9 + /: the printable start of a line otherwise.
  for (const mark of FOREIGN_MARKS) {
    if (!startsWith(head, mark.bytes)) continue;
    if (mark.encoding === 'UTF-7' && ![0x38, 0x39, 0x2b, 0x2f].includes(head[3] ?? -1)) continue;
    return `the file is ${mark.encoding} (it starts with that encoding's byte order mark ${hex(mark.bytes)}): ${EXPECTED}`;
  }
  if (startsWith(head, UTF8_MARK) && startsWith(head, UTF8_MARK, 3))
    return `the file starts with two UTF-8 byte order marks (EF BB BF EF BB BF), so its header would start with an invisible character: expected UTF-8 with one byte order mark at most: export or save the file again and drop it again`;
  const body = startsWith(head, UTF8_MARK) ? head.subarray(3) : head;
  const unmarked = unmarkedWide(body);
  if (unmarked)
    return `the file looks like ${unmarked} without a byte order mark (a NUL byte in every ${unmarked.startsWith('UTF-32') ? 'four' : 'other'} byte): ${EXPECTED}`;
  return undefined;
}

/** UTF-16 or UTF-32 of ASCII text without a mark, told by where its NUL bytes are. */
function unmarkedWide(b: Uint8Array): string | undefined {
  if (b.length < 4) return undefined;
  const nul = (i: number) => b[i] === 0;
  if (nul(1) && nul(2) && nul(3) && !nul(0)) return 'UTF-32 little-endian';
  if (nul(0) && nul(1) && nul(2) && !nul(3)) return 'UTF-32 big-endian';
  if (nul(1) && nul(3) && !nul(0) && !nul(2)) return 'UTF-16 little-endian';
  if (nul(0) && nul(2) && !nul(1) && !nul(3)) return 'UTF-16 big-endian';
  return undefined;
}

/**
 * A streaming UTF-8 check (the well-formed sequences of the Unicode standard, table 3-7) that knows
 * where the first bad byte is: its offset, its line and what it most likely is. A NUL is noted (strayNul).
 */
export class Utf8Check {
  private offset = 0;
  private line = 1;
  private lastCr = false;
  /** Continuation bytes still expected, and the range the next one must lie in. */
  private need = 0;
  private low = 0x80;
  private high = 0xbf;
  /** The lead byte of the sequence in progress and its offset and line. */
  private lead = 0;
  private leadAt = 0;
  private leadLine = 1;

  /** Where the first NUL byte is (line and offset), if any: UTF-8 all the same, but a damaged file. */
  strayNul: string | undefined = undefined;

  /** `native` false: every byte walked in JavaScript (the reference the fast path is tested against). */
  constructor(private readonly native = true) {}

  /** Undefined while every byte so far is UTF-8; else why not (and the check stops there). */
  feed(chunk: Uint8Array): string | undefined {
    let at = 0;
    // The chunk's whole sequences checked natively (some 20 times faster than the walk below, which
    // held a big file's read to ~40 MB/s) and only scanned for line breaks and NUL; a chunk that is
    // not UTF-8 is walked byte by byte from its start to tell where.
    if (this.native && this.need === 0) {
      const whole = wholeSequencesEnd(chunk);
      if (whole > 0 && isUtf8(chunk.subarray(0, whole))) {
        this.skim(chunk, whole);
        at = whole;
      }
    }
    for (; at < chunk.length; at++) {
      const problem = this.step(chunk[at]!);
      if (problem) return problem;
      this.offset += 1;
    }
    return undefined;
  }

  /** Counts the lines of `chunk[0, end)`, known to be whole UTF-8 sequences, and notes a NUL, as step does. */
  private skim(chunk: Uint8Array, end: number): void {
    let { line, lastCr } = this;
    for (let i = 0; i < end; i++) {
      const byte = chunk[i]!;
      if (byte === 0x0a) line += lastCr ? 0 : 1;
      else if (byte === 0x0d) line += 1;
      else if (byte === 0x00 && this.strayNul === undefined) this.strayNul = nulAt(line, this.offset + i);
      lastCr = byte === 0x0d;
    }
    [this.line, this.lastCr] = [line, lastCr];
    this.offset += end;
  }

  /** Why the bytes ended inside a sequence, or undefined. */
  end(): string | undefined {
    return this.need > 0 ? this.bad(this.lead, this.leadAt, this.leadLine, 'ends in the middle of a UTF-8 sequence') : undefined;
  }

  private step(byte: number): string | undefined {
    if (this.need > 0) {
      if (byte < this.low || byte > this.high)
        return this.bad(this.lead, this.leadAt, this.leadLine, 'starts a sequence that is not UTF-8');
      this.need -= 1;
      [this.low, this.high] = [0x80, 0xbf];
      return undefined;
    }
    // A NUL after the first bytes (where UTF-16 and UTF-32 are told) is damage, not another encoding:
    // noted, not refused, so the file's other rows still apply (an unsubscribe file's opt-outs).
    if (byte === 0x00 && this.strayNul === undefined) this.strayNul = nulAt(this.line, this.offset);
    if (byte === 0x0a) this.line += this.lastCr ? 0 : 1;
    else if (byte === 0x0d) this.line += 1;
    this.lastCr = byte === 0x0d;
    if (byte < 0x80) return undefined;
    [this.lead, this.leadAt, this.leadLine] = [byte, this.offset, this.line];
    if (byte >= 0xc2 && byte <= 0xdf) this.need = 1;
    else if (byte === 0xe0) [this.need, this.low] = [2, 0xa0];
    else if (byte === 0xed) [this.need, this.high] = [2, 0x9f];
    else if (byte >= 0xe1 && byte <= 0xef) this.need = 2;
    else if (byte === 0xf0) [this.need, this.low] = [3, 0x90];
    else if (byte === 0xf4) [this.need, this.high] = [3, 0x8f];
    else if (byte >= 0xf1 && byte <= 0xf3) this.need = 3;
    else return this.bad(byte, this.offset, this.line, 'is not UTF-8');
    return undefined;
  }

  private bad(byte: number, offset: number, line: number, what: string): string {
    const latin = byte >= 0xa0 ? `; alone, it is how Windows-1252 or ISO-8859-1 (Latin-1) write a letter such as é or ü` : '';
    return `the file is not UTF-8: byte 0x${hex([byte])} at line ${line} (byte offset ${offset}) ${what}${latin}; ${EXPECTED}`;
  }
}

const nulAt = (line: number, offset: number) =>
  `the file holds a NUL byte at line ${line} (byte offset ${offset}): no UTF-8 text has one (a damaged file?)`;

/** Where the chunk's last whole UTF-8 sequence ends (a sequence cut at the chunk's end is left out). */
function wholeSequencesEnd(chunk: Uint8Array): number {
  const n = chunk.length;
  for (let back = 1; back <= Math.min(4, n); back++) {
    const byte = chunk[n - back]!;
    if (byte < 0x80) return n;
    if (byte >= 0xc0) return (byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : 2) > back ? n - back : n;
  }
  // Only continuation bytes at the end: not UTF-8, which isUtf8 tells.
  return n;
}
