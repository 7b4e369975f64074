// Where a JSON text first breaks the grammar, for an error message that names the position and
// nothing else. JSON.parse's own message cannot be used: depending on the error it quotes the text
// around the mistake (`Unexpected token 'x', "…"pass": x…" is not valid JSON`), and in a
// configuration file that text can be a password. Only called after JSON.parse has failed.

export interface JsonSyntaxError {
  line: number;
  column: number;
  problem: 'unexpected character' | 'unterminated string' | 'unexpected end of input' | 'text after the value';
}

class Stop extends Error {
  constructor(
    readonly offset: number,
    readonly problem: JsonSyntaxError['problem'],
  ) {
    super(problem);
  }
}

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const STRING_BODY = /(?:[^"\\\u0000-\u001F]|\\["\\/bfnrt]|\\u[0-9a-fA-F]{4})*/y; // eslint-disable-line no-control-regex -- JSON forbids raw control characters in strings

/** The first syntax error of `text` as line and column (both 1-based), or undefined when it parses. */
export function locateJsonSyntaxError(text: string): JsonSyntaxError | undefined {
  let i = 0;
  const ws = () => {
    while (i < text.length && ' \t\n\r'.includes(text.charAt(i))) i++;
  };
  const expect = (ch: string) => {
    if (i >= text.length) throw new Stop(i, 'unexpected end of input');
    if (text.charAt(i) !== ch) throw new Stop(i, 'unexpected character');
    i++;
  };
  const string = () => {
    expect('"');
    STRING_BODY.lastIndex = i;
    STRING_BODY.exec(text);
    i = STRING_BODY.lastIndex;
    if (i >= text.length) throw new Stop(i, 'unterminated string');
    expect('"');
  };
  const list = (close: string, member: () => void) => {
    i++;
    ws();
    if (text.charAt(i) === close) return void i++;
    for (;;) {
      member();
      ws();
      if (text.charAt(i) === close) return void i++;
      expect(',');
      ws();
    }
  };
  const value = (): void => {
    ws();
    const ch = text.charAt(i);
    if (i >= text.length) throw new Stop(i, 'unexpected end of input');
    if (ch === '{') return list('}', () => (string(), ws(), expect(':'), value()));
    if (ch === '[') return list(']', value);
    if (ch === '"') return string();
    for (const literal of ['true', 'false', 'null']) if (text.startsWith(literal, i)) return void (i += literal.length);
    NUMBER.lastIndex = i;
    if (NUMBER.exec(text) === null) throw new Stop(i, 'unexpected character');
    i = NUMBER.lastIndex;
  };
  try {
    value();
    ws();
    if (i < text.length) throw new Stop(i, 'text after the value');
    return undefined;
  } catch (error) {
    // Anything but a Stop (a stack overflow on absurd nesting) leaves the position unknown.
    return error instanceof Stop ? { ...lineAndColumn(text, error.offset), problem: error.problem } : undefined;
  }
}

function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const lineStart = before.lastIndexOf('\n') + 1;
  return { line: before.split('\n').length, column: offset - lineStart + 1 };
}
