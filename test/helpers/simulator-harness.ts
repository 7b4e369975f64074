// The real simulator for tests: HTTP on a free port, a SQLite file in a temp folder, the admin surface
// on behind a random token. Simulator tests speak raw SOAP to it (`post`, `login`); client tests use
// our Optimizely client (`client`). Both seeds share the credentials below.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createOptimizelyClient, type OptimizelyClientOptions } from '../../src/optimizely/client';
import type { OptimizelyPort } from '../../src/optimizely/client/optimizely-port';
import { type RunningSimulator, type SimulatorOptions, startSimulator } from '../../src/simulator';
import { positional } from './raw-soap';
import { decodeSoapReply, type DecodedReply } from './soap-decode';

/** The simulator's own seed: regular, opt-in and filtered lists of mandator 1234. */
export const SEED_FILE = join(__dirname, '../fixtures/simulator/seed.json');
export const CREDENTIALS = { mandatorId: 1234, username: 'api-user', password: 'secret' };
export const MANDATOR = CREDENTIALS.mandatorId;
export const REGULAR_LIST = 100;
export const OPTIN_LIST = 200;
export const FILTERED_LIST = 300;

export interface Harness {
  readonly sim: RunningSimulator;
  dataFile: string;
  /** A raw SOAP request to `/soap11/Rpc<service>`, decoded. */
  post(service: string, xml: string): Promise<DecodedReply>;
  /** The admin surface as it answers (any status); `path` from the root, e.g. `/admin/faults`. */
  admin(method: string, path: string, body?: unknown): Promise<{ status: number; json: unknown }>;
  /** The admin surface for set-up: its JSON answer, or an error when it refuses; `path` below `/admin/`. */
  adminJson<T = unknown>(method: string, path: string, body?: unknown): Promise<T>;
  login(mandatorId?: number, username?: string, password?: string): Promise<string>;
  /** Our client with test-friendly defaults; closed by close(). */
  client(options?: Partial<OptimizelyClientOptions>): OptimizelyPort;
  /** SOAP operations the simulator saw, as 'Service.operation'. */
  requests(): Promise<string[]>;
  restart(): Promise<void>;
  close(): Promise<void>;
}

/** Starts the simulator with the fixture seed unless `options.seed` says otherwise. */
export async function startHarness(options: Partial<SimulatorOptions> = {}): Promise<Harness> {
  const dir = mkdtempSync(join(tmpdir(), 'sim-test-'));
  const dataFile = join(dir, 'sim.db');
  const adminToken = randomBytes(16).toString('hex');
  const start = () => startSimulator({ port: 0, dataFile, seed: SEED_FILE, admin: true, adminToken, ...options });
  let sim = await start();
  const clients: OptimizelyPort[] = [];
  const harness: Harness = {
    get sim() {
      return sim;
    },
    dataFile,
    async post(service, xml) {
      const res = await fetch(`${sim.url}/soap11/Rpc${service}`, {
        method: 'POST',
        headers: { 'Content-Type': 'text/xml; charset=utf-8', SOAPAction: '""' },
        body: xml,
      });
      return decodeSoapReply(res.status, await res.text());
    },
    async admin(method, path, body) {
      const headers = { 'Content-Type': 'application/json', ...sim.adminHeaders };
      const res = await fetch(`${sim.url}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
      return { status: res.status, json: (await res.json()) as unknown };
    },
    async adminJson<T>(method: string, path: string, body?: unknown): Promise<T> {
      const { status, json } = await harness.admin(method, `/admin/${path}`, body);
      if (status < 200 || status > 299) throw new Error(`admin ${method} ${path}: ${status} ${JSON.stringify(json)}`);
      return json as T;
    },
    async login(mandatorId = MANDATOR, username = CREDENTIALS.username, password = CREDENTIALS.password) {
      const reply = await harness.post(
        'Session',
        positional('login', [
          ['xsd:long', String(mandatorId)],
          ['xsd:string', username],
          ['xsd:string', password],
        ]),
      );
      if (typeof reply.value !== 'string') throw new Error(`login failed: ${reply.fault ?? reply.status}`);
      return reply.value;
    },
    client(clientOptions = {}) {
      const client = createOptimizelyClient({ baseUrl: sim.url, ...CREDENTIALS, timeoutMs: 10_000, ...clientOptions });
      clients.push(client);
      return client;
    },
    async requests() {
      const { requests } = await harness.adminJson<{ requests: { service: string; operation: string }[] }>('GET', 'requests');
      return requests.map((r) => `${r.service}.${r.operation}`);
    },
    async restart() {
      await sim.stop();
      sim = await start();
    },
    async close() {
      await Promise.all(clients.map((client) => client.close().catch(() => undefined)));
      await sim.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return harness;
}
