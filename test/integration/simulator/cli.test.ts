import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { SEED_FILE } from '../../helpers/simulator-harness';

const ROOT = join(__dirname, '../../..');
const TOKEN = 'cli-test-admin-token-0123456789';

describe('simulator CLI', () => {
  const children: ChildProcess[] = [];
  const dir = mkdtempSync(join(tmpdir(), 'sim-cli-'));
  afterAll(async () => {
    for (const child of children.filter((c) => c.exitCode === null)) {
      child.kill('SIGTERM');
      await once(child, 'exit');
    }
    rmSync(dir, { recursive: true, force: true });
  });

  /** Starts `npm run simulator` on a free port and resolves with the URL it logs and its output so far. */
  function startCli(name: string, extra: string[], env: Record<string, string> = {}): Promise<{ url: string; output: () => string }> {
    const tsx = join(ROOT, 'node_modules/.bin/tsx');
    const args = ['src/simulator/main.ts', '--port', '0', '--data', join(dir, `${name}.db`), '--seed', SEED_FILE, '--admin', ...extra];
    const child = spawn(tsx, args, { cwd: ROOT, env: { ...process.env, ...env } });
    children.push(child);
    let out = '';
    return new Promise((resolve, reject) => {
      child.stdout!.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        const match = /"url":"([^"]+)"/.exec(out);
        if (match?.[1]) resolve({ url: match[1], output: () => out });
      });
      child.once('exit', (code) => reject(new Error(`simulator exited with ${code}: ${out}`)));
    });
  }

  it('starts on a free port with a seed and the admin surface, and serves WSDLs', async () => {
    const { url } = await startCli('open', []);
    expect((await fetch(`${url}/soap11/RpcRecipient?wsdl`)).status).toBe(200);
    expect(await (await fetch(`${url}/admin/health`)).json()).toEqual({ ok: true });
  });

  it.each([
    ['--admin-token', ['--admin-token', TOKEN], {}],
    ['CAMPAIGN_SYNC_SIMULATOR_ADMIN_TOKEN', [], { CAMPAIGN_SYNC_SIMULATOR_ADMIN_TOKEN: TOKEN }],
  ])('requires the admin token given by %s, and never logs it', async (name, extra, env) => {
    const { url, output } = await startCli(name.replace(/\W/g, ''), extra, env);
    expect((await fetch(`${url}/admin/health`)).status).toBe(401);
    expect((await fetch(`${url}/admin/health`, { headers: { authorization: `Bearer ${TOKEN}` } })).status).toBe(200);
    expect((await fetch(`${url}/soap11/RpcRecipient?wsdl`)).status).toBe(200);
    expect(output()).toContain('"adminToken":true');
    expect(output()).not.toContain(TOKEN);
  });
});
