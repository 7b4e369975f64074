import { MockActivityEnvironment } from '@temporalio/testing';
import { DefaultLogger } from '@temporalio/worker';
import type { ActivityDependencies } from '../../../activities/deps';
import { createPreflightActivities } from '../../../activities/preflight';
import { parseConfig } from '../../../src/config/load-config';
import { demoConfig } from '../../../src/demo/demo-config';
import { ListPreflightError } from '../../../src/errors/list-preflight-error';
import { TECHNICAL_FIELDS } from '../../../src/sync/recipient-batch';
import { createFakeOptimizely } from '../../helpers/fake-optimizely';
import type { DemoConfigObject } from '../../helpers/sync-stack';

const REF = { client: 'demo', listKey: 'newsletter', runId: 'run-1' };

describe('preflightList activity', () => {
  const env = new MockActivityEnvironment(undefined, { logger: new DefaultLogger('WARN') });
  const setUp = (adjust: (raw: DemoConfigObject) => void = () => undefined) => {
    const raw: DemoConfigObject = demoConfig();
    adjust(raw);
    const config = parseConfig(raw, 'preflight test', '/tmp');
    const optimizely = createFakeOptimizely();
    // The Optimizely list has what the unchanged demo mapping sends.
    const mapped = Object.values(parseConfig(demoConfig(), 'demo', '/tmp').crm.lists.newsletter?.attributes ?? {});
    optimizely.addList({ id: 100, name: 'Newsletter', fields: ['email', ...TECHNICAL_FIELDS, ...mapped] });
    const deps = { config, optimizely: () => optimizely } as unknown as ActivityDependencies;
    return { optimizely, run: () => env.run(createPreflightActivities(deps).preflightList, REF) };
  };
  const failure = async (run: () => Promise<unknown>): Promise<ListPreflightError> => {
    const error = await run().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ListPreflightError);
    return error as ListPreflightError;
  };

  it('passes a list that has every technical field and mapped attribute, reading only', async () => {
    const { optimizely, run } = setUp();
    await expect(run()).resolves.toEqual({ fieldsChecked: expect.any(Number) });
    expect(optimizely.calls).toEqual(['RecipientList.getAllIds', 'RecipientList.getAttributeNames']);
  });

  it('fails naming a mapped attribute the list lacks', async () => {
    const { run } = setUp((raw) => (raw.crm.lists.newsletter.attributes.shoe_size = 'shoe-size'));
    const error = await failure(run);
    expect(error.problems).toEqual(['Optimizely list 100 lacks the fields "shoe-size"']);
    expect(error.message).toContain('nothing was cleared');
  });

  it('fails naming a technical field the list lacks', async () => {
    const { optimizely, run } = setUp();
    optimizely.lists.get(100)!.fields = optimizely.lists.get(100)!.fields.filter((f) => f !== 'entity-id');
    expect((await failure(run)).problems).toEqual(['Optimizely list 100 lacks the fields "entity-id"']);
  });

  it('fails naming the listId setting when Optimizely has no such list', async () => {
    const { optimizely, run } = setUp((raw) => (raw.clients[0].lists[0].listId = 999));
    expect((await failure(run)).problems).toEqual([
      'Optimizely has no recipient list 999 for mandator 1234 (setting listId of list newsletter)',
    ]);
    expect(optimizely.calls).toEqual(['RecipientList.getAllIds']);
  });

  it('checks the opt-in process only when one is set, and names the setting', async () => {
    const { optimizely, run } = setUp((raw) => (raw.clients[0].lists[0].optinProcessId = 11));
    expect((await failure(run)).problems).toEqual(['Optimizely has no opt-in process 11 (setting optinProcessId of list newsletter)']);
    optimizely.optinProcessIds.push(11);
    await expect(run()).resolves.toBeDefined();
    expect(optimizely.calls.filter((c) => c === 'OptinProcess.getIds')).toHaveLength(2);
  });

  it('reports every problem at once', async () => {
    const { run } = setUp((raw) => {
      raw.crm.lists.newsletter.attributes.shoe_size = 'shoe-size';
      raw.crm.lists.newsletter.attributes.pet = 'Pet';
      raw.clients[0].lists[0].optinProcessId = 12;
    });
    const error = await failure(run);
    expect(error.problems).toEqual([
      'Optimizely list 100 lacks the fields "shoe-size", "Pet"',
      expect.stringContaining('opt-in process 12'),
    ]);
  });
});
