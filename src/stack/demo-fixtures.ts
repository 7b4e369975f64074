import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CampaignSyncConfig } from '../config/config-schema';
import { DEMO_PASSWORD, DEMO_PASSWORD_ENV } from '../demo/demo-config';
import { generateDemoCrm } from '../demo/generate-demo-crm';
import { startSimulator, type RunningSimulator } from '../simulator';

export const DEMO_CONFIG_FILE = join(__dirname, '..', '..', 'config', 'demo.json');
const DEMO_SEED_FILE = join(__dirname, '..', '..', 'config', 'demo-simulator-seed.json');

/** The demo's password lives in the environment like a real one; it defaults for the demo only. */
export function provideDemoPassword(env: NodeJS.ProcessEnv = process.env): void {
  env[DEMO_PASSWORD_ENV] ??= DEMO_PASSWORD;
}

/** Writes the demo CRM the first time (deterministic for a seed), or when asked to. */
export function ensureDemoCrm(config: CampaignSyncConfig, contacts: number, regenerate: boolean): { file: string; generated: boolean } {
  if (config.crm.kind !== 'sqlite') return { file: '', generated: false };
  const file = config.crm.file;
  if (existsSync(file) && !regenerate) return { file, generated: false };
  generateDemoCrm({ contacts, file, seed: 1 });
  return { file, generated: true };
}

/** Where `npm start` leaves the simulator's admin token for the operator (owner-readable only). */
export const adminTokenFile = (config: CampaignSyncConfig): string => join(config.dataDir, 'simulator-admin-token');

/**
 * The local Optimizely simulator on the port of the demo client's endpoint, with its admin surface
 * behind a bearer token: the given one, or a fresh random one. Either way it is written to
 * adminTokenFile, never printed.
 */
export function startDemoSimulator(config: CampaignSyncConfig, adminToken?: string): Promise<RunningSimulator> {
  const endpoint = new URL(config.clients[0]?.endpoint ?? 'http://127.0.0.1:8089');
  const token = adminToken ?? randomBytes(24).toString('base64url');
  mkdirSync(config.dataDir, { recursive: true });
  writeFileSync(adminTokenFile(config), `${token}\n`, { mode: 0o600 });
  chmodSync(adminTokenFile(config), 0o600);
  return startSimulator({
    port: Number(endpoint.port),
    dataFile: join(config.dataDir, 'simulator.sqlite'),
    seed: DEMO_SEED_FILE,
    admin: true,
    adminToken: token,
  });
}
