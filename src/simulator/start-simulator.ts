// Embeds the simulator: tests, benchmarks, `npm start` and the CLI all start it through here.
import { mkdirSync, readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { dirname } from 'node:path';
import type { Logger } from 'pino';
import type { z } from 'zod';
import { adminHeaders } from './admin/admin-auth';
import { SimClock } from './clock';
import { ConcurrencyGate } from './concurrency-gate';
import type { SimContext } from './context';
import { defaultFaultSettings } from './fault-injection';
import { createSimulatorServer } from './http/server';
import { RequestLog } from './request-log';
import { SessionRegistry } from './sessions';
import { openDatabase } from './store/database';
import { faultDrawFor } from './fault-draws';
import { applySeed, parseSeed } from './store/seed';
import type { seedSchema } from './store/seed-schema';
import { createStore } from './store/store';

export type SeedInput = z.input<typeof seedSchema>;

export interface SimulatorOptions {
  /** 0 picks a free port. */
  port: number;
  /** SQLite file holding the state (':memory:' for throwaway state). */
  dataFile: string;
  /** A seed object, or the path of a seed JSON file; applied (upserted) at every start. */
  seed?: SeedInput | string;
  /** Mount the /admin/ test controls. Off by default. */
  admin?: boolean;
  /** When set, admin requests must carry `Authorization: Bearer <adminToken>` (401 otherwise). */
  adminToken?: string;
  /** Open sessions per client before login faults; default 100. */
  maxSessionsPerClient?: number;
  /** Calls the /admin/requests ring keeps; default 2000 (a benchmark of a million-recipient day needs more). */
  requestLogCapacity?: number;
  /** Interface to listen on; default 127.0.0.1. */
  host?: string;
  shuffleMultiRefs?: boolean;
  /** ClosedLoop export batch interval in ms of simulator time; default 10 minutes. */
  batchIntervalMs?: number;
  /** Largest accepted request body; default 32 MiB. */
  maxBodyBytes?: number;
  logger?: Logger;
}

export interface RunningSimulator {
  /** Base URL, e.g. http://127.0.0.1:40123 (services at <url>/soap11/Rpc<Name>). */
  url: string;
  port: number;
  /** Shared state, for in-process tests. */
  context: SimContext;
  /** Headers that authorise an admin request (empty when no token is set). */
  adminHeaders: Record<string, string>;
  stop(): Promise<void>;
}

/** A bearer token shorter than this is refused: it would be guessable. */
export const MIN_ADMIN_TOKEN_LENGTH = 16;

export async function startSimulator(options: SimulatorOptions): Promise<RunningSimulator> {
  if (options.adminToken !== undefined && options.adminToken.length < MIN_ADMIN_TOKEN_LENGTH) {
    throw new Error(`the simulator's admin token must be at least ${MIN_ADMIN_TOKEN_LENGTH} characters`);
  }
  if (options.dataFile !== ':memory:') mkdirSync(dirname(options.dataFile), { recursive: true });
  const db = openDatabase(options.dataFile);
  const clock = new SimClock(db);
  const sim: SimContext = {
    store: createStore(db),
    clock,
    sessions: new SessionRegistry(clock, undefined, options.maxSessionsPerClient),
    requestLog: new RequestLog(options.requestLogCapacity),
    faults: defaultFaultSettings(),
    faultDraw: faultDrawFor(undefined),
    settings: {
      shuffleMultiRefs: options.shuffleMultiRefs ?? false,
      batchIntervalMs: options.batchIntervalMs ?? 10 * 60 * 1000,
      maxElements: 1000,
    },
    gate: new ConcurrencyGate(),
    counters: { callsWithSession: 0 },
  };
  if (options.seed !== undefined) {
    const raw: unknown = typeof options.seed === 'string' ? JSON.parse(readFileSync(options.seed, 'utf8')) : options.seed;
    applySeed(db, parseSeed(raw), clock.now());
  }
  const server = createSimulatorServer({
    sim,
    gate: sim.gate,
    admin: options.admin ?? false,
    adminToken: options.adminToken,
    maxBodyBytes: options.maxBodyBytes ?? 32 * 1024 * 1024,
    onInternalError: (err, operation) => options.logger?.error({ err, operation }, 'Simulator internal error'),
  });
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    port,
    context: sim,
    adminHeaders: adminHeaders(options.adminToken),
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => {
          db.close();
          resolve();
        });
      }),
  };
}
