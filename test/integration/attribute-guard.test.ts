import Database from 'better-sqlite3';
import { listSyncWorkflowId } from '../../workflows/ids';
import { approveUpdate, listSyncWorkflow, progressQuery } from '../../workflows/list-sync';
import type { SyncStack } from '../helpers/sync-stack';
import { waitFor } from '../helpers/wait-for';
import { useSyncStack } from '../helpers/workflow-test-env';

// A CRM view that one night exports every contact's and lead's first name empty (a renamed column, a
// broken view), or every accented name as replacement characters (a charset error). Without the
// attribute guard the refresh refills the whole list with it and the reconcile updates everyone:
// "Dear ," to the whole list. Held before the clear (or any update), the list keeps yesterday's
// names; an operator who knows the names are meant to go approves, and the run goes through.

/** Runs a list sync of `listKey` to its hold; the reasons it was held for. */
async function syncUntilHeld(shared: ReturnType<typeof useSyncStack>, suffix: string) {
  const { stack } = shared;
  const handle = await shared.temporal.env.client.workflow.start(listSyncWorkflow, {
    taskQueue: stack.taskQueue,
    workflowId: `${listSyncWorkflowId(stack.clientKey, 'newsletter')}:${suffix}`,
    args: [{ client: stack.clientKey, listKey: 'newsletter' }],
  });
  await waitFor(async () => (await handle.query(progressQuery)).phase === 'held', 60_000);
  return { handle, reasons: (await handle.query(progressQuery)).guardReasons };
}

function updateCrm(stack: SyncStack, sql: string): void {
  const crm = new Database(stack.crmFile);
  try {
    for (const table of ['contacts', 'leads']) crm.prepare(sql.replace('$table', table)).run();
  } finally {
    crm.close();
  }
}

const firstNames = async (stack: SyncStack) => (await stack.listRecipients('newsletter')).map((r) => r.attributes.firstname ?? '');
const blankShare = (names: string[]) => names.filter((n) => n.trim() === '').length / names.length;

describe('the attribute guard (dev server, simulator, real activities)', () => {
  const shared = useSyncStack({ title: 'attribute guard', contacts: 60, adjust: (raw) => (raw.clients[0].lists[1].enabled = false) });

  it('holds a day of blanked first names before the clear, leaves the list as it was, and an approval lets it through', async () => {
    const { stack } = shared;
    const first = await stack.runDaily();
    expect(first.status.lists.newsletter).toMatchObject({ state: 'ready' });
    const yesterday = await firstNames(stack);
    expect(yesterday.length).toBeGreaterThan(10);
    expect(blankShare(yesterday)).toBeLessThan(0.05);

    updateCrm(stack, "UPDATE $table SET first_name = ''");
    const worker = await stack.startWorker();
    await worker.runUntil(async () => {
      const { handle, reasons } = await syncUntilHeld(shared, 'blanked');
      expect(reasons).toEqual([
        expect.stringMatching(
          /^attribute firstname lost its value for \d+\.\d% of the \d+ recipients kept from the last good run \(\d+ emptied, 0 garbled; limit 5%\)$/,
        ),
      ]);
      // No recipient value in the reason: none of yesterday's first names.
      for (const name of yesterday.filter((n) => n.length > 3)) expect(reasons[0]).not.toContain(name);
      // Held before the clear: the list still has its names.
      expect(await firstNames(stack)).toEqual(yesterday);
      await handle.executeUpdate(approveUpdate, { args: [{ by: 'ops@example.test', reason: 'first names withdrawn on purpose' }] });
      expect(await handle.result()).toMatchObject({ status: 'ready', decidedBy: 'ops@example.test' });
    });
    expect(blankShare(await firstNames(stack))).toBeGreaterThan(0.5);
  });
});

describe('the attribute guard of a reconcile (dev server, simulator, real activities)', () => {
  const shared = useSyncStack({
    title: 'attribute guard reconcile',
    contacts: 60,
    adjust: (raw) => {
      Object.assign(raw.clients[0].lists[0], { strategy: 'reconcile' });
      raw.clients[0].lists[1].enabled = false;
    },
  });

  it('holds a day of garbled first names before any update, and an approval updates them', async () => {
    const { stack } = shared;
    const first = await stack.runDaily();
    expect(first.status.lists.newsletter).toMatchObject({ state: 'ready' });
    const yesterday = await firstNames(stack);
    // A charset error: every name read as replacement characters.
    updateCrm(stack, "UPDATE $table SET first_name = 'J' || char(65533) || char(65533) || 'rg'");
    const worker = await stack.startWorker();
    await worker.runUntil(async () => {
      const { handle, reasons } = await syncUntilHeld(shared, 'garbled');
      expect(reasons).toEqual([
        expect.stringMatching(
          /^attribute firstname lost its value for \d+\.\d% of the \d+ recipients kept on the live list \(0 emptied, \d+ garbled; limit 5%\)$/,
        ),
        expect.stringMatching(/^the reconcile would update the values of \d+\.\d% of the recipients it keeps \(\d+ of \d+; limit 20%\)$/),
      ]);
      expect(await firstNames(stack)).toEqual(yesterday);
      await handle.executeUpdate(approveUpdate, { args: [{ by: 'ops@example.test' }] });
      expect(await handle.result()).toMatchObject({ status: 'ready', decidedBy: 'ops@example.test' });
    });
    expect((await firstNames(stack)).filter((n) => n.includes('\ufffd')).length).toBeGreaterThan(yesterday.length / 2);
  });
});
