import Database from 'better-sqlite3';
import { printDailySummary } from '../../src/cli/print-daily-summary';
import type { SyncStack } from '../helpers/sync-stack';
import { useSyncStack } from '../helpers/workflow-test-env';

// Yesterday's list is full; today one contact's first name carries a backspace, which XML 1.0
// cannot carry. The export checks every value with the request writer's own rule before the
// snapshot, so the clear never happens with a recipient the refill cannot send: by default the
// value is stripped and everyone is in; with `exclude` everyone else is.
describe('sendability from the CRM to the refilled list', () => {
  const shared = useSyncStack({ title: 'sendability', contacts: 1200 });
  let stack: SyncStack;
  let yesterday: string[];
  let poisoned: { recipientId: string; entityId: string };

  beforeAll(async () => {
    stack = shared.stack;
    const { status } = await stack.runDaily();
    expect(status.lists.newsletter?.state).toBe('ready');
    const recipients = await stack.listRecipients('newsletter');
    yesterday = recipients.map((r) => r.recipientId).sort();
    const contact = recipients.find((r) => r.attributes['entity-type'] === 'contact' && r.attributes.firstname);
    poisoned = { recipientId: contact!.recipientId, entityId: String(contact!.attributes['entity-id']) };
    const db = new Database(stack.crmFile);
    db.prepare("UPDATE contacts SET first_name = 'An' || char(8) || 'na' WHERE id = ?").run(poisoned.entityId);
    db.close();
  }, 120_000);

  const lastListRun = async () =>
    (await stack.deps.store.runs.list({ client: stack.clientKey, listKey: 'newsletter', kind: 'list', limit: 1 }))[0]!;

  it('strips the poisoned value by default: the list is ready with everyone, the value sanitized and counted', async () => {
    const { status } = await stack.runDaily();

    expect(status.lists.newsletter).toMatchObject({ state: 'ready', verifiedCount: yesterday.length });
    const recipients = await stack.listRecipients('newsletter');
    expect(recipients.map((r) => r.recipientId).sort()).toEqual(yesterday);
    expect(recipients.find((r) => r.recipientId === poisoned.recipientId)?.attributes.firstname).toBe('Anna');
    const run = await lastListRun();
    expect(run.counts).toMatchObject({ 'sanitized.first_name': 1 });
    expect(await stack.deps.store.ledger.count(run.runId)).toMatchObject({ sanitized: 1, bySanitizedField: { first_name: 1 } });
    const lines: string[] = [];
    await printDailySummary(status, stack.deps.store, (line) => lines.push(line));
    expect(lines.join('\n')).toMatch(/sanitized: first_name=1/);
    const hits = await stack.deps.store.ledger.find({ recipientId: poisoned.recipientId, listKey: 'newsletter', limit: 5 });
    expect(hits.filter((h) => h.runId === run.runId).map((h) => [h.outcome, 'reason' in h ? h.reason : undefined])).toEqual(
      expect.arrayContaining([
        ['sanitized', 'invalid_characters'],
        ['sent', undefined],
      ]),
    );
  }, 120_000);

  it('excludes the poisoned row under exclude: the list is ready with everyone else', async () => {
    // Activities read a list's settings on every call, so changing the parsed configuration is today's edit.
    const list = stack.config.clients[0]!.lists.find((l) => l.key === 'newsletter')!;
    list.sendability.invalidAttributeValues = 'exclude';

    const { status } = await stack.runDaily();

    const others = yesterday.filter((id) => id !== poisoned.recipientId);
    expect(status.lists.newsletter).toMatchObject({ state: 'ready', verifiedCount: others.length });
    expect((await stack.listRecipients('newsletter')).map((r) => r.recipientId).sort()).toEqual(others);
    const run = await lastListRun();
    expect(run.counts).toMatchObject({ 'excluded.invalid_characters': 1 });
    const hits = await stack.deps.store.ledger.find({ recipientId: poisoned.recipientId, listKey: 'newsletter', limit: 5 });
    expect(hits.filter((h) => h.runId === run.runId)).toEqual([
      expect.objectContaining({ outcome: 'excluded', reason: 'invalid_characters', field: 'first_name', entityId: poisoned.entityId }),
    ]);
  }, 120_000);
});
