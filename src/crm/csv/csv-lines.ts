import { createReadStream } from 'node:fs';

// Physical lines of a file, split on LF at the byte level (LF never occurs inside a UTF-8 or
// Latin-1 multi-byte character) and decoded one by one: a line that is not valid UTF-8 is reported
// as such instead of being silently "repaired" with U+FFFD, and a runaway line is cut off instead of
// filling memory.

/** `open`: the file's last line, not ended by LF (the file may have been cut in it). */
export type CsvLine =
  | { number: number; text: string; open?: true }
  /**
   * `latin1`: a line that is not UTF-8, read as Latin-1: for consent doubts only, never a value.
   * `crInside`: a runaway line (its bytes are not kept) held a CR that did not end it: it may be
   * several records of a writer of CR lines.
   */
  | { number: number; problem: 'invalid_encoding' | 'line_too_long'; latin1?: string; crInside?: true };

/** Longest line read; a longer one is skipped as `line_too_long` (no CRM row is anywhere near it). */
export const MAX_LINE_BYTES = 1 << 20;
const LF = 0x0a;
const CR = 0x0d;
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
  // Of a runaway line, whose bytes are dropped: whether a CR stood anywhere but at its end, and
  // whether the bytes dropped so far end in one (it ends the line only if nothing follows it).
  let crInside = false;
  let crLast = false;
  const noteCrs = (bytes: Buffer): void => {
    if (bytes.length === 0) return;
    const at = bytes.indexOf(CR);
    if (crLast || (at !== -1 && at < bytes.length - 1)) crInside = true;
    crLast = bytes[bytes.length - 1] === CR;
  };
  const lineOf = (bytes: Buffer): CsvLine => {
    number += 1;
    if (tooLong) {
      noteCrs(bytes);
      return { number, problem: 'line_too_long', ...(crInside ? { crInside: true as const } : {}) };
    }
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
      crInside = false;
      crLast = false;
      from = at + 1;
    }
    const rest = chunk.subarray(from);
    if (tooLong || partBytes + rest.length > maxLineBytes) {
      // Keep nothing of a runaway line: only the fact that it was one, and whether it held a CR.
      for (const part of parts) noteCrs(part);
      noteCrs(rest);
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
