import { cellText } from './cell-text';

// Whether a row's opt-out may speak for the list's consent and medium. A row is the list's for
// sending only when its consent and medium are exactly the list's (validateRow); an opt-out is held to
// the opposite standard, since doubt never sends: stated under a consent or medium a person reads as
// the list's (full-width digits or those of another script, an invisible character, leading zeros,
// several consents in one cell, a wildcard, `e-mail` with any dash, look-alike letters of another
// script) or with no readable consent or medium at all, it wins for the person
// (docs/crm.md, "Conflicting rows"). Only a clearly other consent or medium (`12`, `sms`) says nothing
// about the list.

const INVISIBLE = /[\p{Cc}\p{Cf}]/gu;
/**
 * Between consents: anything but letters, digits, the wildcards and a decimal point (`11,12`,
 * `11、12`, `(11)`, `11–12`, `+11`), whatever script writes it.
 */
const CONSENT_SEPARATORS = /[^\p{L}\p{N}\p{M}*%.]+/u;
/** Between media: list punctuation, whatever script writes it (`sms、email`; full-width forms are folded first). */
const MEDIUM_SEPARATORS = /[,;|/\u060c\u3001]+/u;
/**
 * Inside a medium's name: blanks, every dash and connector (`E‐Mail` with a Unicode hyphen, as word
 * processors write it; `E–Mail`, `E−Mail` with a minus sign), dots and middle dots.
 */
const MEDIUM_FILLERS = /[\s\p{Pd}\p{Pc}.\u00b7\u2027\u30fb\u2043\u2212]+/gu;
const WILDCARDS: ReadonlySet<string> = new Set(['*', '%']);
/** A decimal number as a CRM may write an integer id: a sign, leading zeros, a zero fraction. */
const DECIMAL = /^\+?0*(\d+)(?:\.0*)?$/u;

/** The cell as a person reads it, split into the values it names; undefined when it names none. */
function namedValues(cell: unknown, separators: RegExp): string[] | undefined {
  const text = cellText(cell);
  if (text.kind !== 'text') return undefined;
  const parts = asPersonReads(text.text).split(separators);
  const named = parts.map((part) => part.trim()).filter((part) => part !== '');
  return named.length === 0 ? undefined : named;
}

/**
 * Text as a person reads it, lower-cased: compatibility forms folded, invisible characters dropped,
 * digits of any script as ASCII digits, look-alike letters of other scripts as the Latin ones. For
 * doubt only (an opt-out's consent and medium, a consent column's name), never for a value sent.
 */
export function asPersonReads(text: string): string {
  return latinLookAlikes(latinCapitals(asciiDigits(text.normalize('NFKC').replace(INVISIBLE, ''))).toLowerCase());
}

/**
 * Lower-case Cyrillic, Greek and other letters that look like Latin ones (`еmail` with a Cyrillic
 * `е`, `emaıl` with a Turkish dotless `ı`): NFKC leaves them, a person reads them as the Latin letter. Only ever read for doubt (an
 * opt-out under such a medium speaks for the list's), never for sending.
 */
const LOOK_ALIKES: ReadonlyMap<string, string> = new Map(
  // Each pair: the look-alike, then the Latin letter. Cyrillic; Greek, Armenian and Latin variants; Latin small capitals (`ᴇᴍᴀɪʟ`).
  `аa вb еe кk мm нh оo рp сc тt уy хx ѕs іi јj ԁd һh ӏl ԛq ԝw үy ѵv αa εe ηn ιi κk νv οo ρp τt υu χx γy օo ɑa ıi ɩi ᴀa ʙb ᴄc ᴅd ᴇe ꜰf ɢg ʜh ɪi ᴊj ᴋk ʟl ᴍm ɴn ᴏo ᴘp ʀr ꜱs ᴛt ᴜu ᴠv ᴡw ʏy ᴢz`
    .split(' ')
    .map((pair): [string, string] => [pair.slice(0, -1), pair.slice(-1)]),
);
const LOOK_ALIKE = new RegExp(`[${[...LOOK_ALIKES.keys()].join('')}]`, 'gu');

/**
 * Greek and Cyrillic capitals that look like Latin capitals, read before lower-casing: a Greek capital
 * lower-cases to a letter that looks like no Latin one (`Μ` → `μ`, `Β` → `β`) or like another (`Η` →
 * `η`, read `n`), so `EΜAIL` with a Greek Mu read as another medium and its opt-out was ignored.
 */
const CAPITAL_LOOK_ALIKES: ReadonlyMap<string, string> = new Map(
  `ΑA ΒB ΕE ΖZ ΗH ΙI ΚK ΜM ΝN ΟO ΡP ΤT ΥY ΧX ϹC ͿJ АA ВB ЕE КK МM НH ОO РP СC ТT ХX ЅS ІI ЈJ ҮY`
    .split(' ')
    .map((pair): [string, string] => [pair.slice(0, -1), pair.slice(-1)]),
);
const CAPITAL_LOOK_ALIKE = new RegExp(`[${[...CAPITAL_LOOK_ALIKES.keys()].join('')}]`, 'gu');

function latinCapitals(text: string): string {
  return text.replace(CAPITAL_LOOK_ALIKE, (ch) => CAPITAL_LOOK_ALIKES.get(ch) ?? ch);
}

function latinLookAlikes(text: string): string {
  // And the `i` with a dot above that lower-casing a Turkish capital `İ` gives (`EMAİL`).
  return text.replace(LOOK_ALIKE, (ch) => LOOK_ALIKES.get(ch) ?? ch).replace(/i\u0307/gu, 'i');
}

/** A decimal digit that is not ASCII (ASCII digits are their own value). */
const OTHER_DECIMAL_DIGIT = /(?![0-9])\p{Nd}/gu;
const IS_DECIMAL_DIGIT = /^\p{Nd}$/u;
/** Values found so far (at most the 700-odd decimal digits Unicode has). */
const DIGIT_VALUES = new Map<string, number>();

/**
 * Decimal digits of any script as ASCII digits (`١١`, `११` are 11): NFKC folds full-width and
 * mathematical digits but not the digits of other scripts, which a CRM in such a locale may write.
 */
function asciiDigits(text: string): string {
  return text.replace(OTHER_DECIMAL_DIGIT, (digit) => String(digitValue(digit)));
}

/**
 * A decimal digit's value. Unicode encodes each script's digits 0 to 9 as one contiguous run (its
 * stability policy for Numeric_Type=Decimal), and runs that touch are whole sets of ten: the
 * distance from the start of the run, modulo 10.
 */
function digitValue(digit: string): number {
  const known = DIGIT_VALUES.get(digit);
  if (known !== undefined) return known;
  const code = digit.codePointAt(0) as number;
  let start = code;
  while (start > 0 && IS_DECIMAL_DIGIT.test(String.fromCodePoint(start - 1))) start -= 1;
  const value = (code - start) % 10;
  DIGIT_VALUES.set(digit, value);
  return value;
}

const sameNumber = (a: string, b: string): boolean => {
  const [x, y] = [DECIMAL.exec(a), DECIMAL.exec(b)];
  return x !== null && y !== null && x[1] === y[1];
};

/** Whether a consent cell may name the list's consent `optInId` (blank or unreadable: it may). */
export function mayBeListConsent(cell: unknown, optInId: string): boolean {
  const named = namedValues(cell, CONSENT_SEPARATORS);
  if (named === undefined) return true;
  const own = asciiDigits(optInId.normalize('NFKC').replace(INVISIBLE, '')).trim().toLowerCase();
  return named.some((value) => value === own || WILDCARDS.has(value) || sameNumber(value, own));
}

/** Whether a medium cell may name the list's medium (blank or unreadable: it may). */
export function mayBeListMedium(cell: unknown, mediaType: string): boolean {
  const named = namedValues(cell, MEDIUM_SEPARATORS);
  if (named === undefined) return true;
  const own = mediaType.normalize('NFKC').toLowerCase().replace(MEDIUM_FILLERS, '');
  return named.some((value) => WILDCARDS.has(value) || hasWordsOf(value, own));
}

/**
 * Whether some run of a value's blank-separated words, fillers aside, is `own`: a medium written with
 * blanks (`e mail`) or among others separated by blanks only (`sms email`, `sms e mail`). A run stops
 * once it is longer than `own`, so a cell of a million words costs a pass per word, not per pair.
 */
function hasWordsOf(value: string, own: string): boolean {
  const words = value
    .split(/\s+/u)
    .map((word) => word.replace(MEDIUM_FILLERS, ''))
    .filter((word) => word !== '');
  for (let from = 0; from < words.length; from++) {
    let run = '';
    for (let to = from; to < words.length && run.length < own.length; to++) {
      run += words[to];
      if (run === own) return true;
    }
  }
  return false;
}
