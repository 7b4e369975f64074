// The field names of an Optimizely list, read from a getAttributeNames answer. The answer comes from
// outside, so it is bounded and only well-formed names count; odd entries (nil, empty, not a string,
// over-long) can never make a field the mapping needs look present.
import { OptimizelyResponseError } from '../../errors/optimizely-response-error';

/** Far above any real list (recorded lists have 15 to 75 names); more means the answer is broken. */
export const MAX_LIST_FIELDS = 10_000;
/** Longer names are not Optimizely field names; they are ignored, never matched. */
export const MAX_FIELD_NAME_LENGTH = 255;

export interface ListFields {
  names: ReadonlySet<string>;
  /** Entries that were not usable names. */
  ignored: number;
}

/** The usable names of an attribute-name answer; throws when the answer is not a bounded array. */
export function readListFields(answer: unknown): ListFields {
  const where = { service: 'RecipientList', operation: 'getAttributeNames' };
  if (!Array.isArray(answer)) throw new OptimizelyResponseError('expected a list of attribute names', where);
  if (answer.length > MAX_LIST_FIELDS) {
    throw new OptimizelyResponseError(`answered ${answer.length} attribute names, more than ${MAX_LIST_FIELDS}`, where);
  }
  const usable = (answer as unknown[]).filter(isFieldName);
  return { names: new Set(usable), ignored: answer.length - usable.length };
}

function isFieldName(entry: unknown): entry is string {
  return typeof entry === 'string' && entry.length > 0 && entry.length <= MAX_FIELD_NAME_LENGTH;
}

/** The required names the list lacks, in the order required, each once. Exact match: Optimizely keeps case. */
export function missingFields(required: readonly string[], fields: ListFields): string[] {
  return [...new Set(required)].filter((name) => !fields.names.has(name));
}
