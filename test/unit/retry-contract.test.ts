import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { OPTIMIZELY_NON_RETRYABLE_ERROR_TYPES } from '../../src/optimizely/client/retry-contract';
import { PERMANENT_ERROR_TYPES } from '../../workflows/retry-contract';

const errorsDir = join(__dirname, '..', '..', 'src', 'errors');

/** The literal `name` of every error class under src/errors/: the Temporal failure types. */
function errorClassNames(): string[] {
  return readdirSync(errorsDir)
    .filter((file) => file.endsWith('.ts'))
    .flatMap((file) => [...readFileSync(join(errorsDir, file), 'utf8').matchAll(/readonly name = '(\w+)'/g)].map((m) => m[1] as string));
}

describe('retry contract', () => {
  it('names only error classes that exist', () => {
    const missing = PERMANENT_ERROR_TYPES.filter((name) => !errorClassNames().includes(name));
    expect(missing).toEqual([]);
  });

  it('includes every permanent Optimizely error', () => {
    expect(PERMANENT_ERROR_TYPES).toEqual(expect.arrayContaining([...OPTIMIZELY_NON_RETRYABLE_ERROR_TYPES]));
  });
});
