import { createReadStream } from 'node:fs';

// Physical lines of a file, split on LF at the byte level (LF never occurs inside a UTF-8 or
// Latin-1 multi-byte character) and decoded one by one: a line that is not valid UTF-8 is reported
// as such instead of being silently "repaired" with U+FFFD, and a runaway line is cut off instead of
// filling memory.

/** `open`: the file's last line, not ended by LF (the file may have been cut in it). */
export type CsvLine =
  | { number: number; text: string; open?: true }
  /** `latin1`: a line that is not UTF-8, read as Latin-1: for consent doubts only, never a value. */
  | { number: number; problem: 'invalid_encoding' | 'line_too_long'; latin1?: string };

/** Longest line read; a longer one is skipped as `line_too_long` (no CRM row is anywhere near it). */
export const MAX_LINE_BYTES = 1 << 20;
const LF = 0x0a;
const BOM = Buffer.from([0xef, 0xbb, 0xbf]);

export async function* readCsvLines(file: string, encoding: 'utf8' | 'latin1', maxLineBytes = MAX_LINE_BYTES): AsyncGenerator<CsvLine> {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  const decode = (bytes: Buffer): string | undefined => {
    if (encoding === 'latin1') return bytes.toString('latin1');
    try {
      return decoder.decode(bytes);
    } catch {
      return undefined;
    }
  };
  let number = 0;
  let parts: Buffer[] = [];
  let partBytes = 0;
  let tooLong = false;
  const lineOf = (bytes: Buffer): CsvLine => {
    number += 1;
    if (tooLong) return { number, problem: 'line_too_long' };
    const text = decode(number === 1 && bytes.subarray(0, 3).equals(BOM) ? bytes.subarray(3) : bytes);
    return text === undefined ? { number, problem: 'invalid_encoding', latin1: bytes.toString('latin1') } : { number, text };
  };
  for await (const chunk of createReadStream(file) as AsyncIterable<Buffer>) {
    let from = 0;
    for (let at = chunk.indexOf(LF, from); at !== -1; at = chunk.indexOf(LF, from)) {
      const piece = chunk.subarray(from, at);
      const bytes = parts.length === 0 ? piece : Buffer.concat([...parts, piece]);
      if (bytes.length > maxLineBytes) tooLong = true;
      yield lineOf(bytes);
      parts = [];
      partBytes = 0;
      tooLong = false;
      from = at + 1;
    }
    const rest = chunk.subarray(from);
    if (tooLong || partBytes + rest.length > maxLineBytes) {
      // Keep nothing of a runaway line: only the fact that it was one.
      tooLong = true;
      parts = [];
      partBytes = 0;
    } else if (rest.length > 0) {
      parts.push(Buffer.from(rest));
      partBytes += rest.length;
    }
  }
  if (parts.length > 0 || tooLong) {
    const last = lineOf(Buffer.concat(parts));
    yield 'text' in last ? { ...last, open: true } : last;
  }
}
