import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const root = join(__dirname, '..', '..');

const SAMPLES = {
  builtin: "import * as fs from 'fs';\nexport const x = fs;\n",
  runtimeSrc: "import { createWorker } from '../src/worker';\nexport const x = createWorker;\n",
  typeOnlySrc: "import type { RuntimeEnv } from '../src/config/runtime-env';\nexport type X = RuntimeEnv;\n",
};

/** Lints every sample as if it were workflows/smoke.ts, through our real ESLint configuration. */
function lintAsWorkflow(): Record<keyof typeof SAMPLES, string[]> {
  const inputs = Object.values(SAMPLES).map((text) => ({ filePath: join(root, 'workflows', 'smoke.ts'), text }));
  const run = spawnSync(process.execPath, [join(__dirname, '..', 'helpers', 'lint-texts.mjs')], {
    cwd: root,
    input: JSON.stringify(inputs),
    encoding: 'utf8',
  });
  if (run.status !== 0) throw new Error(`eslint failed: ${run.stderr}`);
  const results = JSON.parse(run.stdout) as string[][];
  return Object.fromEntries(Object.keys(SAMPLES).map((key, i) => [key, results[i] ?? []])) as Record<keyof typeof SAMPLES, string[]>;
}

describe('ESLint workflow sandbox rules', () => {
  let messages: ReturnType<typeof lintAsWorkflow>;

  beforeAll(() => {
    messages = lintAsWorkflow();
  }, 300_000);

  it('rejects a Node built-in imported into workflow code', () => {
    expect(messages.builtin.join('\n')).toMatch(/no-restricted-imports: 'fs' import is restricted/);
  });

  it('rejects a runtime import of src/ from workflow code', () => {
    expect(messages.runtimeSrc.join('\n')).toMatch(/Workflows may import only types/);
  });

  it('accepts a type-only import of src/', () => {
    expect(messages.typeOnlySrc).toEqual([]);
  });
});
