// Keys a JSON text gives twice in one object. JSON.parse keeps the last without a word, so a file
// holding `"optInId": "11"` and, further down the same list, `"optInId": "12"` (a merge resolved
// by keeping both sides, a block pasted twice) loaded under the consent of whichever came last: the
// operator meant one of them, and which one is a guess. Only called on text JSON.parse has read.

export interface DuplicateJsonKey {
  /** The object's path and the key (`['clients', 0, 'lists', 0, 'optInId']`). */
  path: (string | number)[];
  firstLine: number;
  line: number;
}

/** Duplicates reported at most: one is enough to refuse the file, a thousand would drown the others. */
const REPORTED_MAX = 20;

const STRING = /"(?:[^"\\]|\\.)*"/y;
const SCALAR = /[^,\]}\s]+/y;

/** Every key given twice in one object of `text` (valid JSON), in the order met, at most REPORTED_MAX. */
export function findDuplicateJsonKeys(text: string): DuplicateJsonKey[] {
  const found: DuplicateJsonKey[] = [];
  let i = 0;
  const ws = () => {
    while (i < text.length && ' \t\n\r'.includes(text.charAt(i))) i++;
  };
  const string = (): string => {
    STRING.lastIndex = i;
    const match = STRING.exec(text);
    if (match === null) throw new Error('not JSON');
    i = STRING.lastIndex;
    return JSON.parse(match[0]) as string; // decodes escapes: "\u0041" and "A" are one key
  };
  const value = (path: (string | number)[]): void => {
    ws();
    const ch = text.charAt(i);
    if (ch === '"') return void string();
    if (ch === '[') {
      i++;
      for (let n = 0; ; n++) {
        ws();
        if (text.charAt(i) === ']') return void i++;
        value([...path, n]);
        ws();
        if (text.charAt(i) === ',') i++;
      }
    }
    if (ch === '{') {
      i++;
      const seen = new Map<string, number>();
      for (;;) {
        ws();
        if (text.charAt(i) === '}') return void i++;
        const at = i;
        const key = string();
        const first = seen.get(key);
        if (first !== undefined && found.length < REPORTED_MAX)
          found.push({ path: [...path, key], firstLine: lineOf(text, first), line: lineOf(text, at) });
        if (first === undefined) seen.set(key, at);
        ws();
        i++; // ':'
        value([...path, key]);
        ws();
        if (text.charAt(i) === ',') i++;
      }
    }
    SCALAR.lastIndex = i;
    if (SCALAR.exec(text) === null) throw new Error('not JSON');
    i = SCALAR.lastIndex;
  };
  try {
    value([]);
  } catch {
    // Nesting deeper than the stack: no setting lies that deep, so the schema refuses the file anyway.
  }
  return found;
}

function lineOf(text: string, offset: number): number {
  let line = 1;
  for (let at = text.indexOf('\n'); at !== -1 && at < offset; at = text.indexOf('\n', at + 1)) line++;
  return line;
}
