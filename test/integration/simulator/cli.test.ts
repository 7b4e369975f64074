import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { SEED_FILE } from './sim-harness';

const ROOT = join(__dirname, '../../..');

describe('simulator CLI', () => {
  let child: ChildProcess | undefined;
  const dir = mkdtempSync(join(tmpdir(), 'sim-cli-'));
  afterAll(async () => {
    if (child && child.exitCode === null) {
      child.kill('SIGTERM');
      await once(child, 'exit');
    }
    rmSync(dir, { recursive: true, force: true });
  });

  it('starts on a free port with a seed and the admin surface, and serves WSDLs', async () => {
    const tsx = join(ROOT, 'node_modules/.bin/tsx');
    child = spawn(tsx, ['src/simulator/main.ts', '--port', '0', '--data', join(dir, 'sim.db'), '--seed', SEED_FILE, '--admin'], { cwd: ROOT });
    let out = '';
    const url = await new Promise<string>((resolve, reject) => {
      child!.stdout!.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        const match = /"url":"([^"]+)"/.exec(out);
        if (match?.[1]) resolve(match[1]);
      });
      child!.once('exit', (code) => reject(new Error(`simulator exited with ${code}: ${out}`)));
    });
    expect((await fetch(`${url}/soap11/RpcRecipient?wsdl`)).status).toBe(200);
    expect(await (await fetch(`${url}/admin/health`)).json()).toEqual({ ok: true });
  });
});
