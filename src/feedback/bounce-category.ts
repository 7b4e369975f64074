/**
 * The bounce categories Optimizely names (API notes: `hardbounce`, `softbounce`, `autoresponder`,
 * `unknown`, and custom ones), compared as a person reads them: case, white space anywhere (` soft
 * bounce `), invisible characters and compatibility forms (full-width letters) do not count. A feed
 * that writes `SoftBounce` means a soft bounce; before this, anything but the exact `softbounce` was
 * read as hard.
 */
export type BounceSeverity = 'soft' | 'hard';

const KNOWN: Readonly<Record<string, BounceSeverity>> = { softbounce: 'soft', hardbounce: 'hard' };

/** Already folded: NFKC keeps ASCII letters and digits, and there is nothing to drop or lower-case. */
const PLAIN_CATEGORY = /^[a-z0-9]*$/;

/** Letters and digits only (white space, control and format characters dropped), lower-cased. */
export function foldedCategory(category: string): string {
  // A category as Optimizely writes it (`hardbounce`) is its own folded form: no Unicode
  // normalisation per response row (foldedCategory.test.ts: the same answer as the full fold).
  if (PLAIN_CATEGORY.test(category)) return category;
  return category
    .normalize('NFKC')
    .replace(/[\s\p{Cc}\p{Cf}]/gu, '')
    .toLowerCase();
}

/**
 * How an out-bounce of this category is recorded in the CRM. Only a category that folds to
 * `softbounce` is soft. Every other one, known (`hardbounce`) or not (`unknown`, `autoresponder`, a
 * custom category, an empty cell), is hard: an out-bounce is a recipient over Optimizely's bounce
 * threshold, whom Optimizely no longer mails, so the conservative reading is the one that stops the
 * CRM from counting them as reachable.
 */
export function bounceSeverity(category: string | null | undefined): BounceSeverity {
  const folded = foldedCategory(category ?? '');
  // Own keys only: `constructor` or `__proto__` would otherwise answer with what every object has,
  // neither soft nor hard, and such an out-bounce was recorded as soft and never suppressed.
  return Object.hasOwn(KNOWN, folded) ? (KNOWN[folded] as BounceSeverity) : 'hard';
}
