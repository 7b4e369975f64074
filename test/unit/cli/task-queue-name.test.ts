import fc from 'fast-check';
import { loadRuntimeEnv } from '../../../src/config/runtime-env';
import { RuntimeEnvError } from '../../../src/errors/runtime-env-error';
import { useCliOnDemoStore } from '../../helpers/cli-on-demo-store';

// The worker polls CAMPAIGN_SYNC_TASK_QUEUE; the CLI starts workflows and schedules on --task-queue
// or the same variable. A name one side reads differently from the other (a trailing blank from an
// env file, a control character, an empty value) leaves workflows waiting on a queue nobody polls,
// with nothing said. Both sides take exactly the same names, and refuse the others naming the source.

const { cli } = useCliOnDemoStore('cli-task-queue', async () => undefined);

const names = fc.oneof(
  fc.constantFrom(
    'campaign-sync',
    'campaign-sync ',
    ' campaign-sync',
    '',
    ' ',
    'campaign\tsync',
    'campaign-sync\n',
    'q\u202e',
    'q\u200b',
    'x'.repeat(201),
  ),
  fc.string({ maxLength: 12 }),
  fc.string({ unit: 'grapheme', maxLength: 12 }),
);

function workerTakes(name: string): boolean {
  try {
    return loadRuntimeEnv({ CAMPAIGN_SYNC_TASK_QUEUE: name }).CAMPAIGN_SYNC_TASK_QUEUE === name;
  } catch (error) {
    expect(error).toBeInstanceOf(RuntimeEnvError);
    expect((error as Error).message).toContain('  CAMPAIGN_SYNC_TASK_QUEUE: the task queue name ');
    return false;
  }
}

describe('task queue names', () => {
  it('are taken by the CLI exactly when the worker takes them, trimmed and printable, else refused naming the source', async () => {
    await fc.assert(
      fc.asyncProperty(names, fc.boolean(), async (name, viaOption) => {
        const taken = workerTakes(name);
        if (taken) {
          expect(name.trim()).toBe(name);
          expect(name).not.toBe('');
          expect(name).not.toMatch(/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/u);
        }
        const argv = viaOption ? ['runs', `--task-queue=${name}`] : ['runs'];
        const { code, err } = await cli(argv, viaOption ? {} : { CAMPAIGN_SYNC_TASK_QUEUE: name });
        if (taken) expect(code).toBe(0);
        else {
          expect(code).toBe(2);
          expect(err).toContain(`campaign-sync: ${viaOption ? '--task-queue' : 'CAMPAIGN_SYNC_TASK_QUEUE'}: the task queue name `);
        }
      }),
      { numRuns: 60 },
    );
  });
});
