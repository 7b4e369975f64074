import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { responseIngestWorkflowId } from '../../workflows/ids';
import { responseIngestWorkflow } from '../../workflows/response-ingest';
import { DEMO_MANDATOR, LIST_IDS, type SimRecipient, type SyncStack } from '../helpers/sync-stack';
import { newsletterConsent } from '../helpers/crm-consent';
import { useSyncStack } from '../helpers/workflow-test-env';

// Two people sent under ids that only fold alike (a CRM id and its full-width or zero-width twin:
// the export tells ids apart by letter case only) unsubscribe in the same second. Each must get
// their own consent withdrawn, through the ClosedLoop feedback import, a dropped feedback file and
// response ingestion; before, they shared one applied-event key and the second CRM write was lost.
// The export sends addresses here, so the ledger is given what a list sync keyed by opaque CRM ids
// records (a run of the client, each id sent as its own entity); everything else is the real stack.

const HEADER = 'recipientId,mailingId,timestamp,recipientListId,category';

describe('exactly once per person, for ids that fold alike', () => {
  const folder = mkdtempSync(join(tmpdir(), 'cs-applied-per-person-'));
  const shared = useSyncStack({ title: 'applied per person', contacts: 120, adjust: (raw) => (raw.clients[0].feedbackFolder = folder) });
  let stack: SyncStack;
  afterAll(() => rmSync(folder, { recursive: true, force: true }));
  beforeAll(() => {
    stack = shared.stack;
  });

  const consent = (r: SimRecipient) => newsletterConsent(stack.crmFile, r);
  const inject = (events: unknown[]) => stack.admin(`/admin/clients/${DEMO_MANDATOR}/events`, { events });
  const advance = (ms: number) => stack.admin('/admin/clock/advance', { ms }) as Promise<{ now: number }>;

  /** Records in the ledger that each id was sent on the newsletter list as its person's CRM entity. */
  async function sentAs(ids: ReadonlyArray<readonly [string, SimRecipient]>): Promise<void> {
    const runId = `opaque-ids-${Date.now()}`;
    const at = new Date().toISOString();
    // A failed list run: its sends count for feedback, but no list sync takes it as the last good run.
    await stack.deps.store.runs.upsert({
      runId,
      kind: 'list',
      client: stack.clientKey,
      listKey: 'newsletter',
      status: 'failed',
      startedAt: at,
      endedAt: at,
      counts: {},
      snapshot: null,
    });
    await stack.deps.store.ledger.record(
      ids.map(([recipientId, person]) => ({
        runId,
        listKey: 'newsletter',
        recipientId,
        entityType: person.attributes['entity-type'] as string,
        entityId: person.attributes['entity-id'] as string,
        outcome: 'sent' as const,
        resultCode: 0 as const,
      })),
    );
  }

  it('withdraws both consents through the ClosedLoop feedback import and a dropped file, once', async () => {
    await stack.runDaily();
    const people = (await stack.listRecipients('newsletter')).slice(0, 4);
    if (people.length < 4) throw new Error('the first run filled no list');
    const [a0, a1, b0, b1] = people as [SimRecipient, SimRecipient, SimRecipient, SimRecipient];
    const ids = [
      ['OPQ-1', a0],
      ['\uFF2F\uFF30\uFF31\uFF0D\uFF11', a1],
      ['DRP-2', b0],
      ['DRP\u200B-2', b1],
    ] as const;
    await sentAs(ids);
    const { now } = await advance(0);
    const at = now - 60_000;
    await inject(
      ids.slice(0, 2).map(([recipientId]) => ({ type: 'unsubscribe', recipientId, recipientListId: LIST_IDS.newsletter, time: at })),
    );
    const dropped = ids.slice(2).map(([id]) => `${id},,${new Date(at).toISOString()},${LIST_IDS.newsletter},`);
    writeFileSync(join(folder, 'unsubscribes-twins.csv'), `${HEADER}\n${dropped.join('\n')}\n`);
    await advance(15 * 60_000);

    const { status } = await stack.runDaily();

    expect(status.feedback).toMatchObject({ applied: 4, repeated: 0, unknownRecipient: 0 });
    for (const person of people) expect(consent(person)).toBe('withdrawn');

    // Read again (the feedback watermark reset): every row is known, nothing is applied twice.
    await stack.deps.store.watermarks.reset({ client: stack.clientKey, kind: 'feedback', at: new Date(0).toISOString() });
    const again = (await stack.runDaily()).status;
    expect(again.feedback).toMatchObject({ applied: 0, alreadyApplied: 0, repeated: 2 });
  });

  it('withdraws both consents through response ingestion, once', async () => {
    const people = (await stack.listRecipients('newsletter')).slice(0, 2);
    if (people.length < 2) throw new Error('the list is empty');
    const [c0, c1] = people as [SimRecipient, SimRecipient];
    const ids = [
      ['RSP-3', c0],
      ['\uFF32\uFF33\uFF30\uFF0D\uFF13', c1],
    ] as const;
    await sentAs(ids);
    const { now } = await advance(0);
    await inject(
      ids.map(([recipientId]) => ({ type: 'unsubscribe', recipientId, recipientListId: LIST_IDS.newsletter, time: now - 60_000 })),
    );
    await advance(15 * 60_000);

    const ingest = async () => {
      const worker = await stack.startWorker();
      return worker.runUntil(
        shared.temporal.env.client.workflow.execute(responseIngestWorkflow, {
          taskQueue: stack.taskQueue,
          workflowId: responseIngestWorkflowId(stack.clientKey, new Date().toISOString()),
          args: [{ client: stack.clientKey }],
        }),
      );
    };
    const first = await ingest();
    expect(first.counts?.unsubscribe).toMatchObject({ applied: 2 });
    expect(consent(c0)).toBe('withdrawn');
    expect(consent(c1)).toBe('withdrawn');
    const second = await ingest();
    expect(second.counts?.unsubscribe).toMatchObject({ applied: 0, alreadyApplied: 0 });
  });
});
