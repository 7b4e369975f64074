import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { openOptimizelyClient } from '../../../src/stack/open-optimizely-client';
import { adminDelete } from '../../helpers/crash-harness';
import type { SyncStack } from '../../helpers/sync-stack';
import { LIST_IDS } from '../../helpers/sync-stack';
import { useSyncStack } from '../../helpers/workflow-test-env';
import { cliFor } from './cli-harness';

interface PlanJson {
  diff: { add: number; remove: number; update: number; unchanged: number };
  optimizely: { count: number };
  crm: { rowsRead: number; accepted: number; excluded: Record<string, number> };
  guard: { verdict: string; reasons: string[]; optimizelyUnsubscribed: number };
}

// containsAll: the guard's count of accepted recipients Optimizely's unsubscribe list holds (read-only).
const READ_CALLS = new Set(['login', 'getCount', 'getAllAdvancedFlat', 'containsAll', 'logout']);

/** Every row of every table of a SQLite file, to prove a command wrote nothing there. */
function dump(file: string): string {
  const db = new Database(file, { readonly: true });
  try {
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as { name: string }[];
    return JSON.stringify(tables.map(({ name }) => [name, db.prepare(`SELECT * FROM "${name}"`).all()]));
  } finally {
    db.close();
  }
}

// `campaign-sync plan` against the simulator, the demo SQLite CRM and the state store of a real
// daily run: read-only, and the diff is what the next refresh would change.
describe('campaign-sync plan', () => {
  const shared = useSyncStack({ title: 'cli plan', contacts: 300 });
  let stack: SyncStack;
  let cli: ReturnType<typeof cliFor>;

  beforeAll(async () => {
    stack = shared.stack;
    cli = cliFor(stack);
    await stack.runDaily();
  });

  it('is empty on an unchanged CRM and changes nothing: only read calls at Optimizely, CRM and state store untouched', async () => {
    await adminDelete(stack, '/admin/requests');
    const crmBefore = dump(stack.crmFile);
    const storeBefore = dump(stack.config.store.kind === 'sqlite' ? stack.config.store.file : '');
    const listBefore = await stack.listRecipients('newsletter');
    const plan = await cli.json<PlanJson>(['plan', 'newsletter']);
    expect(plan.diff).toEqual({ add: 0, remove: 0, update: 0, unchanged: listBefore.length });
    expect(plan.optimizely.count).toBe(listBefore.length);
    expect(plan.crm.accepted).toBe(listBefore.length);
    expect(plan.crm.rowsRead).toBe(plan.crm.accepted + Object.values(plan.crm.excluded).reduce((a, b) => a + b, 0));
    expect(plan.guard).toEqual({ verdict: 'pass', reasons: [], lastGoodCount: listBefore.length, optimizelyUnsubscribed: 0 });
    const { requests } = (await stack.admin('/admin/requests')) as { requests: Array<{ operation: string }> };
    expect(requests.length).toBeGreaterThan(0);
    expect(requests.filter((r) => !READ_CALLS.has(r.operation))).toEqual([]);
    expect(dump(stack.crmFile)).toBe(crmBefore);
    expect(dump(stack.config.store.kind === 'sqlite' ? stack.config.store.file : '')).toBe(storeBefore);
    expect(await stack.listRecipients('newsletter')).toEqual(listBefore);
  });

  it('shows exactly N to remove after the CRM withdrew the consent of N sent recipients, and a changed city as an update', async () => {
    const run = await stack.deps.store.runs.lastGood(stack.clientKey, 'newsletter');
    const sent: { recipientId: string; entityType: string; entityId: string }[] = [];
    const duplicated = new Set<string>();
    for await (const entry of stack.deps.store.ledger.stream(run!.runId, { listKey: 'newsletter' })) {
      if (entry.outcome === 'sent') sent.push(entry);
      if (entry.outcome === 'excluded' && entry.reason === 'duplicate') duplicated.add(entry.recipientId);
    }
    // A recipient id another entity also carries would come back with that entity: not a leaver.
    const unique = sent.filter((s) => !duplicated.has(s.recipientId) && s.entityType === 'contact');
    const leavers = unique.slice(0, 4);
    const mover = unique[4]!;
    const crm = new Database(stack.crmFile);
    const withdraw = crm.prepare(
      "UPDATE consents SET status = 'withdrawn', changed_at = '2026-11-29T12:00:00Z' WHERE entity_type = ? AND entity_id = ? AND opt_in_id = 11",
    );
    for (const l of leavers) expect(withdraw.run(l.entityType, l.entityId).changes).toBe(1);
    expect(crm.prepare("UPDATE contacts SET city = 'Neustadt an der Plan' WHERE id = ?").run(mover.entityId).changes).toBe(1);
    crm.close();
    const csvFile = join(stack.dir, 'plan.csv');
    const plan = await cli.json<PlanJson>(['plan', 'newsletter', '--csv', csvFile]);
    expect(plan.diff).toMatchObject({ add: 0, remove: leavers.length, update: 1 });
    expect(plan.crm.excluded.consent_withdrawn).toBeGreaterThanOrEqual(leavers.length);
    const lines = readFileSync(csvFile, 'utf8').trim().split('\n');
    expect(lines[0]).toBe('change,recipientId,fields');
    expect(lines.slice(1).sort()).toEqual([...leavers.map((l) => `remove,${l.recipientId},`), `update,${mover.recipientId},city`].sort());
  });

  it('shows a recipient marketing added by hand as remove, formula-safe in the CSV', async () => {
    const optimizely = openOptimizelyClient(stack.config.clients[0]!, process.env);
    const names = ['opt-in-id', 'description', 'media-type', 'entity-type', 'entity-id'];
    try {
      await optimizely.recipient.addAll3({
        listId: LIST_IDS.newsletter,
        optinProcessId: 0,
        recipientIds: ['=hand@added.example'],
        addresses: ['=hand@added.example'],
        attributeNames: names,
        attributeValues: [['', '', '', '', '']],
      });
    } finally {
      await optimizely.close();
    }
    const csvFile = join(stack.dir, 'hand.csv');
    const result = await cli.run(['plan', 'newsletter', '--csv', csvFile]);
    expect(result.code).toBe(0);
    expect(result.out).toMatch(/diff: add 0, remove 5, update 1, unchanged \d+/);
    expect(result.out).toContain('nothing was changed');
    expect(readFileSync(csvFile, 'utf8')).toContain("remove,'=hand@added.example,");
  });

  it('leaves no diff CSV when it fails (an empty or partial file would read as a whole diff), and says why', async () => {
    await stack.admin('/admin/faults', { refuseNextCallsOf: { 'Recipient.getAllAdvancedFlat': 1 } });
    const csvFile = join(stack.dir, 'failed.csv');
    try {
      const result = await cli.run(['plan', 'newsletter', '--csv', csvFile]);
      expect(result.code).not.toBe(0);
      expect(result.err).toMatch(/getAllAdvancedFlat/);
    } finally {
      await adminDelete(stack, '/admin/faults');
    }
    expect(existsSync(csvFile)).toBe(false);
    expect(existsSync(`${csvFile}.partial`)).toBe(false);
  });

  it('the nightly run reports the hand-added recipient as drift (summary, status, report) and its refresh removes it', async () => {
    const before = (await stack.listRecipients('newsletter')).length;
    const previous = await stack.deps.store.runs.lastGood(stack.clientKey, 'newsletter');
    const { status } = await stack.runDaily();
    expect(status.lists.newsletter).toMatchObject({
      state: 'ready',
      drift: { liveCount: before, expectedCount: previous!.counts.verifiedCount, added: 1, removed: 0 },
    });
    expect(status.lists.offers?.drift).toMatchObject({ added: 0, removed: 0 });
    const ids = (await stack.listRecipients('newsletter')).map((r) => r.recipientId);
    expect(ids).not.toContain('=hand@added.example');
    const latest = await stack.deps.store.runs.lastGood(stack.clientKey, 'newsletter');
    const report = await cli.run(['report', latest!.runId]);
    expect(report.out).toContain(
      `DRIFT: live list ${before} before the clear, the last run left ${before - 1} (net 1 added by someone else`,
    );
    // The plan after the refresh: the leavers and the hand-added recipient are gone, nothing left to do.
    expect((await cli.json<PlanJson>(['plan', 'newsletter'])).diff).toMatchObject({ add: 0, remove: 0, update: 0 });
  });

  it('counts, like the nightly guard, the accepted recipients Optimizely holds as unsubscribed, and holds on them', async () => {
    const listed = (await stack.listRecipients('newsletter')).map((r) => r.recipientId);
    const leavers = listed.slice(0, Math.ceil(listed.length / 2));
    // Unsubscribed at Optimizely only (no ClosedLoop batch produced, no feedback import: the CRM still consents).
    const optimizely = stack.deps.optimizely(stack.clientKey);
    for (const recipientId of leavers) await optimizely.unsubscribe.add({ recipientId });
    await adminDelete(stack, '/admin/requests');
    const plan = await cli.json<PlanJson>(['plan', 'newsletter']);
    expect(plan.crm.accepted).toBe(listed.length);
    expect(plan.guard.optimizelyUnsubscribed).toBe(leavers.length);
    expect(plan.guard.verdict).toBe('hold');
    expect(plan.guard.reasons.join('; ')).toContain(`after leaving out ${leavers.length} Optimizely holds as unsubscribed`);
    const { requests } = (await stack.admin('/admin/requests')) as { requests: Array<{ operation: string }> };
    expect(requests.filter((r) => !READ_CALLS.has(r.operation))).toEqual([]);
    expect((await cli.run(['plan', 'newsletter'])).out).toContain(`${leavers.length} held as unsubscribed at Optimizely`);
  });
});
