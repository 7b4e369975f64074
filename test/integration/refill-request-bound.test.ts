import Database from 'better-sqlite3';
import { adminDelete, soapCalls } from '../helpers/crash-harness';
import type { SyncStack } from '../helpers/sync-stack';
import { useSyncStack } from '../helpers/workflow-test-env';

// A field whose limit was raised (sendability.maxLengths) and a CRM that fills it with markup: every
// value within its limit, yet one batch's addAll3 request over what the server reads (the simulator's
// 32 MiB). The server refuses such a call as a whole, for no recipient; before the request bound the
// list sync failed after its clear and the list was restored, every day. Now the batch goes in
// several calls within the bound and the list is ready with every value as the CRM holds it.
const SIMULATOR_BODY_LIMIT = 32 * 1024 * 1024;

describe('a batch whose addAll3 request would be larger than the server reads', () => {
  const shared = useSyncStack({
    title: 'request-bound',
    contacts: 800,
    adjust: (raw) => {
      raw.clients[0].lists[1].enabled = false;
      // Every city becomes a run of `&` (no letter): the attribute guard would hold the run as garbled
      // values (maxBlankedPercent); this test is about the request bound, so the values are let through.
      raw.clients[0].lists[0].guard = { maxBlankedPercent: 100 };
    },
  });
  let stack: SyncStack;

  beforeAll(() => {
    stack = shared.stack;
  });

  it('is sent in several calls within the bound: the list is ready with every recipient and value', async () => {
    const first = await stack.runDaily();
    const count = first.status.lists.newsletter?.verifiedCount ?? 0;
    expect(count).toBeGreaterThan(100);
    // Long enough that the batch (all of the list, at most 1000) is over the server's limit in one request.
    const length = Math.ceil((SIMULATOR_BODY_LIMIT * 1.1) / (Math.min(count, 1000) * 5));
    const city = '&'.repeat(length);
    const crm = new Database(stack.crmFile);
    for (const table of ['contacts', 'leads', 'accounts']) crm.prepare(`UPDATE ${table} SET city = ?`).run(city);
    crm.close();
    // Activities read a list's settings on every call: the raised limit is today's configuration.
    const list = stack.config.clients[0]!.lists.find((l) => l.key === 'newsletter')!;
    list.sendability.maxLengths = { ...list.sendability.maxLengths, city: length };
    await adminDelete(stack, '/admin/requests');

    const second = await stack.runDaily();

    expect(second.status.lists.newsletter).toMatchObject({ state: 'ready', verifiedCount: count });
    const recipients = await stack.listRecipients('newsletter');
    expect(recipients).toHaveLength(count);
    expect(recipients.every((r) => r.attributes.city === city)).toBe(true);
    expect(await soapCalls(stack, 'addAll3')).toBeGreaterThan(Math.ceil(count / 1000));
  }, 300_000);
});
