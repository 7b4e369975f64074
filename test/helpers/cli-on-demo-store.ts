import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CliIo } from '../../src/cli/cli-io';
import { runCli } from '../../src/cli/run-cli';
import { demoConfig } from '../../src/demo/demo-config';
import { createStateStore } from '../../src/store/create-state-store';
import type { StateStore } from '../../src/store/state-store';

/**
 * `campaign-sync` in process against the demo configuration with a SQLite state store of its own,
 * which `seed` fills before the file's tests run (no Temporal, no simulator): for tests of what the
 * store-reading commands (`why`, `report`, `runs`) print. Registers its own beforeAll / afterAll.
 */
export function useCliOnDemoStore(prefix: string, seed: (store: StateStore) => Promise<void>) {
  let dir = '';
  let configFile = '';
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), `${prefix}-`));
    configFile = join(dir, 'config.json');
    const raw = demoConfig() as { store: { file: string } };
    raw.store.file = join(dir, 'state.sqlite');
    writeFileSync(configFile, JSON.stringify(raw));
    const store = await createStateStore({ kind: 'sqlite', file: raw.store.file });
    try {
      await seed(store);
    } finally {
      await store.close();
    }
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  return {
    /** A path in the test's own folder (for `report --csv`). */
    path: (name: string) => join(dir, name),
    /** Runs one invocation; `env` adds to the environment it sees (which names the test's configuration). */
    async cli(argv: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number; out: string; err: string }> {
      const out: string[] = [];
      const err: string[] = [];
      const io: CliIo = { out: (t) => out.push(t), err: (t) => err.push(t), env: { ...env, CAMPAIGN_SYNC_CONFIG: configFile }, tty: false };
      const code = await runCli(argv, io);
      return { code, out: out.join('\n'), err: err.join('\n') };
    },
  };
}
