import Database from 'better-sqlite3';
import { readDemoCrm } from '../../src/demo/demo-crm-data';
import { DEMO_LISTS } from '../../src/demo/demo-lists';
import { expectedRecipients } from '../../src/demo/expected-recipients';
import { type SyncStack } from '../helpers/sync-stack';
import { DEMO_PASSWORD } from '../../src/demo/demo-config';
import { historyText, workflowsOfClient } from '../helpers/history-text';
import { waitFor } from '../helpers/wait-for';
import { useSyncStack } from '../helpers/workflow-test-env';

describe('dailySyncWorkflow end to end', () => {
  const shared = useSyncStack({ title: 'end to end' });
  const env = () => shared.temporal.env;
  let stack: SyncStack;

  beforeAll(() => {
    stack = shared.stack;
  });

  it('fills every list with exactly the expected recipients and their technical fields', async () => {
    const { status } = await stack.runDaily({ batchesPerActivity: 1 });
    const data = readDemoCrm(stack.crmFile);
    for (const list of DEMO_LISTS) {
      const listKey = list.listKey as 'newsletter' | 'offers';
      expect(status.lists[listKey]?.state).toBe('ready');
      const expected = expectedRecipients(data, list);
      const actual = await stack.listRecipients(listKey);
      expect(actual.map((r) => r.recipientId).sort()).toEqual(expected.map((r) => r.recipientId));
      const byId = new Map(expected.map((r) => [r.recipientId, r]));
      for (const recipient of actual) {
        const want = byId.get(recipient.recipientId);
        expect(recipient.attributes).toMatchObject({
          'opt-in-id': list.optInId,
          'media-type': 'email',
          'entity-type': want?.entityType,
          'entity-id': want?.entityId,
        });
        expect(recipient.attributes.description).toBeTruthy();
      }
      expect(status.lists[listKey]?.verifiedCount).toBe(expected.length);
    }
  });

  it('accounts for every selection row in the snapshot or the ledger', async () => {
    const runs = await stack.deps.store.runs.list({ client: stack.clientKey, kind: 'list' });
    expect(runs.length).toBeGreaterThanOrEqual(2);
    for (const run of runs) {
      const ledger = await stack.deps.store.ledger.count(run.runId);
      const excluded = Object.entries(run.counts)
        .filter(([k]) => k.startsWith('excluded.'))
        .reduce((sum, [, n]) => sum + n, 0);
      expect(ledger.excluded).toBe(excluded);
      expect(ledger.sent).toBe(run.counts.sent);
      expect(run.snapshot?.count).toBe(run.counts.exported);
      expect(run.counts.rowsRead).toBe((run.counts.exported ?? 0) + excluded);
    }
  });

  it('keeps every e-mail address, name and the password out of the workflow histories', async () => {
    const data = readDemoCrm(stack.crmFile);
    let workflows: Array<{ workflowId: string; runId: string }> = [];
    // Visibility is eventually consistent: wait until the daily run and both list syncs are listed.
    await waitFor(async () => (workflows = await workflowsOfClient(env().client, stack.clientKey)).length >= 3);
    const text = (await Promise.all(workflows.map((w) => historyText(env().client, w.workflowId, w.runId)))).join('\n').toLowerCase();
    expect(text).toContain('newsletter');
    const leaked = data.entities.filter((e) => e.email && e.email.trim().length > 3 && text.includes(e.email.trim().toLowerCase()));
    expect(leaked.map((e) => `${e.entityType}/${e.entityId}`)).toEqual([]);
    const names = contactNames(stack.crmFile).filter((name) => text.includes(name));
    expect(names).toEqual([]);
    expect(text).not.toContain(DEMO_PASSWORD);
  });
});

/** Full names ("first last") of the demo contacts, lower-cased, as they would appear if leaked. */
function contactNames(crmFile: string): string[] {
  const db = new Database(crmFile, { readonly: true });
  const rows = db.prepare('SELECT first_name, last_name FROM contacts').all() as Array<{
    first_name: string | null;
    last_name: string | null;
  }>;
  db.close();
  return rows.filter((r) => r.first_name && r.last_name).map((r) => `${r.first_name} ${r.last_name}`.toLowerCase());
}
