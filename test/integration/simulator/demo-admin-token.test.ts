import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../../src/config/load-config';
import { adminTokenFile, DEMO_CONFIG_FILE, provideDemoPassword, startDemoSimulator } from '../../../src/stack/demo-fixtures';

describe('npm start simulator', () => {
  const dir = mkdtempSync(join(tmpdir(), 'demo-token-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('puts the admin surface behind a fresh token kept in an owner-only file', async () => {
    provideDemoPassword();
    const demo = loadConfig(DEMO_CONFIG_FILE);
    const config = { ...demo, dataDir: dir, clients: demo.clients.map((client) => ({ ...client, endpoint: 'http://127.0.0.1:0' })) };
    const sim = await startDemoSimulator(config);
    try {
      const token = readFileSync(adminTokenFile(config), 'utf8').trim();
      expect(token.length).toBeGreaterThanOrEqual(32);
      expect(statSync(adminTokenFile(config)).mode & 0o777).toBe(0o600);
      expect((await fetch(`${sim.url}/admin/health`)).status).toBe(401);
      expect((await fetch(`${sim.url}/admin/health`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(200);
    } finally {
      await sim.stop();
    }
  });
});
