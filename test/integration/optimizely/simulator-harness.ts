import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createOptimizelyClient, type OptimizelyClientOptions } from '../../../src/optimizely/client';
import type { OptimizelyPort } from '../../../src/optimizely/client/optimizely-port';
import { startSimulator, type RunningSimulator } from '../../../src/simulator';

export const CREDENTIALS = { mandatorId: 1234, username: 'api-user', password: 'secret' };
export const LIST = 100;
const FIELDS = ['email', 'opt-in-id', 'description', 'media-type', 'entity-type', 'entity-id', 'firstname'];

export const SEED = {
  clients: [
    {
      ...CREDENTIALS,
      optinProcesses: [{ id: 11, type: 'double' as const }],
      lists: [
        { id: LIST, name: 'Newsletter', type: 'regular' as const, fields: FIELDS },
        { id: 101, name: 'Offers', type: 'optin' as const, fields: FIELDS },
      ],
      unsubscribes: ['gone@example.com'],
      blocklist: ['*@blocked.example'],
      bounces: [{ recipientId: 'bouncy@example.com', hard: 3 }],
    },
  ],
};

export interface Harness {
  sim: RunningSimulator;
  /** A client with test-friendly defaults; closed by stop(). */
  client(options?: Partial<OptimizelyClientOptions>): OptimizelyPort;
  admin<T = unknown>(method: string, path: string, body?: unknown): Promise<T>;
  /** SOAP operations the simulator saw, as 'Service.operation'. */
  requests(): Promise<string[]>;
  stop(): Promise<void>;
}

/** The real simulator over HTTP: port 0, a temp SQLite file, admin surface on. */
export async function startHarness(): Promise<Harness> {
  const dir = mkdtempSync(join(tmpdir(), 'optimizely-client-'));
  const sim = await startSimulator({
    port: 0,
    dataFile: join(dir, 'sim.db'),
    seed: SEED,
    admin: true,
    adminToken: randomBytes(16).toString('hex'),
  });
  const clients: OptimizelyPort[] = [];
  const admin = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const init: RequestInit = { method, headers: { 'content-type': 'application/json', ...sim.adminHeaders } };
    if (body !== undefined) init.body = JSON.stringify(body);
    const response = await fetch(`${sim.url}/admin/${path}`, init);
    if (!response.ok) throw new Error(`admin ${method} ${path}: ${response.status} ${await response.text()}`);
    return (await response.json()) as T;
  };
  return {
    sim,
    admin,
    client: (options = {}) => {
      const client = createOptimizelyClient({ baseUrl: sim.url, ...CREDENTIALS, timeoutMs: 10_000, ...options });
      clients.push(client);
      return client;
    },
    requests: async () => {
      const { requests } = await admin<{ requests: { service: string; operation: string }[] }>('GET', 'requests');
      return requests.map((r) => `${r.service}.${r.operation}`);
    },
    stop: async () => {
      await Promise.all(clients.map((client) => client.close().catch(() => undefined)));
      await sim.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** An addAll3 input for ids that are also the addresses, with firstname set to the id's local part. */
export function batchOf(recipientIds: string[], listId = LIST) {
  return {
    listId,
    optinProcessId: 0,
    recipientIds,
    addresses: recipientIds,
    attributeNames: ['firstname', 'entity-id'],
    attributeValues: recipientIds.map((id, i) => [id.split('@')[0] ?? null, i % 2 === 0 ? `E${i}` : null]),
  };
}
