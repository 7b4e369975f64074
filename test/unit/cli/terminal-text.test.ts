import fc from 'fast-check';
import { terminalBlock, terminalLine, terminalSafeIo } from '../../../src/cli/terminal-text';

// Whatever text reaches the terminal, nothing in it is a character the terminal acts on; JSON
// output stays JSON with the same values.

// eslint-disable-next-line no-control-regex -- finding raw control characters is the point
const ACTS_ON = /[\u0000-\u001F\u007F-\u009F\u061C\u200E\u200F\u2028\u2029\u202A-\u202E\u2066-\u2069]/;
const hostile = fc.string({
  unit: fc.oneof(
    fc.constantFrom('\u001b', '\u009b', '\u0007', '\r', '\n', '\u007f', '\u202e', '\u2066', '\u2028', '['),
    fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }),
  ),
});

describe('terminal text', () => {
  it('shows escape sequences, C1 controls and bidi overrides as visible escapes', () => {
    expect(terminalLine('Anna\u001b[2J\u001b]0;title\u0007')).toBe('Anna\\u001B[2J\\u001B]0;title\\u0007');
    expect(terminalLine('\u009b31m \u007f \u202eevil')).toBe('\\u009B31m \\u007F \\u202Eevil');
    expect(terminalLine('two\nlines\r')).toBe('two\\u000Alines\\u000D');
    expect(terminalBlock('two\nlines\r')).toBe('two\nlines\\u000D');
  });

  it('leaves nothing a terminal acts on, and only our own line breaks in a block', () => {
    fc.assert(
      fc.property(hostile, (text) => {
        expect(terminalLine(text)).not.toMatch(ACTS_ON);
        expect(terminalBlock(text).split('\n')).toHaveLength(text.split('\n').length);
        for (const line of terminalBlock(text).split('\n')) expect(line).not.toMatch(ACTS_ON);
      }),
      { numRuns: 2000 },
    );
  });

  it('keeps JSON output parseable with the original values', () => {
    fc.assert(
      fc.property(fc.dictionary(hostile, hostile, { maxKeys: 4 }), (value) => {
        const printed = terminalBlock(JSON.stringify(value, null, 2));
        expect(JSON.parse(printed)).toEqual(value);
      }),
      { numRuns: 1000 },
    );
  });

  it('wraps a CLI I/O so every write is safe, keeping its own clear-screen', () => {
    const out: string[] = [];
    let cleared = 0;
    const io = terminalSafeIo({ out: (t) => out.push(t), err: (t) => out.push(t), env: {}, tty: true, clearScreen: () => (cleared += 1) });
    io.out('a\u001b[2J');
    io.err('b\u009b');
    io.clearScreen?.();
    expect(out).toEqual(['a\\u001B[2J', 'b\\u009B']);
    expect(cleared).toBe(1);
  });
});
