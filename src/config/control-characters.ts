// Text of the configuration holding a control character other than tab, line feed and carriage
// return (SQL queries are written over lines): a NUL in a file name (`dataDir`, a feedback folder, the
// state store's file) failed only when the path was first opened, in Node's own words quoting it, and
// a control character in `username` or a name went into SOAP calls and logs. Refused at start naming
// the setting and the character's position, never quoting the text (it may be a secret pasted in).

// eslint-disable-next-line no-control-regex -- finding control characters is the point
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/;

/** Every string of the raw file (keys too) holding such a character, as `path: problem`. */
export function controlCharacterProblems(raw: unknown, path: Array<string | number> = []): string[] {
  if (typeof raw === 'string') return problemOf(raw, path);
  if (raw === null || typeof raw !== 'object') return [];
  return Object.entries(raw).flatMap(([key, value]) => {
    const at = [...path, Array.isArray(raw) ? Number(key) : key];
    const keyProblem = Array.isArray(raw) ? [] : problemOf(key, path, 'a key');
    return [...keyProblem, ...controlCharacterProblems(value, at)];
  });
}

function problemOf(text: string, path: Array<string | number>, what = 'the value'): string[] {
  const found = CONTROL.exec(text);
  if (!found) return [];
  const code = found[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0');
  return [
    `${path.join('.') || '(root)'}: ${what} holds a control character (U+${code} at position ${found.index}); only tab and line breaks are allowed`,
  ];
}
