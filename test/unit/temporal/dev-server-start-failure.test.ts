import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startDevServer } from '../../../src/temporal/dev-server';

// A dev server that never answers must not be left running by the start that gave up on it: nobody
// else holds its process, so it would keep its ports (and a persistent server's database file).

const freePort = () =>
  new Promise<number>((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });

const isRunning = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('startDevServer', () => {
  let dir: string;
  const saved = process.env.TEMPORAL_CLI_PATH;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'cs-dev-server-'));
  });
  afterEach(() => {
    process.env.TEMPORAL_CLI_PATH = saved;
    rmSync(dir, { recursive: true, force: true });
  });

  it('stops a server that never answered before it reports the failure', async () => {
    const pidFile = join(dir, 'pid');
    const cli = join(dir, 'temporal');
    // Stands in for a CLI that starts but never serves: records its pid, then waits.
    writeFileSync(cli, `#!/bin/sh\necho $$ > '${pidFile}'\nexec sleep 300\n`);
    chmodSync(cli, 0o755);
    process.env.TEMPORAL_CLI_PATH = cli;
    const port = await freePort();
    await expect(startDevServer({ port, uiPort: port + 1, headless: true, startTimeoutMs: 700 })).rejects.toThrow(
      `did not answer within 700 ms`,
    );
    const pid = Number(readFileSync(pidFile, 'utf8'));
    expect(pid).toBeGreaterThan(0);
    expect(isRunning(pid)).toBe(false);
  });
});
