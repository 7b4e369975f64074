import Database from 'better-sqlite3';
import { readDemoCrm } from '../../../src/demo/demo-crm-data';
import { DEMO_LISTS } from '../../../src/demo/demo-lists';
import { expectedRecipients } from '../../../src/demo/expected-recipients';
import { adminDelete } from '../../helpers/crash-harness';
import type { SyncStack } from '../../helpers/sync-stack';
import { useSyncStack } from '../../helpers/workflow-test-env';

const WRITE_CALLS = ['clear', 'addAll3', 'removeAll', 'setAttributesInBatch', 'setAttributesInBatchFlat', 'remove'];

// CRM text that XML carries but does not give back as it was sent: a CR (alone or in CRLF), which
// every XML reader, ours included, reads as LF. Sent as it was, the reconcile's read of the live list
// would find these cities changed, and update them, every day. With markup, tabs, a line separator,
// blanks at the ends and formula-like text beside them, which do come back exactly.
const CITIES = [
  'Köln\r\nDeutz',
  'Alt\rstadt',
  'Ende\r\n',
  '\r\nAnfang',
  'A & B <C>',
  'Tab\there',
  'Zeile\u2028Trenner',
  '  Rand  ',
  '=HYPERLINK("http://x","y")',
];

describe('strategy reconcile with CRM text that XML reads back otherwise', () => {
  const shared = useSyncStack({
    title: 'reconcile text',
    contacts: 120,
    adjust: (raw) => {
      Object.assign(raw.clients[0].lists[0], { strategy: 'reconcile' });
      Object.assign(raw.clients[0].lists[1], { enabled: false });
    },
  });
  let stack: SyncStack;
  const requests = async () => ((await stack.admin('/admin/requests')) as { requests: Array<{ operation: string }> }).requests;

  beforeAll(() => {
    stack = shared.stack;
  });

  it('stores each value as the snapshot holds it, and the next day finds nothing to update', async () => {
    const newsletter = DEMO_LISTS.find((l) => l.listKey === 'newsletter')!;
    const members = expectedRecipients(readDemoCrm(stack.crmFile), newsletter).filter((r) => r.entityType === 'contact');
    const chosen = members.slice(0, CITIES.length);
    const crm = new Database(stack.crmFile);
    const setCity = crm.prepare('UPDATE contacts SET city = ? WHERE id = ?');
    CITIES.forEach((city, i) => expect(setCity.run(city, chosen[i]!.entityId).changes).toBe(1));
    crm.close();

    const first = await stack.runDaily({ batchesPerActivity: 1 });
    expect(first.status.lists.newsletter).toMatchObject({ state: 'ready' });
    const live = await stack.listRecipients('newsletter');
    const cityOf = new Map(live.map((r) => [r.recipientId, r.attributes.city]));
    // Stored as an XML reader gives it back (LF line ends), everything else exactly as the CRM holds it.
    expect(chosen.map((r) => cityOf.get(r.recipientId))).toEqual(CITIES.map((c) => c.replace(/\r\n?/g, '\n')));

    await adminDelete(stack, '/admin/requests');
    const second = await stack.runDaily();
    expect(second.status.lists.newsletter).toMatchObject({ state: 'ready', windowSeconds: 0, verifiedCount: live.length });
    const run = await stack.deps.store.runs.lastGood(stack.clientKey, 'newsletter');
    expect(run?.counts).toMatchObject({ 'reconcile.add': 0, 'reconcile.remove': 0, 'reconcile.update': 0 });
    expect((await requests()).filter((r) => WRITE_CALLS.includes(r.operation))).toEqual([]);
    expect(await stack.listRecipients('newsletter')).toEqual(live);
  }, 180_000);
});
