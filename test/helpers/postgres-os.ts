import { execFileSync } from 'node:child_process';
import { chownSync, existsSync, readdirSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { PostgresServerMissingError } from '../../src/errors/postgres-server-missing-error';

const DEBIAN_ROOT = '/usr/lib/postgresql';
const TOOLS = ['initdb', 'pg_ctl', 'postgres'] as const;
/** Used only when root runs the tests and no `postgres` account exists. */
const FALLBACK_USER = 'campaign-sync-pg';

function hasTools(dir: string): boolean {
  return TOOLS.every((tool) => existsSync(join(dir, tool)));
}

/** The newest Debian versioned bin directory first, then every PATH entry. */
export function findPostgresBinDir(where: { debianRoot?: string; path?: string } = {}): string {
  const debianRoot = where.debianRoot ?? DEBIAN_ROOT;
  const versioned = existsSync(debianRoot)
    ? readdirSync(debianRoot)
        .filter((name) => /^\d+$/.test(name))
        .sort((a, b) => Number(b) - Number(a))
        .map((name) => join(debianRoot, name, 'bin'))
    : [];
  const candidates = [...versioned, ...(where.path ?? process.env.PATH ?? '').split(delimiter).filter(Boolean)];
  const found = candidates.find(hasTools);
  if (!found) throw new PostgresServerMissingError([`${debianRoot}/*/bin`, 'PATH']);
  return found;
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
