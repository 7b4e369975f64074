import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const root = join(__dirname, '..', '..');

/** Lints `source` as if it were a workflow file, through the real ESLint CLI and our config. */
function lintAsWorkflow(source: string): string[] {
  const eslint = join(root, 'node_modules', '.bin', 'eslint');
  const run = spawnSync(eslint, ['--stdin', '--stdin-filename', 'workflows/smoke.ts', '--format', 'json'], {
    cwd: root,
    input: source,
    encoding: 'utf8',
  });
  const [result] = JSON.parse(run.stdout) as { messages: { ruleId: string; message: string }[] }[];
  return (result?.messages ?? []).map((m) => `${m.ruleId}: ${m.message}`);
}

describe('ESLint workflow sandbox rules', () => {
  it('rejects a Node built-in imported into workflow code', () => {
    const messages = lintAsWorkflow("import * as fs from 'fs';\nexport const x = fs;\n");
    expect(messages.join('\n')).toMatch(/no-restricted-imports: 'fs' import is restricted/);
  });

  it('rejects a runtime import of src/ from workflow code', () => {
    const messages = lintAsWorkflow("import { createWorker } from '../src/worker';\nexport const x = createWorker;\n");
    expect(messages.join('\n')).toMatch(/Workflows may import only types/);
  });

  it('accepts a type-only import of src/', () => {
    const messages = lintAsWorkflow("import type { RuntimeEnv } from '../src/config/runtime-env';\nexport type X = RuntimeEnv;\n");
    expect(messages).toEqual([]);
  });
});
