import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { demoConfig } from '../../../src/demo/demo-config';
import { TEST_TEMPORAL_ADDRESS_VAR } from '../../helpers/temporal-env';

const bin = join(__dirname, '../../../bin/campaign-sync.js');

/** The real `campaign-sync` executable in a process of its own; resolves with its exit code. */
async function spawnCli(args: string[], env: NodeJS.ProcessEnv) {
  try {
    const { stdout, stderr } = await promisify(execFile)(bin, args, { env: { ...process.env, ...env }, timeout: 60_000 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

describe('bin/campaign-sync.js', () => {
  let dir: string;
  let configFile: string;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'cli-bin-'));
    configFile = join(dir, 'config.json');
    const raw = demoConfig() as { store: { file: string } };
    raw.store.file = join(dir, 'state.sqlite');
    writeFileSync(configFile, JSON.stringify(raw));
  });

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('answers status against the dev server and exits 0', async () => {
    const result = await spawnCli(['status', '--config', configFile], { TEMPORAL_ADDRESS: process.env[TEST_TEMPORAL_ADDRESS_VAR] });
    expect(result.stderr).toBe('');
    expect(result.stdout).toMatch(/^campaign-sync status: client demo at .*\nNo daily run open\.\nnewsletter {2}idle\noffers {6}idle\n$/);
    expect(result.code).toBe(0);
  });

  it('exits 2 with the usage for an unknown command', async () => {
    const result = await spawnCli(['frobnicate', '--config', configFile], {});
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('campaign-sync: unknown command frobnicate');
  });
});
