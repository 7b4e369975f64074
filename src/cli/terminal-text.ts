import { cutWherePrinted } from '../errors/quoted-text';
import type { CliIo } from './cli-io';

// What the CLI prints holds text from outside (CRM ids and names in the ledger, fault texts of a
// failed run): an ESC sequence in it would clear the operator's screen, set the terminal title or
// hide lines, and a bidi override would reorder what is shown. Every character a terminal acts on
// is printed as a visible `\uXXXX` escape instead: C0 controls, DEL, C1 controls (0x9B is a one-byte
// CSI), bidi controls and the Unicode line separators. `\uXXXX` is also a JSON escape, so --json
// output stays valid JSON with the same meaning.

// eslint-disable-next-line no-control-regex -- matching control characters is the point here
const CONTROL = /[\u0000-\u001F\u007F-\u009F\u061C\u200E\u200F\u2028\u2029\u202A-\u202E\u2066-\u2069]/g;
// eslint-disable-next-line no-control-regex -- as above, but a line break of our own output stays
const CONTROL_BUT_NEWLINE = /[\u0000-\u0009\u000B-\u001F\u007F-\u009F\u061C\u200E\u200F\u2028\u2029\u202A-\u202E\u2066-\u2069]/g;

const visible = (ch: string): string => `\\u${(ch.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`;

/** One line of output with every control character escaped, line breaks included. */
export function terminalLine(text: string): string {
  return text.replace(CONTROL, visible);
}

/**
 * Printed characters of a line CliContext.print prints at most (`…` added where cut): a net under the
 * per-field bounds below, which keep each line of our own far shorter (a few fields and sentences). A
 * value a command forgot to bound is cut here instead of printing a megabyte line.
 */
export const LINE_MAX = 4000;

/** The lines a command prints without --json (CliContext.print): one line each whatever its values hold, at most LINE_MAX. */
export function printedLines(lines: readonly string[]): string[] {
  return lines.map((line) => boundedLine(line, LINE_MAX));
}

/** A block of our own lines: line breaks stay, every other control character is escaped. */
export function terminalBlock(text: string): string {
  return text.replace(CONTROL_BUT_NEWLINE, visible);
}

/**
 * The CLI's I/O with every write made terminal-safe. Commands print through this, so a command
 * added later is covered too; `clearScreen` is the one sequence of our own that gets through.
 */
export function terminalSafeIo(io: CliIo): CliIo {
  return { ...io, out: (text) => io.out(terminalBlock(text)), err: (text) => io.err(terminalBlock(text)) };
}

// A value from outside is also bounded where it is shown: a CRM id, a fault text, a reason, a file
// name or a list key of a megabyte printed a megabyte line, and pushed what came after it (the run id,
// the reason) out of sight. Each is cut where it would print more than FIELD_MAX characters, escapes
// counted as printed.

/** Printed characters a value from outside takes in a line at most: an id, a key, a name, a code. */
export const FIELD_MAX = 200;
/** Printed characters of a sentence from outside: an operator's reason (500), a note, a fault (600 stored), an error. */
export const TEXT_MAX = 600;

/** `text` terminal-safe (terminalLine) and cut with `…` where it would print more than `max` characters. */
export function boundedLine(text: string, max: number): string {
  return cutWherePrinted(text, max, terminalLine);
}

/** A value from outside as a line shows it: one line, terminal-safe, at most FIELD_MAX printed characters. */
export function shownField(value: unknown): string {
  return boundedLine(String(value), FIELD_MAX);
}

/** A sentence from outside (a reason, note, fault or error) as a line shows it: as shownField, at most TEXT_MAX. */
export function shownText(value: unknown): string {
  return boundedLine(String(value), TEXT_MAX);
}

/** A line template whose every interpolated value is shown as a field (shownField). */
export function fieldLine(strings: TemplateStringsArray, ...values: unknown[]): string {
  return strings.reduce((line, text, i) => line + text + (i < values.length ? shownField(values[i]) : ''), '');
}
