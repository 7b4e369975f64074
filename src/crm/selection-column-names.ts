import { CrmSelectionAmbiguousError } from '../errors/crm-selection-ambiguous-error';
import { visibleText } from '../errors/quoted-text';
import { asPersonReads } from '../validation/doubtful-consent';
import { CONSENT_GRANTED_AT } from '../validation/suppressions';
import { selectionColumns, SUPPRESSION_COLUMNS } from '../validation/validate-row';

// The consent columns of a selection are optional and read by their exact names: a selection that
// returns `Unsubscribed` (SQLite keeps an alias's letter case, a CSV header keeps its own),
// `consent-withdrawn` or `unsubscribed_at` instead would have its opt-outs silently ignored and every
// row sent. And a selection returning one read column twice (a join's `c.bounced, l.bounced`) hands
// over the last value only, whichever the driver keeps. Both are refused before any row is read:
// the export fails (permanent, before the guard and the clear), naming the column; never guessed.

/** The optional columns that decide consent: absent means "not stated", so a misspelling must not read as absent. */
export const CONSENT_COLUMNS: readonly string[] = [...SUPPRESSION_COLUMNS.map(([column]) => column), CONSENT_GRANTED_AT];

/** Every column the export reads from a row of a list with this attribute mapping. */
export function readColumns(attributes: Readonly<Record<string, string>>): string[] {
  return [...new Set([...selectionColumns(attributes), ...CONSENT_COLUMNS])];
}

// A name as an operator meant it: read as a person reads it (compatibility forms, invisible
// characters, look-alike letters of other scripts, letter case; doubtful-consent.ts) and with
// everything between its words dropped, so `Unsubscribed`, `consent-withdrawn`, `ConsentWithdrawn`,
// `consentwithdrawn`, `consent–withdrawn` (en dash), `consent/withdrawn` and `unsubscrіbed` (a
// Cyrillic і) are one name. Found: camel case, run-together words, other dashes and punctuation and
// look-alike letters read as another column, and the column's opt-outs were ignored.
const squashed = (name: string): string => asPersonReads(name).replace(/[^\p{L}\p{N}]+/gu, '');

/** Suffixes that make a consent column's name a column about the same thing (`unsubscribed_at`). */
const SAME_THING = ['', '_at', '_on', '_date', '_time', '_ts', '_flag', '_status'];
/** Other words for the opt-out columns an operator may have written. */
const OTHER_WORDS: Readonly<Record<string, string>> = {
  unsub: 'unsubscribed',
  unsubscribe: 'unsubscribed',
  unsubscribes: 'unsubscribed',
  bounce: 'bounced',
  bounces: 'bounced',
  withdrawn: 'consent_withdrawn',
  consent_withdrawal: 'consent_withdrawn',
  opt_out: 'unsubscribed',
  optout: 'unsubscribed',
  opted_out: 'unsubscribed',
  consent_granted: CONSENT_GRANTED_AT,
  consent_date: CONSENT_GRANTED_AT,
};

/** Every name that reads as a consent column, squashed, and the column it reads as (the columns' own stems first). */
const NEAR_MISSES: ReadonlyMap<string, string> = new Map(
  [...CONSENT_COLUMNS.map((column): [string, string] => [column, column]), ...Object.entries(OTHER_WORDS)]
    .flatMap(([stem, meant]) => SAME_THING.map((suffix): [string, string] => [squashed(stem + suffix), meant]))
    .reverse(),
);

/** The consent column a selection column was probably meant to be, when it is not exactly that column. */
export function consentColumnNearMiss(name: string): string | undefined {
  if (CONSENT_COLUMNS.includes(name)) return undefined;
  return NEAR_MISSES.get(squashed(name));
}

/**
 * Throws CrmSelectionAmbiguousError when the selection's column names (in order, as the driver
 * reports them) return a column the export reads more than once, or a consent column under another
 * spelling. Mapped attribute columns are the configuration's own choice and never a near miss.
 */
export function checkSelectionColumnNames(listKey: string, names: readonly string[], attributes: Readonly<Record<string, string>>): void {
  const read = new Set(readColumns(attributes));
  const twice = names.findIndex((name, i) => read.has(name) && names.indexOf(name) !== i);
  if (twice !== -1) {
    const name = names[twice] as string;
    throw new CrmSelectionAmbiguousError(
      listKey,
      `returns the column ${name} twice (fields ${names.indexOf(name) + 1} and ${twice + 1}): which value the row holds would be a guess`,
    );
  }
  for (const [index, name] of names.entries()) {
    if (Object.hasOwn(attributes, name)) continue;
    const meant = consentColumnNearMiss(name);
    if (meant !== undefined)
      throw new CrmSelectionAmbiguousError(
        listKey,
        `returns a column ${nearMissName(name, meant)} that reads as ${meant} (field ${index + 1}) but is not named so: a consent column is read by its exact name only, so its values would be ignored; name it ${meant}`,
      );
  }
}

/**
 * A near miss as the error quotes it. A quoted SQL alias may carry blanks around the name
 * (`"consent_withdrawn "`): quoted trimmed, it read as the very name the error asks for.
 */
function nearMissName(name: string, meant: string): string {
  const quoted = quotedName(name);
  return name.trim() === meant ? `${quoted} (with blanks around it)` : quoted;
}

/** Characters of a column name quoted in an error: a name from a file may be megabytes of padding. */
const QUOTED_NAME_MAX = 40;

/**
 * A column name as an error quotes it: trimmed, at most 40 characters (`…` when cut), and every
 * control or invisible character written out (`\u200b`), since the message reaches the workflow
 * history and the logs and the name comes from outside (a CSV header, a SQL alias).
 */
export function quotedName(name: string): string {
  return `"${visibleText(name.trim(), QUOTED_NAME_MAX)}"`;
}
