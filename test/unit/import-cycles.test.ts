import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findImportCycles, SOURCE_ROOTS } from '../../scripts/import-cycles';

const root = join(__dirname, '..', '..');

/** Writes `files` (path → text) below a fresh temporary folder and returns the cycles found there. */
function cyclesIn(files: Record<string, string>): string[][] {
  const dir = mkdtempSync(join(tmpdir(), 'import-cycles-'));
  try {
    for (const [path, text] of Object.entries(files)) {
      mkdirSync(join(dir, path, '..'), { recursive: true });
      writeFileSync(join(dir, path), text);
    }
    return findImportCycles(dir, ['src']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('findImportCycles', () => {
  it('finds two files that import only types from each other', () => {
    const cycles = cyclesIn({
      'src/a.ts': "import type { B } from './b';\nexport type A = { b: B };\n",
      'src/b.ts': "import type { A } from './a';\nexport type B = { a?: A };\n",
    });
    expect(cycles).toEqual([['src/a.ts', 'src/b.ts']]);
  });

  it('finds a loop closed by `export type * from` through a folder index', () => {
    const cycles = cyclesIn({
      'src/store/index.ts': "export type * from './types';\n",
      'src/store/types.ts': "export type * from './extra';\nexport type J = string;\n",
      'src/store/extra.ts': "import type { J } from '.';\nexport type E = J;\n",
    });
    expect(cycles).toEqual([['src/store/extra.ts', 'src/store/index.ts', 'src/store/types.ts']]);
  });

  it('finds a runtime cycle of three files and a file importing itself', () => {
    const cycles = cyclesIn({
      'src/a.ts': "import { b } from './b';\nexport const a = () => b;\n",
      'src/b.ts': "import { c } from './c';\nexport const b = () => c;\n",
      'src/c.ts': "import { a } from './a';\nexport const c = () => a;\n",
      'src/self.ts': "import { s } from './self';\nexport const s = 1;\nexport const t = s;\n",
    });
    expect(cycles).toHaveLength(2);
    expect(cycles).toContainEqual(['src/a.ts', 'src/b.ts', 'src/c.ts']);
    expect(cycles).toContainEqual(['src/self.ts']);
  });

  it('accepts imports that run one way and ignores packages', () => {
    const cycles = cyclesIn({
      'src/json.ts': 'export type J = string;\n',
      'src/run.ts': "import type { J } from './json';\nimport { z } from 'zod';\nexport type R = J;\nexport const s = z;\n",
      'src/ledger.ts': "import type { J } from './json';\nimport type { R } from './run';\nexport type L = [J, R];\n",
    });
    expect(cycles).toEqual([]);
  });

  it('finds no cycle in the repository', () => {
    expect(findImportCycles(root, SOURCE_ROOTS)).toEqual([]);
  });
});
