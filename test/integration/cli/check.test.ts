import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { soapCalls, adminDelete } from '../../helpers/crash-harness';
import type { DemoConfigObject, SyncStack } from '../../helpers/sync-stack';
import { useSyncStack } from '../../helpers/workflow-test-env';
import { waitFor } from '../../helpers/wait-for';
import { cliFor } from './cli-harness';

// `campaign-sync check` against the simulator and the demo CRM: read-only, one result per list,
// exit 0 only when every list passes.
describe('campaign-sync check', () => {
  const shared = useSyncStack({ title: 'cli check', contacts: 200 });
  let stack: SyncStack;
  let cli: ReturnType<typeof cliFor>;

  beforeAll(() => {
    stack = shared.stack;
    cli = cliFor(stack);
  });

  /** A configuration file with `change` applied to a copy of the stack's configuration. */
  const brokenConfig = (name: string, change: (raw: DemoConfigObject) => void): string => {
    const raw = JSON.parse(JSON.stringify(stack.rawConfig)) as DemoConfigObject;
    change(raw);
    const file = join(stack.dir, `${name}.json`);
    writeFileSync(file, JSON.stringify(raw));
    return file;
  };

  it('passes every list of a correct configuration with exit 0, changing nothing', async () => {
    await adminDelete(stack, '/admin/requests');
    const result = await cli.run(['check']);
    expect(result).toMatchObject({ code: 0, err: '' });
    expect(result.out).toMatch(/newsletter\s+ok\s+list 100 has all 9 fields sent; CRM selection has every column/);
    expect(result.out).toMatch(/offers\s+ok\s+list 200/);
    expect(result.out).toContain('All checked lists pass.');
    const { requests } = (await stack.admin('/admin/requests')) as { requests: Array<{ operation: string }> };
    expect(new Set(requests.map((r) => r.operation))).toEqual(new Set(['login', 'getAllIds', 'getAttributeNames', 'logout']));
  });

  it('fails with exit 1 naming the missing field, column and opt-in process, and still checks the other list', async () => {
    const config = brokenConfig('broken', (raw) => {
      raw.crm.lists.newsletter.attributes.nickname = 'nickname';
      raw.clients[0].lists[1].optinProcessId = 99;
    });
    const result = await cli.run(['check', '--config', config]);
    expect(result.code).toBe(1);
    expect(result.out).toContain('Optimizely list 100 lacks the fields "nickname"');
    expect(result.out).toContain('CRM: selection of list "newsletter" lacks the columns nickname');
    expect(result.out).toContain('Optimizely has no opt-in process 99 (setting optinProcessId of list offers)');
    expect(result.out).toContain('2 of 2 list(s) failed');
    expect(await soapCalls(stack, 'clear')).toBe(0);
  });

  it('checks one list with --list and reports as JSON', async () => {
    const config = brokenConfig('one-broken', (raw) => (raw.crm.lists.offers.attributes.nickname = 'nickname'));
    const passing = await cli.run(['check', '--list', 'newsletter', '--config', config, '--json']);
    expect(passing.code).toBe(0);
    expect(JSON.parse(passing.out)).toEqual({
      client: stack.clientKey,
      ok: true,
      lists: [{ listKey: 'newsletter', listId: 100, ok: true, problems: [], fieldsRequired: 9, fieldsPresent: 9, columnsChecked: true }],
    });
    const failing = await cli.run(['check', '--list', 'offers', '--config', config, '--json']);
    expect(failing.code).toBe(1);
    expect(JSON.parse(failing.out).lists[0]).toMatchObject({ listKey: 'offers', ok: false, fieldsPresent: 9, fieldsRequired: 10 });
  });

  it('takes its calls from the budget the workers share: with every slot held elsewhere it waits, then runs', async () => {
    const config = brokenConfig('shared-budget', (raw) => Object.assign(raw, { optimizelyBudget: { mode: 'distributed' } }));
    const client = stack.config.clients[0]!;
    const budget = `calls:${client.mandatorId}@${new URL(client.endpoint).origin}`;
    const leases = stack.deps.store.slotLeases;
    const hog = { budget, holder: 'busy-worker', limit: client.concurrency, leaseMs: 600_000 };
    expect(await leases.claim({ ...hog, want: client.concurrency })).toMatchObject({ held: client.concurrency });
    let finished = false;
    const check = cli.run(['check', '--list', 'newsletter', '--config', config]).finally(() => (finished = true));
    try {
      // The check asks the shared budget for a slot and cannot get one while the busy worker holds all.
      await waitFor(async () => (await leases.leases(budget)).some((l) => l.holder !== hog.holder && l.wanted > l.slots));
      expect(finished).toBe(false);
    } finally {
      await leases.claim({ ...hog, want: 0 });
    }
    expect(await check).toMatchObject({ code: 0 });
  });

  it('exits 3 for an unknown list and 1 when Optimizely refuses the credentials, without echoing the password', async () => {
    expect(await cli.run(['check', '--list', 'nope'])).toMatchObject({ code: 3, err: expect.stringContaining('list nope not found') });
    const badPassword = cliFor(stack, { CAMPAIGN_SYNC_DEMO_PASSWORD: 'not-the-password-7731' });
    const refused = await badPassword.run(['check', '--list', 'newsletter']);
    expect(refused.code).toBe(1);
    expect(refused.out).toContain('Optimizely could not be asked about list 100');
    expect(refused.out).toContain('Invalid credentials');
    expect(refused.out).not.toContain('not-the-password-7731');
  });
});
