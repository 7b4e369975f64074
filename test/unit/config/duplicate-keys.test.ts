import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { findDuplicateJsonKeys } from '../../../src/config/json-duplicate-keys';
import { loadConfig } from '../../../src/config/load-config';
import { demoConfig } from '../../../src/demo/demo-config';
import { ConfigError } from '../../../src/errors/config-error';

// JSON.parse keeps the last of two equal keys in one object. A configuration file holding a list's
// `optInId` (or `listId`, `query`, an attribute mapping's column) twice loaded under whichever came
// last: a merge resolved by keeping both sides sent the list under the other consent, or cleared
// another Optimizely list. Which one the operator meant is a guess, so such a file is refused,
// naming the setting and both lines.

type Pairs = { pairs: [string, Tree][] };
type Tree = Pairs | Tree[] | string | number | boolean | null;

function toTree(value: unknown): Tree {
  if (Array.isArray(value)) return value.map(toTree);
  if (value !== null && typeof value === 'object') return { pairs: Object.entries(value).map(([k, v]) => [k, toTree(v)]) };
  return value as Tree;
}

/** A key written with some characters as `\uXXXX` escapes: the same key to any JSON reader. */
function writeKey(key: string, escapeMask: number): string {
  return `"${Array.from(key)
    .map((ch, n) =>
      (escapeMask >> (n % 16)) & 1 && ch.length === 1
        ? `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`
        : JSON.stringify(ch).slice(1, -1),
    )
    .join('')}"`;
}

function write(tree: Tree, escapeMask: number, indent = ''): string {
  const inner = `${indent}  `;
  if (Array.isArray(tree)) return `[\n${tree.map((t) => inner + write(t, escapeMask, inner)).join(',\n')}\n${indent}]`;
  if (tree !== null && typeof tree === 'object')
    return `{\n${tree.pairs.map(([k, v]) => `${inner}${writeKey(k, escapeMask)}: ${write(v, escapeMask, inner)}`).join(',\n')}\n${indent}}`;
  return JSON.stringify(tree);
}

/** Every object of the tree with its path. */
function objectsOf(tree: Tree, path: (string | number)[] = []): { path: (string | number)[]; object: Pairs }[] {
  if (Array.isArray(tree)) return tree.flatMap((t, n) => objectsOf(t, [...path, n]));
  if (tree === null || typeof tree !== 'object') return [];
  return [{ path, object: tree }, ...tree.pairs.flatMap(([k, v]) => objectsOf(v, [...path, k]))];
}

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'config-duplicates-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function load(text: string): ConfigError | undefined {
  const file = join(dir, 'config.json');
  writeFileSync(file, text);
  try {
    loadConfig(file);
    return undefined;
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
}

const duplicate = fc.record({
  objectIndex: fc.nat(),
  keyIndex: fc.nat(),
  at: fc.nat(),
  value: fc.oneof(fc.constant<Tree>('12'), fc.constant<Tree>(201), fc.constant<Tree>(null), fc.string({ maxLength: 8 })),
  sameValue: fc.boolean(),
  escapeMask: fc.nat({ max: 0xffff }),
});

describe('a configuration file that gives a key twice in one object', () => {
  it('is refused, naming the setting and both lines, whatever the key, value, place or escapes', () => {
    fc.assert(
      fc.property(duplicate, ({ objectIndex, keyIndex, at, value, sameValue, escapeMask }) => {
        const tree = toTree(demoConfig());
        const objects = objectsOf(tree).filter((o) => o.object.pairs.length > 0);
        const { path, object } = objects[objectIndex % objects.length]!;
        const [key, original] = object.pairs[keyIndex % object.pairs.length]!;
        object.pairs.splice(at % (object.pairs.length + 1), 0, [key, sameValue ? original : value]);
        const error = load(write(tree, escapeMask));
        expect(error?.problems).toContainEqual(expect.stringMatching(/^.+: given twice in one object \(lines \d+ and \d+\)/));
        expect(error?.problems.some((p) => p.startsWith(`${[...path, key].join('.')}: given twice`))).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('is not refused for equal keys in different objects, however the keys are escaped', () => {
    fc.assert(
      fc.property(fc.nat({ max: 0xffff }), (escapeMask) => {
        const text = write(toTree(demoConfig()), escapeMask);
        expect(findDuplicateJsonKeys(text)).toEqual([]);
        expect(load(text)).toBeUndefined();
      }),
      { numRuns: 50 },
    );
  });

  it('example: a list whose optInId a merge left twice', () => {
    const text = JSON.stringify(demoConfig(), null, 2).replace('"optInId": "11",', '"optInId": "11",\n          "optInId": "12",');
    const error = load(text);
    expect(error?.problems).toEqual([
      expect.stringMatching(
        /^clients\.0\.lists\.0\.optInId: given twice in one object \(lines \d+ and \d+\); which one is meant would be a guess/,
      ),
    ]);
  });

  it('names keys in nested arrays and objects by their path, and reads any JSON', () => {
    expect(findDuplicateJsonKeys('{"a":[1,{"b":{"c":true,"c":false}}],"a":"x"}')).toEqual([
      { path: ['a', 1, 'b', 'c'], firstLine: 1, line: 1 },
      { path: ['a'], firstLine: 1, line: 1 },
    ]);
    expect(findDuplicateJsonKeys('{"\\"q\\\\":1,\n"\\u0022q\\u005c":-1.5e3}')).toEqual([{ path: ['"q\\'], firstLine: 1, line: 2 }]);
    expect(findDuplicateJsonKeys('[[]]')).toEqual([]);
  });
});
