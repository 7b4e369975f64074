import Database from 'better-sqlite3';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { WorkflowBundle } from '@temporalio/worker';
import { DEMO_LISTS } from '../../src/demo/demo-lists';
import { responseIngestWorkflowId } from '../../workflows/ids';
import { responseIngestWorkflow, responseStatusQuery } from '../../workflows/response-ingest';
import { DEMO_MANDATOR, LIST_IDS, startSyncStack, type SimRecipient, type SyncStack } from '../helpers/sync-stack';
import { historyText, workflowsOfClient } from '../helpers/history-text';
import { bundleWorkflows, connectTestEnv } from '../helpers/temporal-env';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const optInOf = (listKey: string) => Number(DEMO_LISTS.find((l) => l.listKey === listKey)?.optInId);

describe('responseIngestWorkflow', () => {
  let env: TestWorkflowEnvironment;
  let bundle: WorkflowBundle;
  let stack: SyncStack;
  let sent: SimRecipient[];
  let dailyWorkflowId: string;
  const byType = (type: string, skip = 0) => {
    const found = sent.filter((r) => r.attributes['entity-type'] === type)[skip];
    if (!found) throw new Error(`no ${type} on the newsletter list`);
    return found;
  };
  const inject = (events: unknown[]) => stack.admin(`/admin/clients/${DEMO_MANDATOR}/events`, { events });
  const advance = (ms: number) => stack.admin('/admin/clock/advance', { ms }) as Promise<{ now: number }>;
  const crmRows = (sql: string, ...params: unknown[]) => {
    const crm = new Database(stack.crmFile, { readonly: true });
    try {
      return crm.prepare(sql).all(...params) as Array<Record<string, unknown>>;
    } finally {
      crm.close();
    }
  };
  const ingest = async () => {
    const worker = await stack.startWorker();
    return worker.runUntil(async () => {
      const handle = await env.client.workflow.start(responseIngestWorkflow, {
        taskQueue: stack.taskQueue,
        workflowId: responseIngestWorkflowId(stack.clientKey, new Date().toISOString()),
        args: [{ client: stack.clientKey }],
      });
      const result = await handle.result();
      return { result, status: await handle.query(responseStatusQuery) };
    });
  };

  beforeAll(async () => {
    env = await connectTestEnv();
    bundle = await bundleWorkflows();
    stack = await startSyncStack({ env, bundle, title: 'response ingest', contacts: 300 });
    const daily = await stack.runDaily();
    dailyWorkflowId = daily.workflowId;
    expect(daily.status.responses).toMatchObject({ phase: 'done', lagging: false, lostBeforeMs: 0, windowsTotal: 30 });
    sent = await stack.listRecipients('newsletter');
    await stack.admin(`/admin/clients/${DEMO_MANDATOR}/mailings`, {
      mailingId: 1001,
      name: 'Spring newsletter',
      recipientListId: LIST_IDS.newsletter,
    });
    await stack.admin(`/admin/clients/${DEMO_MANDATOR}/mailings`, {
      mailingId: 2001,
      name: 'Smart campaign',
      recipientListId: LIST_IDS.newsletter,
    });
  });

  afterAll(async () => {
    await stack?.stop();
    await env?.teardown();
  });

  it('runs in the daily order as a child started after every list sync ended', async () => {
    const { events } = await env.client.workflow.getHandle(dailyWorkflowId).fetchHistory();
    const starts = (events ?? []).flatMap((e, i) => {
      const type = e.startChildWorkflowExecutionInitiatedEventAttributes?.workflowType?.name;
      return type ? [{ type, i }] : [];
    });
    const lastListEnded = Math.max(
      ...(events ?? []).flatMap((e, i) =>
        e.childWorkflowExecutionCompletedEventAttributes?.workflowType?.name === 'listSyncWorkflow' ? [i] : [],
      ),
    );
    expect(starts.map((s) => s.type)).toEqual(['listSyncWorkflow', 'listSyncWorkflow', 'responseIngestWorkflow']);
    expect(starts[2]?.i).toBeGreaterThan(lastListEnded);
  });

  it('applies bounces and unsubscribes to the contact, lead and account they were sent as', async () => {
    const [contact, lead, account] = [byType('contact'), byType('lead'), byType('account')];
    const accountLists = (await stack.listRecipients('offers')).some((r) => r.recipientId === account.recipientId)
      ? ['newsletter', 'offers']
      : ['newsletter'];
    await inject([
      { type: 'unsubscribe', recipientId: contact.recipientId, recipientListId: LIST_IDS.newsletter, mailingId: 1001 },
      ...[1, 2, 3].map(() => ({ type: 'hardbounce', recipientId: lead.recipientId, mailingId: 1001 })),
      { type: 'unsubscribe', recipientId: account.recipientId, recipientListId: 0 },
    ]);
    await advance(15 * 60_000);

    const { result } = await ingest();

    expect(result.counts?.unsubscribe).toMatchObject({ applied: 2, duplicate: 1 });
    expect(result.counts?.bounce).toMatchObject({ applied: 1 });
    const consent = (r: SimRecipient, listKey: string) =>
      crmRows(
        'SELECT status FROM consents WHERE entity_type = ? AND entity_id = ? AND opt_in_id = ?',
        r.attributes['entity-type'],
        r.attributes['entity-id'],
        optInOf(listKey),
      )[0]?.['status'];
    expect(consent(contact, 'newsletter')).toBe('withdrawn');
    for (const listKey of accountLists) expect(consent(account, listKey)).toBe('withdrawn');
    expect(crmRows('SELECT hard FROM bounces WHERE entity_type = ? AND entity_id = ?', 'lead', lead.attributes['entity-id'])).toEqual([
      { hard: 1 },
    ]);
  });

  it('applies an unsubscribe reported under another form of the sent id once, to the entity it was sent as', async () => {
    const contact = byType('contact', 1);
    // Letter case, padding, a full-width at sign and an FQDN's trailing dot: the same address.
    const variant = ` ${contact.recipientId.toUpperCase().replace('@', '\uFF20')}. `;
    const { now } = await advance(0);
    const at = now - 60_000;
    await inject([
      { type: 'unsubscribe', recipientId: variant, recipientListId: LIST_IDS.newsletter, time: at },
      { type: 'unsubscribe', recipientId: contact.recipientId.toUpperCase(), recipientListId: LIST_IDS.newsletter, time: at },
      { type: 'unsubscribe', recipientId: 'never-sent@nowhere.test', recipientListId: LIST_IDS.newsletter, time: at },
    ]);
    await advance(15 * 60_000);

    const { result } = await ingest();

    // Events of earlier tests read again over the overlap are duplicates too, never applied or unknown.
    expect(result.counts?.unsubscribe).toMatchObject({ applied: 1, unknownRecipient: 1 });
    expect(result.counts?.unsubscribe.duplicate).toBeGreaterThanOrEqual(1);
    const consents = crmRows(
      'SELECT status FROM consents WHERE entity_type = ? AND entity_id = ? AND opt_in_id = ?',
      contact.attributes['entity-type'],
      contact.attributes['entity-id'],
      optInOf('newsletter'),
    );
    expect(consents).toEqual([{ status: 'withdrawn' }]);
  });

  it('records opens and clicks of a CRM campaign and counts the rest as ignored', async () => {
    const [a, b, c] = [byType('contact', 1), byType('contact', 2), byType('lead', 1)];
    await inject([
      { type: 'open', recipientId: a.recipientId, mailingId: 1001 },
      { type: 'open', recipientId: b.recipientId, mailingId: 1001 },
      { type: 'click', recipientId: c.recipientId, mailingId: 1001, linkUrl: 'https://example.com/spring' },
      { type: 'open', recipientId: a.recipientId, mailingId: 2001 },
      { type: 'click', recipientId: b.recipientId, mailingId: 2001 },
      { type: 'open', recipientId: 'never-sent@example.invalid', mailingId: 1001 },
    ]);
    await advance(15 * 60_000);

    const { result, status } = await ingest();

    expect(result.counts?.open).toMatchObject({ read: 4, applied: 2, noCampaign: 1, unknownRecipient: 1 });
    expect(result.counts?.click).toMatchObject({ read: 2, applied: 1, noCampaign: 1 });
    expect(status).toMatchObject({ phase: 'done', lagging: false });
    const rows = crmRows('SELECT campaign_id, kind, entity_type, entity_id, url FROM campaign_responses ORDER BY kind, entity_id');
    expect(rows).toHaveLength(3);
    expect(rows).toContainEqual({
      campaign_id: 'CMP-0001',
      kind: 'click',
      entity_type: 'lead',
      entity_id: c.attributes['entity-id'],
      url: 'https://example.com/spring',
    });
    const run = await stack.deps.store.runs.get(result.runId);
    expect(run).toMatchObject({ kind: 'responses', status: 'completed' });
    expect(run?.counts).toMatchObject({ 'open.applied': 2, 'open.noCampaign': 1, 'open.unknownRecipient': 1, 'click.noCampaign': 1 });
  });

  it('changes nothing in the CRM when run again over the overlap', async () => {
    const tables = () => ['consents', 'bounces', 'campaign_responses'].map((t) => crmRows(`SELECT * FROM ${t} ORDER BY 1, 2, 3`));
    const before = tables();

    const { result } = await ingest();

    expect(tables()).toEqual(before);
    expect(result.counts?.open).toMatchObject({ applied: 0, duplicate: 2 });
    expect(result.counts?.unsubscribe.applied).toBe(0);
  });

  it('catches up an outage of three days window by window', async () => {
    const { now } = (await stack.admin('/admin/clock')) as { now: number };
    const openers = sent.slice(10, 16);
    await inject(
      openers.map((r, i) => ({ type: 'open', recipientId: r.recipientId, mailingId: 1001, time: now + (i + 1) * 12 * HOUR - 60_000 })),
    );
    // The last open lands in an export batch produced up to ten minutes after it.
    await advance(3 * DAY + 15 * 60_000);

    const { result } = await ingest();

    expect(result.windowsTotal).toBeGreaterThanOrEqual(4);
    expect(result.counts?.open.applied).toBe(6);
    expect(result).toMatchObject({ lagging: false, lostBeforeMs: 0 });
    expect(await stack.deps.store.watermarks.get(stack.clientKey, 'responses')).toBe(result.until);
  });

  it('reports data older than the retention as lost, not silently skipped', async () => {
    const { now } = (await stack.admin('/admin/clock')) as { now: number };
    await inject([{ type: 'open', recipientId: sent[20]?.recipientId, mailingId: 1001, time: now + HOUR }]);
    await advance(31 * DAY);

    const { result, status } = await ingest();

    expect(status).toMatchObject({ lagging: true });
    expect(result.lostBeforeMs).toBeGreaterThanOrEqual(DAY + HOUR);
    expect(result.lostBeforeMs).toBeLessThan(DAY + 2 * HOUR);
    expect(result.counts?.open.read).toBe(0);
    const run = await stack.deps.store.runs.get(result.runId);
    expect(run?.counts).toMatchObject({ lagging: 1, lostBeforeMs: result.lostBeforeMs });
  });

  it('keeps recipient ids out of the histories of its runs', async () => {
    const runs = (await workflowsOfClient(env.client, stack.clientKey)).filter((w) => w.workflowId.startsWith('responses:'));
    expect(runs.length).toBeGreaterThanOrEqual(6);
    for (const { workflowId, runId } of runs) {
      const text = await historyText(env.client, workflowId, runId);
      expect(text).toContain('ingestResponseWindow');
      expect(sent.filter((r) => text.includes(r.recipientId))).toEqual([]);
    }
  });
});
