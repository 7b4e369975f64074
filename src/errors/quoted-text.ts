// Text from outside quoted in an error (a column name from a CSV header or SQL alias, an argument an
// operator typed or pasted): the message reaches terminals, logs and the workflow history, so it must
// stay one line of bounded length. A line break inside would print a line of its own that reads as
// the CLI's (`list x\ncampaign-sync: approved`), a megabyte argument a megabyte of error.

/** Every control, format (invisible, bidi) and separator character but the plain space. */
const INVISIBLE_ONE = /^[\p{Cc}\p{Cf}\p{Z}]$/u;

/** At most `max` code points of `text` (`…` when cut), every invisible character written out (`\u200b`). */
export function visibleText(text: string, max: number): string {
  const chars = Array.from(text);
  const shown = chars.slice(0, max).map(visibleChar).join('');
  return `${shown}${chars.length > max ? '…' : ''}`;
}

/**
 * `text` as visibleText writes it, cut (`…`) where it would print more than `max` characters: an
 * invisible character prints six (`\u000a`), so text of line breaks cut at `max` code points printed
 * six times `max`.
 */
export function visibleLine(text: string, max: number): string {
  return cutWherePrinted(text, max, visibleChar);
}

/**
 * `text` with each code point written as `show` writes it, cut (`…`) where it would print more than
 * `max` characters. Code point by code point, so a cut splits neither an escape nor a surrogate pair,
 * and a megabyte text is read only as far as it is shown.
 */
export function cutWherePrinted(text: string, max: number, show: (ch: string) => string): string {
  let shown = '';
  for (const ch of text) {
    const next = show(ch);
    if (shown.length + next.length > max) return `${shown}…`;
    shown += next;
  }
  return shown;
}

function visibleChar(ch: string): string {
  return ch !== ' ' && INVISIBLE_ONE.test(ch) ? `\\u${(ch.codePointAt(0) as number).toString(16).padStart(4, '0')}` : ch;
}

/** Code points of an operator's argument an error shows. */
const SHOWN_INPUT_MAX = 80;
/** Code points of a file path or server address an error shows: longer than a key, as paths are. */
export const SHOWN_PATH_MAX = 300;
/** An argument shown as it is: printable ASCII without blanks or quotes, as list keys, run ids and addresses are. */
const PLAIN_INPUT = /^[\x21\x23-\x7e]+$/;

/**
 * An operator's argument as an error names it: as it is when plain and at most `max` characters, else
 * quoted, made visible and cut where it would print more than `max` (visibleLine: an escape counts
 * its six characters). `max` is larger for a file path or a server address (SHOWN_PATH_MAX), which an
 * operator needs whole to find the mistake.
 */
export function shownInput(value: string, max = SHOWN_INPUT_MAX): string {
  return value.length <= max && PLAIN_INPUT.test(value) ? value : `"${visibleLine(value, max)}"`;
}

/**
 * Why a file could not be written, without the path Node's own message quotes as typed: the error
 * code (`ENOENT`, `EACCES`), or the message's first line, bounded, when there is none.
 */
export function fileErrorReason(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string') return visibleLine(code, 40);
  return visibleLine((error instanceof Error ? error.message : String(error)).split('\n')[0] ?? '', SHOWN_PATH_MAX);
}
