import type { SyncListConfig } from '../config/config-schema';
import { shownInput } from '../errors/quoted-text';
import { reexportCauseText, type ReexportCause } from './reexport-cause';

// The attribute guard (docs/daily-sync.md, "Attribute values"): the mapped attributes of the recipients
// an export keeps, compared with what they held before (the last good run's snapshot, or for strategy
// reconcile the live list). A CRM that one night exports every first name empty, or turned into
// replacement characters by a charset error, would otherwise refill (or update) the whole list with it.
// Counts and attribute names only: no recipient value leaves this module.

/** What one recipient's value of one attribute lost against its value before; undefined: nothing. */
export type ValueLoss = 'emptied' | 'garbled';

/** Of the recipients an export keeps, how many lost an attribute's value; only attributes that lost any. */
export interface AttributeLosses {
  emptied: number;
  garbled: number;
}

/** The attribute values an export keeps, compared with what the same recipients held before. JSON-plain counts. */
export interface AttributeChanges {
  /** The last good run's snapshot (strategy refresh), or the live list (strategy reconcile). */
  against: 'last-good-run' | 'live-list';
  /** Recipients (by exact recipient id) both in the export and in what it was compared with. */
  kept: number;
  /** Per mapped attribute (Optimizely field name) that lost any value: how many of `kept` lost it. */
  lost: Record<string, AttributeLosses>;
  /** Strategy reconcile: of `kept`, the recipients whose values the update step would write. */
  updated?: number;
}

/** Bit 0: the value is usable (neither empty nor garbled); bit 1: it also holds a character beyond ASCII. */
export type ValueFeatures = number;
export const USABLE = 1;
export const BEYOND_ASCII = 2;

/** Spreadsheet and database placeholders a broken view writes instead of a value (compared lower-cased, blanks removed). */
const PLACEHOLDERS = new Set(['null', 'undefined', 'nan', 'n/a', '#n/a', '#name?', '#value!', '#ref!', '[objectobject]']);
/** Characters that carry nothing a reader sees: blanks, controls, format characters (zero-width and the like). */
const INVISIBLE = /[\s\p{Cc}\p{Cf}\p{Z}]/gu;
/** U+FFFD, C1 controls (Windows-1252 read as Latin-1), and UTF-8 read as Latin-1 (`Ã©`, `Â `). */
const GARBLED = /[\uFFFD\u0080-\u009F]|[\u00C2\u00C3][\u0080-\u00BF]/u;
const LETTER_OR_DIGIT = /[\p{L}\p{N}]/u;
const BEYOND_ASCII_CHAR = /\P{ASCII}/u;

/**
 * What a value is worth as an attribute: empty (nothing a reader sees), garbled (a replacement
 * character, a decoding error, a placeholder, or no letter or digit at all: `?`, `-`), or usable;
 * for a usable value also whether it holds characters beyond ASCII (a charset error turns them into
 * `?`). Hostile input: any JSON value may come (a live cell is a string or null).
 */
export function valueFeatures(value: unknown): ValueFeatures {
  if (value === null || value === undefined) return 0;
  const text = typeof value === 'string' ? value : typeof value === 'number' || typeof value === 'boolean' ? String(value) : '';
  if (text === '') return 0;
  const visible = text.replace(INVISIBLE, '');
  if (visible === '') return 0;
  if (GARBLED.test(text) || !LETTER_OR_DIGIT.test(visible) || PLACEHOLDERS.has(visible.toLowerCase())) return 0;
  return USABLE | (BEYOND_ASCII_CHAR.test(visible) ? BEYOND_ASCII : 0);
}

/** Whether a value is empty (nothing visible), as opposed to garbled: the two are counted apart. */
function isEmpty(value: unknown): boolean {
  if (value === null || value === undefined) return true;
  if (typeof value !== 'string') return false;
  return value.replace(INVISIBLE, '') === '';
}

/**
 * What a recipient's value lost against its features before: nothing when it had no usable value
 * then (an attribute new to the mapping, or empty yesterday); `emptied` when it has none now;
 * `garbled` when it is garbled now, or when a value beyond ASCII came back with `?` and nothing
 * beyond ASCII (`Müller` → `M?ller`, `M??ller`: a charset error, U+FFFD's older sibling).
 */
export function valueLoss(before: ValueFeatures, now: unknown): ValueLoss | undefined {
  if ((before & USABLE) === 0) return undefined;
  const features = valueFeatures(now);
  if ((features & USABLE) === 0) return isEmpty(now) ? 'emptied' : 'garbled';
  if (before & BEYOND_ASCII && (features & BEYOND_ASCII) === 0 && typeof now === 'string' && now.includes('?')) return 'garbled';
  return undefined;
}

/** Tallies what kept recipients lost, attribute by attribute (names in the mapping's order). */
export class AttributeTally {
  private kept = 0;
  private updated = 0;
  private readonly emptied: number[];
  private readonly garbled: number[];

  constructor(
    private readonly against: AttributeChanges['against'],
    private readonly names: readonly string[],
  ) {
    this.emptied = names.map(() => 0);
    this.garbled = names.map(() => 0);
  }

  /** One more recipient kept (`updated`: whose values the reconcile's update step writes); then `value` for each attribute. */
  recipient(updated = false): void {
    this.kept += 1;
    if (updated) this.updated += 1;
  }

  /** The `i`-th attribute of the recipient last counted: its features before and its value now. */
  value(i: number, before: ValueFeatures, now: unknown): void {
    const loss = valueLoss(before, now);
    if (loss === 'emptied') this.emptied[i]! += 1;
    else if (loss === 'garbled') this.garbled[i]! += 1;
  }

  result(): AttributeChanges {
    const lost: Record<string, AttributeLosses> = {};
    this.names.forEach((name, i) => {
      const emptied = this.emptied[i]!;
      const garbled = this.garbled[i]!;
      // Two mapped CRM columns may name the same field: their losses add up.
      if (emptied + garbled > 0) {
        const sum = Object.hasOwn(lost, name) ? lost[name]! : { emptied: 0, garbled: 0 };
        lost[name] = { emptied: sum.emptied + emptied, garbled: sum.garbled + garbled };
      }
    });
    return { against: this.against, kept: this.kept, lost, ...(this.against === 'live-list' ? { updated: this.updated } : {}) };
  }
}

const AGAINST: Record<AttributeChanges['against'], string> = {
  'last-good-run': 'kept from the last good run',
  'live-list': 'kept on the live list',
};

/** A count the guard may trust: a whole number from 0 up; anything else (a garbled or hand-written record) reads as unusable. */
const isCount = (n: unknown): n is number => typeof n === 'number' && Number.isSafeInteger(n) && n >= 0;

/** One reason to hold and what it is about (an attribute, or the reconcile's update share). */
interface Finding {
  subject: string;
  reason: string;
}

/**
 * Reasons to hold a run for its attribute values: per mapped attribute, when more than
 * `maxBlankedPercent` of the recipients kept lost their value (emptied or garbled); for strategy
 * reconcile also when the update step would write more than `maxUpdatePercent` of the recipients
 * kept; either only when at least `minAttributeChanges` recipients are concerned. Compared without
 * dividing, as the shrink is. No comparison (a first run of a refresh), or no
 * recipient kept: no reason. A tally whose counts are no counts (negative, fractional, more lost
 * than kept) holds the run: it cannot tell the list is no worse.
 */
export function attributeReasons(guard: SyncListConfig['guard'], changes: AttributeChanges | undefined): string[] {
  return findings(guard, changes).map((f) => f.reason);
}

/**
 * A re-export after a late approval or a long pause (`after`): held for an attribute (or the update
 * share) the approved export was not held for; what the operator approved is not asked again (guard-after-hold.ts).
 */
export function attributeReasonsAfterHold(
  guard: SyncListConfig['guard'],
  fresh: AttributeChanges | undefined,
  approved: AttributeChanges | undefined,
  after?: ReexportCause,
): string[] {
  const before = new Set(findings(guard, approved).map((f) => f.subject));
  const cause = reexportCauseText(after);
  return findings(guard, fresh)
    .filter((f) => !before.has(f.subject))
    .map((f) => `${f.reason}, in the re-export after ${cause}`);
}

function findings(guard: SyncListConfig['guard'], changes: AttributeChanges | undefined): Finding[] {
  if (changes === undefined) return [];
  const { kept } = changes;
  if (!isCount(kept)) return [{ subject: 'kept', reason: `the attribute comparison is unusable (${shown(kept)} recipients kept)` }];
  const found: Finding[] = [];
  const lost: Record<string, Partial<AttributeLosses> | undefined> = changes.lost ?? {};
  for (const name of Object.keys(lost)) {
    const subject = `attribute ${name}`;
    const { emptied, garbled } = lost[name] ?? {};
    if (!isCount(emptied) || !isCount(garbled) || emptied + garbled > kept) {
      found.push({ subject, reason: `the attribute comparison of ${shownInput(name)} is unusable (counts out of range)` });
      continue;
    }
    const lostCount = emptied + garbled;
    if (!concernsEnough(guard, lostCount) || lostCount * 100 <= guard.maxBlankedPercent * kept) continue;
    const share = ((lostCount / kept) * 100).toFixed(1);
    const against = Object.hasOwn(AGAINST, changes.against) ? AGAINST[changes.against] : 'kept';
    found.push({
      subject,
      reason: `attribute ${shownInput(name)} lost its value for ${share}% of the ${kept} recipients ${against} (${emptied} emptied, ${garbled} garbled; limit ${guard.maxBlankedPercent}%)`,
    });
  }
  const { updated } = changes;
  if (updated === undefined) return found;
  if (!isCount(updated) || updated > kept)
    found.push({ subject: 'update', reason: `the attribute comparison is unusable (${shown(updated)} recipients updated)` });
  else if (concernsEnough(guard, updated) && updated * 100 > guard.maxUpdatePercent * kept) {
    const share = ((updated / kept) * 100).toFixed(1);
    found.push({
      subject: 'update',
      reason: `the reconcile would update the values of ${share}% of the recipients it keeps (${updated} of ${kept}; limit ${guard.maxUpdatePercent}%)`,
    });
  }
  return found;
}

/** A share over its limit holds only when it concerns at least `minAttributeChanges` recipients (and one). */
function concernsEnough(guard: SyncListConfig['guard'], count: number): boolean {
  return count > 0 && count >= guard.minAttributeChanges;
}

/** A count from a record, bounded for a reason text. */
function shown(value: unknown): string {
  return typeof value === 'number' ? String(value) : typeof value;
}
