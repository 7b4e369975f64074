import { execFileSync } from 'node:child_process';
import { chownSync, existsSync, readdirSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { PostgresServerMissingError } from '../../src/errors/postgres-server-missing-error';
import { npmPostgresBinDir, npmPostgresPackage } from './postgres-npm';

const DEBIAN_ROOT = '/usr/lib/postgresql';
const TOOLS = ['initdb', 'pg_ctl', 'postgres'] as const;
/** Used only when root runs the tests and no `postgres` account exists. */
const FALLBACK_USER = 'campaign-sync-pg';

function hasTools(dir: string): boolean {
  return TOOLS.every((tool) => existsSync(join(dir, tool)));
}

/** Where the test servers' binaries come from: `auto` (system, else npm), `system` or `npm` (hides the system's). */
export const POSTGRES_BINARIES_VAR = 'CAMPAIGN_SYNC_TEST_POSTGRES_BINARIES';
const SOURCES = ['auto', 'system', 'npm'] as const;
export type PostgresBinariesSource = (typeof SOURCES)[number];

export function binariesSource(value: string | undefined = process.env[POSTGRES_BINARIES_VAR]): PostgresBinariesSource {
  if (value === undefined || value === '') return 'auto';
  const source = SOURCES.find((s) => s === value);
  if (!source) throw new Error(`${POSTGRES_BINARIES_VAR}=${value}: expected one of ${SOURCES.join(', ')}`);
  return source;
}

export interface BinariesSearch {
  debianRoot?: string;
  path?: string;
  source?: PostgresBinariesSource;
  /** The npm package's bin folder, if installed (default: test/helpers/postgres-npm.ts). */
  npmBinDir?: () => string | undefined;
}

/**
 * The system's binaries (the newest Debian versioned bin directory, then every PATH entry), else
 * those of the npm package; `source` (default from CAMPAIGN_SYNC_TEST_POSTGRES_BINARIES) narrows it.
 */
export function findPostgresBinDir(where: BinariesSearch = {}): string {
  const debianRoot = where.debianRoot ?? DEBIAN_ROOT;
  const source = where.source ?? binariesSource();
  const system = source === 'npm' ? undefined : systemBinDir(debianRoot, where.path ?? process.env.PATH ?? '');
  if (system) return system;
  const npm = source === 'system' ? undefined : (where.npmBinDir ?? npmPostgresBinDir)();
  if (npm) return npm;
  const searched = source === 'npm' ? [] : [`${debianRoot}/*/bin`, 'PATH'];
  throw new PostgresServerMissingError(
    source === 'system' ? searched : [...searched, `the npm package ${npmPostgresPackage() ?? '(none for this platform)'}`],
  );
}

function systemBinDir(debianRoot: string, path: string): string | undefined {
  const versioned = existsSync(debianRoot)
    ? readdirSync(debianRoot)
        .filter((name) => /^\d+$/.test(name))
        .sort((a, b) => Number(b) - Number(a))
        .map((name) => join(debianRoot, name, 'bin'))
    : [];
  return [...versioned, ...path.split(delimiter).filter(Boolean)].find(hasTools);
}

function userExists(name: string): boolean {
  try {
    execFileSync('id', ['-u', name], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/**
 * initdb and postgres refuse to run as root. Under root we run them as `postgres` (the account
 * Debian's package creates) or, failing that, as a system account created here once.
 * Returns undefined when the current user may run them directly.
 */
export function serverOsUser(): string | undefined {
  if (process.getuid?.() !== 0) return undefined;
  if (userExists('postgres')) return 'postgres';
  if (!userExists(FALLBACK_USER)) {
    execFileSync('useradd', ['--system', '--no-create-home', '--shell', '/usr/sbin/nologin', FALLBACK_USER], {
      stdio: 'ignore',
    });
  }
  return FALLBACK_USER;
}

/** The command line that runs `binary` as `user` (via runuser), or directly. */
export function asUser(user: string | undefined, binary: string, args: string[]): [string, string[]] {
  return user ? ['runuser', ['-u', user, '--', binary, ...args]] : [binary, args];
}

/** Hands a folder to the server's OS user so initdb and postgres can write into it. */
export function giveTo(user: string, path: string): void {
  const id = (flag: string) => Number(execFileSync('id', [flag, user]).toString().trim());
  chownSync(path, id('-u'), id('-g'));
}
