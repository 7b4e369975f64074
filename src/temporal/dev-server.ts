import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, openSync } from 'node:fs';
import { dirname } from 'node:path';
import { Connection } from '@temporalio/client';
import { msToTs } from '@temporalio/common/lib/time';
import { temporal } from '@temporalio/proto';
import { searchAttributeFlags } from '../../workflows/search-attributes';
import { resolveTemporalCli } from './temporal-cli';
import { isServerUp, waitForServer } from './wait-for-server';

/** Closed runs stay readable this long, so a month of nightly runs can be looked back on. */
export const NAMESPACE_RETENTION_DAYS = 35;

const KEYWORD = temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD;

export interface DevServerOptions {
  port: number;
  uiPort: number;
  /** SQLite file for a persistent server; omitted means in memory (tests). */
  dbFile?: string;
  headless?: boolean;
  /** Where the server's own output goes; inherits nothing from us when set. */
  logFile?: string;
  /** Keep running after this process exits (the `dev:server` command). */
  detached?: boolean;
  namespace?: string;
  /** Server dynamic configuration (`--dynamic-config-value key=value`, values in JSON), e.g. for benchmarks. */
  dynamicConfig?: Record<string, string>;
  /** How long the server may take to answer after its start; 60 s unless given (tests shorten it). */
  startTimeoutMs?: number;
}

export interface DevServer {
  address: string;
  uiUrl: string;
  /** Undefined when an already running server was reused. */
  process?: ChildProcess;
  stop(): Promise<void>;
}

/** Starts `temporal server start-dev`, or reuses one that already answers on the port. */
export async function startDevServer(options: DevServerOptions): Promise<DevServer> {
  const address = `127.0.0.1:${options.port}`;
  const uiUrl = `http://localhost:${options.uiPort}`;
  const namespace = options.namespace ?? 'default';
  if (await isServerUp(address)) {
    await prepareNamespace(address, namespace);
    return { address, uiUrl, stop: async () => undefined };
  }
  const child = spawnServer(options, namespace);
  let exited = false;
  child.once('exit', () => (exited = true));
  try {
    await waitForServer(address, options.startTimeoutMs ?? 60_000, () => !exited);
    await prepareNamespace(address, namespace);
  } catch (error) {
    // A server that never answered (or whose namespace could not be prepared) is not handed to
    // anyone who would stop it: stop it here, or it holds its ports and database file on.
    await stopProcess(child);
    throw error;
  }
  return { address, uiUrl, process: child, stop: () => stopProcess(child) };
}

function spawnServer(options: DevServerOptions, namespace: string): ChildProcess {
  const cli = resolveTemporalCli();
  const args = ['server', 'start-dev', '--ip', '127.0.0.1', '--port', String(options.port)];
  args.push('--namespace', namespace, '--log-level', 'warn');
  if (options.headless) args.push('--headless');
  else args.push('--ui-port', String(options.uiPort));
  if (options.dbFile) {
    mkdirSync(dirname(options.dbFile), { recursive: true });
    args.push('--db-filename', options.dbFile);
  }
  for (const flag of searchAttributeFlags()) args.push('--search-attribute', flag);
  for (const [key, value] of Object.entries(options.dynamicConfig ?? {})) args.push('--dynamic-config-value', `${key}=${value}`);
  let stdio: 'ignore' | ['ignore', number, number] = 'ignore';
  if (options.logFile) {
    mkdirSync(dirname(options.logFile), { recursive: true });
    const fd = openSync(options.logFile, 'a');
    stdio = ['ignore', fd, fd];
  }
  const child = spawn(cli.path, args, { stdio, detached: options.detached ?? false });
  if (options.detached) child.unref();
  return child;
}

/**
 * Registers our search attributes (a reused server may predate them) and raises the retention:
 * the dev server's default of one day would erase the audit trail overnight.
 */
async function prepareNamespace(address: string, namespace: string): Promise<void> {
  const connection = await Connection.connect({ address });
  try {
    await registerSearchAttributes(connection, namespace);
    await connection.workflowService.updateNamespace({
      namespace,
      config: { workflowExecutionRetentionTtl: msToTs(`${NAMESPACE_RETENTION_DAYS} days`) },
    });
  } finally {
    await connection.close();
  }
}

async function registerSearchAttributes(connection: Connection, namespace: string): Promise<void> {
  const existing = await connection.operatorService.listSearchAttributes({ namespace });
  const missing: Record<string, number> = {};
  for (const flag of searchAttributeFlags()) {
    const name = flag.split('=')[0] as string;
    if (!existing.customAttributes?.[name]) missing[name] = KEYWORD;
  }
  if (Object.keys(missing).length === 0) return;
  await connection.operatorService.addSearchAttributes({ namespace, searchAttributes: missing });
}

function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolveStop) => {
    const force = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.once('exit', () => {
      clearTimeout(force);
      resolveStop();
    });
    child.kill('SIGTERM');
  });
}
