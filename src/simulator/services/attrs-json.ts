// Encodes one recipient's attribute values as the JSON object stored in recipients.attrs, exactly as
// JSON.stringify of { name: value, ... } would. addAll3 encodes 1000 rows per call with the same
// names: building a fresh object per row and stringifying it cost ~1/6 of the simulator's CPU per
// batch, so the key prefixes are encoded once and only the values per row.

/** Names whose object-key order would differ from plain concatenation (as would duplicates and __proto__). */
const INDEX_LIKE = /^(?:0|[1-9]\d*)$/;
/** Characters JSON.stringify escapes in a string (surrogates: lone ones are escaped). */
// eslint-disable-next-line no-control-regex
const NEEDS_ESCAPE = /["\\\u0000-\u001f\ud800-\udfff]/;

export type AttrsEncoder = (values: readonly (string | null | undefined)[]) => string;

export function attrsEncoder(names: readonly string[]): AttrsEncoder {
  const plain = new Set(names).size === names.length && !names.some((n) => INDEX_LIKE.test(n) || n === '__proto__');
  if (!plain) return (values) => slowEncode(names, values);
  const prefixes = names.map((name, i) => `${i === 0 ? '{' : ','}${JSON.stringify(name)}:`);
  return (values) => {
    if (prefixes.length === 0) return '{}';
    // Common case: all values are strings with nothing to escape, checked once on their concatenation.
    if (values.length >= prefixes.length && !values.includes(null) && !values.includes(undefined) && !NEEDS_ESCAPE.test(values.join(''))) {
      let out = '';
      for (let i = 0; i < prefixes.length; i++) out += `${prefixes[i]}"${values[i]}"`;
      return `${out}}`;
    }
    let out = '';
    for (let i = 0; i < prefixes.length; i++) {
      const value = values[i];
      out += prefixes[i] + (value === null || value === undefined ? 'null' : JSON.stringify(value));
    }
    return `${out}}`;
  };
}

/** Duplicate, index-like or __proto__ names: JavaScript object semantics decide what is written. */
function slowEncode(names: readonly string[], values: readonly (string | null | undefined)[]): string {
  const attrs: Record<string, string | null> = {};
  names.forEach((name, i) => (attrs[name] = values[i] ?? null));
  return JSON.stringify(attrs);
}
