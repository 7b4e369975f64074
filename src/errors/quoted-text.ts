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
  let shown = '';
  for (const ch of text) {
    const visible = visibleChar(ch);
    if (shown.length + visible.length > max) return `${shown}…`;
    shown += visible;
  }
  return shown;
}

function visibleChar(ch: string): string {
  return ch !== ' ' && INVISIBLE_ONE.test(ch) ? `\\u${(ch.codePointAt(0) as number).toString(16).padStart(4, '0')}` : ch;
}

/** Code points of an operator's argument an error shows. */
const SHOWN_INPUT_MAX = 80;
/** An argument shown as it is: printable ASCII without blanks or quotes, as list keys, run ids and addresses are. */
const PLAIN_INPUT = new RegExp(`^[\\x21\\x23-\\x7e]{1,${SHOWN_INPUT_MAX}}$`);

/** An operator's argument as an error names it: as it is when plain, else quoted, bounded and made visible. */
export function shownInput(value: string): string {
  return PLAIN_INPUT.test(value) ? value : `"${visibleText(value, SHOWN_INPUT_MAX)}"`;
}
