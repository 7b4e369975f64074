import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PostgresServerMissingError } from '../../../src/errors/postgres-server-missing-error';
import { findPostgresBinDir } from '../../helpers/postgres-os';

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
    const find = () => findPostgresBinDir({ debianRoot: join(root, 'none'), path: root });
    expect(find).toThrow(PostgresServerMissingError);
    expect(find).toThrow(/apt-get install postgresql/);
  });
});
