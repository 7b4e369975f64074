// A CRM database that refuses a statement says why in its own words, and those words may quote the
// values we bound: PostgreSQL's data exceptions do (`invalid input syntax for type integer: "<entity id>"`),
// and a CRM's own trigger may put any value in its message. The refusal ends up in logs and in the
// workflow history, where recipient data must never be. So the reason keeps the database's words with
// every bound value taken out (named by its parameter instead), quoted values of data and integrity
// errors blanked, and a length bound; the driver's error object (whose detail and cause carry the
// values too) is not kept.
import { CrmStatementError } from '../../errors/crm-statement-error';

/** Shorter than this, a bound value is no recipient data (an e-mail address has at least 3 characters). */
const MIN_REDACTED_LENGTH = 3;
/** A database message longer than this is cut: it is a hint for the operator, not a transcript. */
export const MAX_REFUSAL_REASON = 500;
/** SQLSTATE classes whose messages quote values: 22 data exception, 23 integrity constraint violation. */
const VALUE_QUOTING_CLASSES = ['22', '23'];

/** The CrmStatementError for a database's refusal of `statement` run with `params`. */
export function statementRefusal(statement: string, cause: unknown, params: Readonly<Record<string, unknown>>): CrmStatementError {
  if (cause instanceof CrmStatementError) return cause;
  const { message, code } = driverError(cause);
  const quoting = code !== undefined && VALUE_QUOTING_CLASSES.includes(code.slice(0, 2));
  const words = withoutBoundValues(quoting ? message.replace(/"[^"]*"/g, '"…"') : message, params);
  const reason = words.length > MAX_REFUSAL_REASON ? `${words.slice(0, MAX_REFUSAL_REASON)}…` : words;
  return new CrmStatementError(statement, code === undefined ? reason : `${reason} (SQLSTATE ${code})`);
}

/**
 * A selection query's failure, when its message may quote a row's value (SQLSTATE classes 22 and 23:
 * a cast of some row's column failed): the same treatment, naming the setting that holds the query.
 * Anything else (a dropped connection, a lock) is passed on as it is, retryable as before.
 */
export function selectionFailure(listKey: string, cause: unknown): unknown {
  const { code } = driverError(cause);
  if (code === undefined || !VALUE_QUOTING_CLASSES.includes(code.slice(0, 2))) return cause;
  return statementRefusal(`lists.${listKey}.query`, cause, {});
}

function driverError(cause: unknown): { message: string; code: string | undefined } {
  const message = cause instanceof Error ? cause.message : String(cause);
  const code = (cause as { code?: unknown } | null)?.code;
  return { message, code: typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) ? code : undefined };
}

/**
 * The message with every occurrence of a bound value replaced by `<:name>`, longest values first. The
 * message is cut into pieces at each occurrence and only the pieces are searched again, so a marker
 * never joins with its neighbours into a value.
 */
export function withoutBoundValues(message: string, params: Readonly<Record<string, unknown>>): string {
  const values = Object.entries(params)
    .flatMap(([name, value]) => boundTexts(value).map((text) => ({ name, text })))
    .sort((a, b) => b.text.length - a.text.length);
  let pieces: Array<string | { marker: string }> = [message];
  for (const { name, text } of values) {
    pieces = pieces.flatMap((piece) => (typeof piece === 'string' ? splitOn(piece, text, { marker: `<:${name}>` }) : [piece]));
  }
  return pieces.map((piece) => (typeof piece === 'string' ? piece : piece.marker)).join('');
}

function boundTexts(value: unknown): string[] {
  if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'bigint') return [];
  const text = String(value);
  return [...new Set([text, text.trim()])].filter((t) => t.trim().length >= MIN_REDACTED_LENGTH);
}

function splitOn<M>(piece: string, text: string, marker: M): Array<string | M> {
  const parts = piece.split(text);
  return parts.flatMap((part, i) => (i === 0 ? [part] : [marker, part]));
}
