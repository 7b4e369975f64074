import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { locateJsonSyntaxError } from '../../../src/config/json-syntax-error';
import { loadConfig } from '../../../src/config/load-config';
import { ConfigError } from '../../../src/errors/config-error';

// A broken configuration file must be reported by position only: JSON.parse's own message quotes
// the text around the mistake, and that text can be a password.

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'config-syntax-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function loadText(text: string): ConfigError {
  const file = join(dir, 'broken.json');
  writeFileSync(file, text);
  try {
    loadConfig(file);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('the configuration loaded');
}

describe('loadConfig on a JSON syntax error', () => {
  it.each([
    ['a bare word after the password', '{\n  "clients": [{\n    "password": "S3cretPW" S3cretPW\n  }]\n}', 3, 28, 'unexpected character'],
    ['an unquoted password value', '{\n  "store": { "url": S3cretPW }\n}', 2, 21, 'unexpected character'],
    ['an unterminated password string', '{ "password": "S3cretPW', 1, 24, 'unterminated string'],
    ['a trailing comma after the password', '{ "password": "S3cretPW", }', 1, 27, 'unexpected character'],
    ['text after the document', '{ "a": 1 } S3cretPW', 1, 12, 'text after the value'],
  ])('names line and column only for %s', (_title, text, line, column, problem) => {
    const error = loadText(text);
    expect(error.problems).toEqual([`cannot read it as JSON: syntax error at line ${line}, column ${column} (${problem})`]);
    expect(error.message).not.toContain('S3cret');
  });

  it('reads a file that starts with a byte order mark', () => {
    const problems = loadText('\uFEFF{}').problems;
    expect(problems.length).toBeGreaterThan(0);
    expect(problems.join('\n')).not.toContain('JSON');
  });

  it('never quotes the file, wherever the mistake is', () => {
    const secret = fc.stringMatching(/^[A-Za-z0-9]{6,12}$/).map((s) => `Pw${s}`);
    fc.assert(
      fc.property(fc.json(), secret, fc.nat(), fc.constantFrom('x', '}', ',', '"', ':'), (json, password, at, junk) => {
        const valid = JSON.stringify({ password, rest: JSON.parse(json) as unknown }, null, 2);
        const cut = at % valid.length;
        const text = valid.slice(0, cut) + junk + password + valid.slice(cut);
        fc.pre(!parses(text));
        const error = loadText(text);
        expect(error.message).not.toContain(password);
        expect(error.problems[0]).toMatch(/^cannot read it as JSON: syntax error at line \d+, column \d+ \([a-z ]+\)$/);
      }),
      { numRuns: 200 },
    );
  });
});

describe('locateJsonSyntaxError', () => {
  it('agrees with JSON.parse on what is valid', () => {
    const mutated = fc
      .tuple(fc.json(), fc.nat(), fc.string({ maxLength: 3 }))
      .map(([json, at, insert]) => json.slice(0, at % (json.length + 1)) + insert + json.slice(at % (json.length + 1)));
    fc.assert(
      fc.property(fc.oneof(fc.json(), mutated, fc.string({ maxLength: 20 })), (text) => {
        expect(locateJsonSyntaxError(text) === undefined).toBe(parses(text));
      }),
      { numRuns: 5000 },
    );
  });
});

function parses(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}
