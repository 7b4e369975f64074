import { ApplicationFailure, log } from '@temporalio/workflow';

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

/** Why an operator text is refused, or undefined when it is acceptable. */
export function operatorTextProblem(field: 'by' | 'reason', value: unknown, required: boolean): string | undefined {
  if (value === undefined || value === null) return required ? `${field} is required` : undefined;
  if (typeof value !== 'string') return `${field} must be text`;
  const max = field === 'by' ? MAX_BY_LENGTH : MAX_REASON_LENGTH;
  if (required && value.trim() === '') return `${field} is empty`;
  if (value.length > max) return `${field} is longer than ${max} characters (${value.length})`;
  const bad = FORBIDDEN.exec(value);
  if (bad) return `${field} contains a control or invisible character (U+${codePoint(bad[0])} at position ${bad.index})`;
  if (field === 'reason' && ADDRESS.test(value))
    return 'reason contains an e-mail address: it would be kept in the workflow history; name the person by entity id or a ticket instead';
  return undefined;
}

/**
 * An e-mail address (something@domain.tld) anywhere in the text. A reason is an Update argument, kept in
 * the workflow history for its retention, where no recipient data may go; "complaint from
 * jane@example.com" names a recipient. `by` is the operator's own name or address and stays allowed.
 */
const ADDRESS = /[^\s@]@[^\s@]+\.[^\s@]/u;

/** Why an operator message is not acceptable (who and why, bounded and printable; a list key as text where one is named), or undefined. */
export function operatorMessageProblem(message: unknown, options: { listKey?: boolean } = {}): string | undefined {
  if (typeof message !== 'object' || message === null) return 'the message must be an object with by and reason';
  const { by, reason, listKey } = message as Record<string, unknown>;
  if (options.listKey && typeof listKey !== 'string') return 'listKey must be text';
  return operatorTextProblem('by', by, true) ?? operatorTextProblem('reason', reason, false);
}

/** The first check of every operator validator: who and why, bounded and printable. */
export function checkOperatorText(message: unknown): void {
  const problem = operatorMessageProblem(message);
  if (problem) refuse(problem);
}

/**
 * True when a signal is to be ignored: its message fails the checks an Update's validator makes. A
 * signal has nobody to answer, and before this check a message without `by` approved a held list for
 * nobody, one that was not an object stopped the run at a TypeError on every workflow task, and
 * control characters reached the audit trail and the status. `checked` asks the caller's
 * patch (patched with the id): only new runs ignore, a history that acted on such a message replays as it ran. It
 * is asked only for a message with a problem, so histories of well-formed signals stay unchanged.
 */
export function ignoredSignal(signal: string, message: unknown, checked: () => boolean, options: { listKey?: boolean } = {}): boolean {
  const problem = operatorMessageProblem(message, options);
  if (problem === undefined || !checked()) return false;
  log.warn('Operator signal ignored', { signal, problem });
  return true;
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
