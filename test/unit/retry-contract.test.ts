// The retry contract, both ways: the error classes under src/errors/ say whether retrying can help
// (`static retryable`), the non-retryable list the workflows hand to Temporal names exactly the
// classes marked permanent, and the client's own read retry follows the same markers.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { OptimizelyFaultError } from '../../src/errors/optimizely-fault-error';
import { retryRead } from '../../src/optimizely/client/retry-read';
import { WORKFLOW_FAILURE_TYPES } from '../../workflows/failure-types';
import { PERMANENT_ERROR_TYPES } from '../../workflows/retry-contract';

const errorsDir = join(__dirname, '..', '..', 'src', 'errors');

interface ErrorClass {
  className: string;
  /** The literal `name` the instances carry: the Temporal failure type. */
  instanceName: string | undefined;
  retryable: boolean | undefined;
  cls: typeof Error;
}

/** Every error class exported from src/errors/, with its marker. */
function errorClasses(): ErrorClass[] {
  return readdirSync(errorsDir)
    .filter((file) => file.endsWith('.ts'))
    .flatMap((file) => {
      const source = readFileSync(join(errorsDir, file), 'utf8');
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const exported = require(join(errorsDir, file)) as Record<string, unknown>;
      return Object.values(exported)
        .filter((value): value is typeof Error & { retryable?: boolean } => typeof value === 'function' && value.prototype instanceof Error)
        .map((cls) => ({
          className: cls.name,
          instanceName: new RegExp(`class ${cls.name} [^]*?readonly name(?::\\s*string)? = '(\\w+)'`).exec(source)?.[1],
          retryable: cls.retryable,
          cls,
        }));
    });
}

const classes = errorClasses();
const permanent = classes.filter((c) => c.retryable === false).map((c) => c.className);
const sorted = (names: readonly string[]) => [...names].sort();

describe('retry contract', () => {
  it('finds the error classes and their markers', () => {
    expect(classes.length).toBeGreaterThan(20);
    expect(permanent).toEqual(expect.arrayContaining(['ConfigError', 'VerifyMismatchError', 'CrmExchangeEncodingError']));
  });

  it('gives every class an instance name equal to its class name (the failure type)', () => {
    expect(classes.filter((c) => c.instanceName !== c.className)).toEqual([]);
  });

  it('lists in the workflows exactly the activity errors marked permanent', () => {
    const activityPermanent = permanent.filter((name) => !(WORKFLOW_FAILURE_TYPES as readonly string[]).includes(name));
    expect(sorted(PERMANENT_ERROR_TYPES)).toEqual(sorted(activityPermanent));
  });

  it('asks Optimizely again in the client exactly for the Optimizely errors marked retryable', async () => {
    const optimizelyClasses = classes.filter((c) => c.className.startsWith('Optimizely'));
    expect(optimizelyClasses.length).toBeGreaterThan(4);
    for (const { className, retryable, cls } of optimizelyClasses) {
      const OptimizelyClass = cls as unknown as typeof OptimizelyFaultError;
      let calls = 0;
      const read = async () => {
        calls += 1;
        if (calls === 1) throw new OptimizelyClass('simulated', { service: 'ClosedLoop', operation: 'getOpens' });
        return 'page';
      };
      const outcome = await retryRead(read, { delayMs: 1 }).catch((error: Error) => error.name);
      expect({ className, outcome, calls }).toEqual({ className, outcome: retryable ? 'page' : className, calls: retryable ? 2 : 1 });
    }
  });

  it('keeps the workflow failure types equal to permanent classes', () => {
    expect(WORKFLOW_FAILURE_TYPES.filter((name) => !permanent.includes(name))).toEqual([]);
  });

  it('lists no class marked retryable', () => {
    const retryable = classes.filter((c) => c.retryable === true).map((c) => c.className);
    expect(retryable).toEqual(expect.arrayContaining(['OptimizelyTransientError', 'OptimizelySessionError']));
    const listed = [...PERMANENT_ERROR_TYPES, ...WORKFLOW_FAILURE_TYPES] as string[];
    expect(retryable.filter((name) => listed.includes(name))).toEqual([]);
  });
});
