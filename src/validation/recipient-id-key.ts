// Optimizely does not document whether two recipient ids that differ only in letter case are one
// recipient. If they were and the export kept both, the second addAll3 would answer "already on the
// list", the list would hold one fewer than the verify expects, and every run would restore. So the
// export treats such ids as one recipient (one wins, the other is excluded as `duplicate`): the
// comparison Java's `String.equalsIgnoreCase` makes, character by character, and nothing wider
// (`ß` and `ss` stay apart; they are different addresses).

/** The key under which two recipient ids are the same recipient. */
export function recipientIdKey(id: string): string {
  let key = '';
  for (const ch of id) key += foldCharacter(ch);
  return key;
}

/**
 * Java compares with the simple (one-to-one) case mappings of UnicodeData, JavaScript's toUpperCase and
 * toLowerCase apply the full ones of SpecialCasing. Where a full mapping gives several code points the
 * simple one is used instead: for upper case that is always the character itself or a title-case form
 * whose lower case is the same, so keeping the character gives the same key; for lower case there is
 * one such character, U+0130 (İ), whose full lower case is "i̇" and simple lower case is "i".
 */
const SIMPLE_LOWER_WHERE_FULL_DIFFERS = new Map([['\u0130', 'i']]);

/** Upper then lower case of one code point, unless a step changes the number of code points. */
function foldCharacter(ch: string): string {
  const upper = ch.toUpperCase();
  const one = isOneCodePoint(upper) ? upper : ch;
  const lower = one.toLowerCase();
  return isOneCodePoint(lower) ? lower : (SIMPLE_LOWER_WHERE_FULL_DIFFERS.get(one) ?? one);
}

function isOneCodePoint(text: string): boolean {
  const first = text.codePointAt(0);
  return first !== undefined && text.length === (first > 0xffff ? 2 : 1);
}

// \p{Cc} and \p{Cf}: controls, zero-width spaces and joiners, the soft hyphen, BOMs, bidi marks.
const INVISIBLE = /[\p{Cc}\p{Cf}]/gu;

/**
 * The key de-duplication compares recipient ids by: `recipientIdKey`, and ids a person reads as one
 * text are one recipient too: composed and decomposed (`Müller` with ü or u + U+0308), compatibility
 * forms (full-width `ＩＤ１`), invisible characters inside. Such ids were sent as two recipients, the
 * person mailed twice, though an opt-out of either already held for both (suppressionKey). Folded
 * from the case-insensitive key, so it is never finer than it: ids one recipient by
 * `recipientIdKey` stay one. An id of invisible characters only keeps its own key.
 */
export function dedupKey(id: string): string {
  const key = recipientIdKey(id);
  if (!NEEDS_FOLDING.test(key)) return key;
  const read = key.normalize('NFKC').replace(INVISIBLE, '');
  return read === '' ? key : recipientIdKey(read);
}

/** Printable ASCII needs no folding (email ids always are): the common case costs one test. */
const NEEDS_FOLDING = /[^\x20-\x7e]/u;
