import { ApplicationFailure, log, patched } from '@temporalio/workflow';
import {
  DAILY_SIGNALS_CHECKED_PATCH,
  DAILY_SIGNAL_TEXT_VISIBLE_PATCH,
  DAILY_SIGNAL_UNDECODABLE_PATCH,
  LIST_SIGNALS_CHECKED_PATCH,
  LIST_SIGNAL_TEXT_VISIBLE_PATCH,
  LIST_SIGNAL_UNDECODABLE_PATCH,
} from './patches';
import { decodedOrIgnored } from './received-signal';

// What the daily run and the list sync share about operator messages: the message, the answer an
// Update returns, and the checks every validator starts with. Operator text is hostile until checked:
// it ends up in the audit trail, in status screens and in terminals.

/** Every operator message says who sent it and why; both are recorded in the state store. */
export interface OperatorSignal {
  by: string;
  reason?: string;
}

/** What a workflow answers an accepted operator Update: what it did, in its own words. */
export interface OperatorAnswer {
  action: string;
  workflowId: string;
  /** The workflow's phase when it acted. */
  phase: string;
  did: string;
}

/** Bounds of operator text: long enough for a sentence, short enough for a status line and the audit table. */
export const MAX_BY_LENGTH = 100;
export const MAX_REASON_LENGTH = 500;

/** The failure type a refused Update carries: the CLI reads it to tell a refusal from a fault. */
export const ACTION_REFUSED = 'ActionRefusedError';

/** Refuses an operator Update with a reason the operator can act on (validators only: nothing is recorded). */
export function refuse(reason: string): never {
  throw ApplicationFailure.create({ type: ACTION_REFUSED, message: reason, nonRetryable: true });
}

// Every character of the Unicode categories Cc (C0 and C1 controls: escape sequences, newlines that
// forge log lines), Cf (format: bidi overrides and isolates that make text read differently than it
// is, zero-width spaces, byte-order marks, the tag characters that hide text inside what looks like
// an emoji), Zl and Zp (U+2028, U+2029: line breaks to a log viewer) and Cs (lone surrogates). Zero-width
// (non-)joiners stay allowed: emoji and some scripts need them. The two invisible blocks, the general
// punctuation format range U+2060–U+206F and the tag block U+E0000–U+E007F, are refused whole: their
// unassigned code points (U+2065, U+E0000, U+E0002–U+E001F) are not Cf but render as nothing too.
const FORBIDDEN = /(?![\u200c\u200d])[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}\u2060-\u206f\u{e0000}-\u{e007f}]/u;

/**
 * Default-ignorable code points outside Cf that render as nothing: the combining grapheme joiner
 * U+034F, the Hangul fillers U+115F, U+1160, U+3164 and U+FFA0 (letters by category: a `by` of one
 * filler passed every check and approved a held list for nobody visible), the Khmer inherent vowels
 * U+17B4/5 and the Mongolian variation selectors U+180B–U+180D, U+180F. Listed, not `\p{DI}`, so that
 * a later Unicode cannot change what a replayed signal check decided. The variation selectors
 * U+FE00–U+FE0F and U+E0100–U+E01EF stay allowed: emoji and CJK names need them.
 */
// The marks as alternatives, not in a class: a combining mark inside a class reads as combined with its neighbour.
const INVISIBLE_LETTERS = /\u034f|\u17b4|\u17b5|\u180b|\u180c|\u180d|\u180f|[\u115f\u1160\u3164\uffa0]/u;

/** A character someone can see: not white space, a mark or variation selector, a zero-width (non-)joiner or the braille blank. */
const VISIBLE = /[^\s\p{M}\u2800\u200c\u200d]/u;

/**
 * An e-mail address (something@domain.tld) anywhere in the text. A reason is an Update argument, kept in
 * the workflow history for its retention, where no recipient data may go; "complaint from
 * jane@example.com" names a recipient. `by` is the operator's own name or address and stays allowed.
 */
const ADDRESS = /[^\s@]@[^\s@]+\.[^\s@]/u;

/**
 * The same address with the at sign or a dot written as a look-alike a reader takes for it: the
 * full-width and small commercial at (U+FF20, U+FE6B), the full-width full stop U+FF0E and the
 * ideographic full stops U+3002, U+FF61 (domain names read these as dots; the suppression keys fold
 * them too). `jane＠example.com` named the recipient as plainly and passed.
 */
const ADDRESS_LOOK_ALIKE = /[^\s@\uff20\ufe6b][@\uff20\ufe6b][^\s@\uff20\ufe6b]+[.\uff0e\u3002\uff61][^\s@\uff20\ufe6b]/u;

/**
 * Which checks apply: `all`, or `before-visible-text` (without the invisible letters, the visible
 * sender and the address look-alikes): what a signal of a run without the visible-text patch was
 * checked against, kept so that such a run replays as it ran.
 */
export type TextRules = 'all' | 'before-visible-text';

/** Why an operator text is refused, or undefined when it is acceptable. */
export function operatorTextProblem(
  field: 'by' | 'reason',
  value: unknown,
  required: boolean,
  rules: TextRules = 'all',
): string | undefined {
  if (value === undefined || value === null) return required ? `${field} is required` : undefined;
  if (typeof value !== 'string') return `${field} must be text`;
  const max = field === 'by' ? MAX_BY_LENGTH : MAX_REASON_LENGTH;
  if (required && value.trim() === '') return `${field} is empty`;
  if (value.length > max) return `${field} is longer than ${max} characters (${value.length})`;
  const bad = FORBIDDEN.exec(value) ?? (rules === 'all' ? INVISIBLE_LETTERS.exec(value) : null);
  if (bad) return `${field} contains a control or invisible character (U+${codePoint(bad[0])} at position ${bad.index})`;
  if (rules === 'all' && required && !VISIBLE.test(value)) return `${field} has no visible character`;
  if (field === 'reason' && (ADDRESS.test(value) || (rules === 'all' && ADDRESS_LOOK_ALIKE.test(value))))
    return 'reason contains an e-mail address: it would be kept in the workflow history; name the person by entity id or a ticket instead';
  return undefined;
}

/** Why an operator message is not acceptable (who and why, bounded and printable; a list key as text where one is named), or undefined. */
export function operatorMessageProblem(message: unknown, options: { listKey?: boolean; rules?: TextRules } = {}): string | undefined {
  if (typeof message !== 'object' || message === null) return 'the message must be an object with by and reason';
  const { by, reason, listKey } = message as Record<string, unknown>;
  if (options.listKey && typeof listKey !== 'string') return 'listKey must be text';
  return operatorTextProblem('by', by, true, options.rules) ?? operatorTextProblem('reason', reason, false, options.rules);
}

/** The fields every operator message takes. */
export const OPERATOR_FIELDS: readonly string[] = ['by', 'reason'];

/**
 * The first check of every operator validator: the message carries only the fields it takes (`by`,
 * `reason` and the validator's own, such as `listKey` or `runId`), then who and why, bounded and
 * printable. An accepted Update's arguments are kept in the workflow history whole, so a field nobody
 * checks (a `note` naming a recipient, a megabyte `x`) would land there unchecked. Validators only:
 * signals keep their checks as recorded histories replay them (signalProblem).
 */
export function checkOperatorText(message: unknown, fields: readonly string[] = OPERATOR_FIELDS): void {
  const problem = unknownFieldProblem(message, fields) ?? operatorMessageProblem(message);
  if (problem) refuse(problem);
}

/** The first own field of an object message that is not one of `fields`, named in a bounded refusal. */
export function unknownFieldProblem(message: unknown, fields: readonly string[]): string | undefined {
  if (typeof message !== 'object' || message === null) return undefined;
  // A JSON payload's `__proto__` is an own field (JSON.parse), listed by Object.keys like any other.
  const unknownField = Object.keys(message).find((key) => !fields.includes(key));
  if (unknownField === undefined) return undefined;
  return `the message has a field it does not take (${printable(unknownField)}): it takes ${fields.join(', ')}`;
}

/**
 * An Update validator that refuses any argument past the message before `validate` sees it: every
 * argument of an accepted Update is kept in the history, and a second one was accepted unread.
 */
export function updateValidator<M>(validate: (message: M) => void): (...args: unknown[]) => void {
  return (...args) => {
    if (args.length > 1) refuse(`the Update takes one message; ${args.length} arguments were given`);
    validate(args[0] as M);
  };
}

/** The patches a signal check asks, each only for a message its own checks refuse. */
export interface SignalPatches {
  /** Signals get the Update's checks (the *-operator-signals-checked patches). */
  checked: () => boolean;
  /** Those checks include the invisible letters, the visible sender and the address look-alikes. */
  visibleText: () => boolean;
  /** A signal whose payload cannot be decoded is ignored (workflows/received-signal.ts). */
  undecodable: () => boolean;
}

/** The patches the daily run's signal checks ask. */
export const DAILY_SIGNAL_PATCHES: SignalPatches = {
  checked: () => patched(DAILY_SIGNALS_CHECKED_PATCH),
  visibleText: () => patched(DAILY_SIGNAL_TEXT_VISIBLE_PATCH),
  undecodable: () => patched(DAILY_SIGNAL_UNDECODABLE_PATCH),
};

/** The patches a list sync's signal checks ask. */
export const LIST_SIGNAL_PATCHES: SignalPatches = {
  checked: () => patched(LIST_SIGNALS_CHECKED_PATCH),
  visibleText: () => patched(LIST_SIGNAL_TEXT_VISIBLE_PATCH),
  undecodable: () => patched(LIST_SIGNAL_UNDECODABLE_PATCH),
};

/**
 * What is wrong with a signal's message and which patch ignoring it needs: `checked` when the checks
 * before the visible-text rules refuse it already, `visibleText` when only those rules do.
 */
export function signalProblem(
  message: unknown,
  options: { listKey?: boolean } = {},
): { problem: string; patch: keyof SignalPatches } | undefined {
  const problem = operatorMessageProblem(message, options);
  if (problem === undefined) return undefined;
  const before = operatorMessageProblem(message, { ...options, rules: 'before-visible-text' });
  return before === undefined ? { problem, patch: 'visibleText' } : { problem: before, patch: 'checked' };
}

/**
 * True when a signal is to be ignored: its message fails the checks an Update's validator makes. A
 * signal has nobody to answer, and before this check a message without `by` approved a held list for
 * nobody, one that was not an object stopped the run at a TypeError on every workflow task, and
 * control characters reached the audit trail and the status. The patch that applies (signalProblem)
 * is asked only for a message with a problem, so histories of well-formed signals stay unchanged,
 * and a history that acted on such a message (before the patch) replays as it ran.
 */
function ignoredSignal(signal: string, message: unknown, patches: SignalPatches, options: { listKey?: boolean } = {}): boolean {
  const found = signalProblem(message, options);
  if (found === undefined || !patches[found.patch]()) return false;
  log.warn('Operator signal ignored', { signal, problem: found.problem });
  return true;
}

/**
 * The message of an operator signal received undecoded (receivedSignal) that the run acts on, or
 * undefined when it ignores it: a payload it cannot decode, or a message the checks refuse (ignoredSignal).
 */
export function handledSignal<M>(
  signal: string,
  args: readonly unknown[],
  patches: SignalPatches,
  options: { listKey?: boolean } = {},
): { message: M } | undefined {
  const received = decodedOrIgnored(signal, args, patches.undecodable);
  if (received === undefined || ignoredSignal(signal, received.message, patches, options)) return undefined;
  return received as { message: M };
}

/** A key an operator typed, shortened and made printable for a refusal message. */
export function printable(value: unknown): string {
  const text = typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value));
  const shown = text.length > 60 ? `${text.slice(0, 60)}…` : text;
  return JSON.stringify(shown).replace(new RegExp(FORBIDDEN.source, 'gu'), '?');
}

function codePoint(char: string): string {
  return (char.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0');
}
