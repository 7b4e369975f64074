// The value tables of the hostile nightly property (test/integration/nightly-hostile-property.test.ts).
// Every entry says, by construction, what a person reading the row would take it to mean: the model
// (./nightly-model.ts) decides from these classes alone and shares no code with the export.

export type IdnPolicy = 'reject' | 'punycode';

/** A person of the CRM: the address Optimizely receives, and (for an IDN domain) the domain as a person writes it. */
export interface Person {
  address: string;
  unicodeDomain?: string;
}

export const PEOPLE: readonly Person[] = [
  { address: 'anna.p0@example.com' },
  { address: 'kate.p1@example.com' },
  { address: 'ali.p2@gmail.com' },
  { address: 'strasse.p3@strasse.de' },
  { address: 'jo.p4@xn--mnchen-3ya.de', unicodeDomain: 'münchen.de' },
  { address: 'bo.p5@example.org' },
  { address: 'kim.p6@mail.example.net' },
  { address: 'ida.p7@example.co.uk' },
];

/**
 * How a row writes its person's address. `same`: the sync folds it onto the person for opt-outs
 * (case, padding, compatibility forms, invisible and control characters, a locale's case, a trailing
 * dot, the domain in Unicode: docs/crm.md, "Suppression ledger"). Whether the row itself is sendable
 * as the person's address is decided by the model's own e-mail rule (`plainAddress`).
 */
export interface Spelling {
  name: string;
  spell: (person: Person) => string;
  same: boolean;
}

const unicodeForm = (p: Person) => (p.unicodeDomain ? p.address.replace(/@.*/u, `@${p.unicodeDomain}`) : p.address);

export const SPELLINGS: readonly Spelling[] = [
  { name: 'as is', spell: (p) => p.address, same: true },
  { name: 'upper', spell: (p) => p.address.toUpperCase(), same: true },
  { name: 'padded', spell: (p) => ` ${p.address}\t`, same: true },
  { name: 'unicode domain', spell: unicodeForm, same: true },
  { name: 'unicode domain upper', spell: (p) => unicodeForm(p).toUpperCase(), same: true },
  { name: 'full-width', spell: (p) => String.fromCharCode(p.address.charCodeAt(0) - 0x21 + 0xff01) + p.address.slice(1), same: true },
  { name: 'kelvin', spell: (p) => p.address.replace(/k/gu, '\u212a'), same: true },
  { name: 'turkish upper', spell: (p) => p.address.toLocaleUpperCase('tr'), same: true },
  { name: 'sharp s', spell: (p) => p.address.replace('ss', 'ß'), same: true },
  { name: 'zero-width', spell: (p) => p.address.replace('@', '\u200b@'), same: true },
  { name: 'bidi override', spell: (p) => `\u202e${p.address}`, same: true },
  { name: 'nul', spell: (p) => p.address.replace('@', '\u0000@'), same: true },
  { name: 'escape control', spell: (p) => `\u001b${p.address}`, same: true },
  { name: 'trailing dot', spell: (p) => `${p.address}.`, same: true },
  // A character lost decoding (U+FFFD) or a value run together with others: another text, not the person.
  { name: 'replacement char', spell: (p) => p.address.replace(/^./u, '\ufffd'), same: false },
  { name: 'very long', spell: (p) => `${'x'.repeat(300)}${p.address}`, same: false },
];
/** The first spellings are the usual ones (drawn more often). */
export const USUAL_SPELLINGS = 3;

/** A consent cell and the list consents it may be for an opt-out (`exact`: the list's for sending too). */
export interface ConsentCell {
  text: string;
  exact?: string;
  maybe: readonly string[] | 'any';
}
export const CONSENTS: readonly ConsentCell[] = [
  { text: '11', exact: '11', maybe: ['11'] },
  { text: '12', exact: '12', maybe: ['12'] },
  { text: ' 11 ', exact: '11', maybe: ['11'] },
  { text: '12 ', exact: '12', maybe: ['12'] },
  { text: '011', maybe: ['11'] },
  { text: '１１', maybe: ['11'] },
  { text: '\u200b12', maybe: ['12'] },
  { text: '11,12', maybe: ['11', '12'] },
  { text: '*', maybe: 'any' },
  { text: '', maybe: 'any' },
  // A character lost decoding: the consent it stood for cannot be read, so it may be the list's.
  { text: '\ufffd', maybe: 'any' },
  { text: 'abc', maybe: [] },
  { text: '13', maybe: [] },
  { text: 'unknown', maybe: [] },
];
export const USUAL_CONSENTS = 4;

export interface MediumCell {
  text: string;
  exact: boolean;
  maybe: boolean;
}
export const MEDIA: readonly MediumCell[] = [
  { text: 'email', exact: true, maybe: true },
  { text: ' EMAIL ', exact: true, maybe: true },
  { text: 'E-Mail', exact: false, maybe: true },
  { text: '', exact: false, maybe: true },
  { text: 'sms', exact: false, maybe: false },
];
export const USUAL_MEDIA = 2;

/** Opt-out cells: the first ones clearly say "not set", the others are set (doubt excludes). */
export const OPT_OUT_VALUES: readonly string[] = [
  ...['', '0', 'no', ' No ', 'false', 'f', 'n', 'null'],
  ...['1', ' yes', 'TRUE ', 'x', '2026-01-01', 'ja', '\u0000', 'no\u200b', '\ufffd', '0.0'],
];
export const NOT_SET_OPT_OUTS = 8;
export const OPT_OUT_COLUMNS = ['consent_withdrawn', 'bounced', 'unsubscribed'] as const;

/** Technical fields: `ok` says whether a row with this value can be sent. */
export const ENTITY_TYPES: ReadonlyArray<[string, boolean]> = [
  ['contact', true],
  ['lead', true],
  [' Account ', true],
  ['CONTACT', true],
  ['other', false],
  ['', false],
];
export const ENTITY_IDS: ReadonlyArray<[string, boolean]> = [
  ['C1', true],
  ['C2', true],
  ['L7', true],
  ['A3', true],
  ['', false],
  ['C\u00001', false],
  ['C\ufffd1', false],
  ['E'.repeat(300), false],
];
export const DESCRIPTIONS: ReadonlyArray<[string, boolean]> = [
  ['Newsletter', true],
  ['', true],
  ['\u202eevil\u202c', true],
  ['bell\u0007', false],
  ['d'.repeat(300), false],
];
/** Attribute values: sent, stripped or cut (the default `strip` policy), never a reason to exclude. */
export const FIRST_NAMES: readonly string[] = [
  'Anna',
  'Zoë',
  '',
  'Ann\u0008a',
  'Nul\u0000l',
  '\u202eknaB',
  'M\ufffdller',
  'é'.repeat(400),
  'Line\r\nBreak',
  '=HYPERLINK("x")',
];
export const CONSENT_TIMES: readonly string[] = ['2020-01-01T00:00:00Z', '', 'garbage', '2020-01-01 00:00:00', '2099-01-01T00:00:00Z'];
