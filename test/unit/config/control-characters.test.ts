import fc from 'fast-check';
import { parseConfig } from '../../../src/config/load-config';
import { demoConfig } from '../../../src/demo/demo-config';
import { ConfigError } from '../../../src/errors/config-error';

// A control character other than tab and line breaks in any text of the configuration (a NUL in
// `dataDir` or the store's file, an ESC in `username`, a form feed in a list's `readyBy`) is refused at
// start naming the setting, never quoting the text. Loaded before wherever the setting's own rule did
// not look at its characters: a NUL in a path failed only when the path was first opened.

type Path = Array<string | number>;
function stringPaths(value: unknown, prefix: Path = []): Path[] {
  if (typeof value === 'string') return [prefix];
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([k, v]) => stringPaths(v, [...prefix, Array.isArray(value) ? Number(k) : k]));
}

const CONTROLS = ['\u0000', '\u0001', '\u0007', '\u0008', '\u000b', '\u000c', '\u000e', '\u001b', '\u001f', '\u007f', '\u0085', '\u009b'];

describe('a control character in any text of the configuration', () => {
  it('is refused naming the setting, without quoting the text', () => {
    const base = demoConfig();
    const paths = stringPaths(base);
    fc.assert(
      fc.property(fc.nat({ max: paths.length - 1 }), fc.constantFrom(...CONTROLS), fc.nat(), (which, control, at) => {
        const path = paths[which]!;
        const raw = JSON.parse(JSON.stringify(base)) as Record<string | number, unknown>;
        let parent = raw;
        for (const step of path.slice(0, -1)) parent = parent[step] as Record<string | number, unknown>;
        const last = path[path.length - 1]!;
        const text = parent[last] as string;
        const cut = at % (text.length + 1);
        parent[last] = `${text.slice(0, cut)}${control}${text.slice(cut)}`;
        let problems: string[] = [];
        try {
          parseConfig(raw, 'test.json', '/tmp');
        } catch (error) {
          expect(error).toBeInstanceOf(ConfigError);
          problems = (error as ConfigError).problems;
        }
        expect(problems.some((p) => p.startsWith(`${path.join('.')}: `))).toBe(true);
        for (const problem of problems) expect(problem).not.toContain(control);
      }),
      { numRuns: 300 },
    );
  });

  it('still loads tabs and line breaks (queries are written over lines)', () => {
    const raw = JSON.parse(JSON.stringify(demoConfig())) as { clients: Array<{ username: string }> };
    raw.clients[0]!.username = 'api\tuser';
    expect(() => parseConfig(raw, 'test.json', '/tmp')).not.toThrow();
  });
});
