import Database from 'better-sqlite3';
import { readDemoCrm } from '../../src/demo/demo-crm-data';
import { DEMO_LISTS } from '../../src/demo/demo-lists';
import { expectedRecipients } from '../../src/demo/expected-recipients';
import { DEMO_MANDATOR, LIST_IDS, type SyncStack } from '../helpers/sync-stack';
import { useSyncStack } from '../helpers/workflow-test-env';

const newsletter = DEMO_LISTS.find((l) => l.listKey === 'newsletter');

describe('dailySyncWorkflow feedback order', () => {
  const shared = useSyncStack({ title: 'feedback order' });
  let stack: SyncStack;

  beforeAll(() => {
    stack = shared.stack;
  });

  it('applies an unsubscribe and a hard bounce to the CRM before the export that would re-add them', async () => {
    await stack.runDaily();
    const [leaver, bouncer] = (await stack.listRecipients('newsletter')).slice(0, 2);
    if (!leaver || !bouncer || !newsletter) throw new Error('the first run filled no list');
    await stack.admin(`/admin/clients/${DEMO_MANDATOR}/events`, {
      events: [
        { type: 'unsubscribe', recipientId: leaver.recipientId, recipientListId: LIST_IDS.newsletter },
        ...[1, 2, 3].map(() => ({ type: 'hardbounce', recipientId: bouncer.recipientId, recipientListId: LIST_IDS.newsletter })),
      ],
    });
    // ClosedLoop data appears once Optimizely has produced the next export batch.
    await stack.admin('/admin/clock/advance', { ms: 15 * 60_000 });

    const { status } = await stack.runDaily();

    expect(status.feedback).toMatchObject({ bounces: 1, unsubscribes: 1, applied: 2 });
    const crm = new Database(stack.crmFile, { readonly: true });
    const consent = crm
      .prepare('SELECT status FROM consents WHERE entity_type = ? AND entity_id = ? AND opt_in_id = ?')
      .get(leaver.attributes['entity-type'], leaver.attributes['entity-id'], Number(newsletter.optInId)) as { status: string };
    const bounce = crm
      .prepare('SELECT hard FROM bounces WHERE entity_type = ? AND entity_id = ?')
      .get(bouncer.attributes['entity-type'], bouncer.attributes['entity-id']) as { hard: number };
    crm.close();
    expect(consent.status).toBe('withdrawn');
    expect(bounce.hard).toBe(1);

    const ids = (await stack.listRecipients('newsletter')).map((r) => r.recipientId);
    expect(ids).not.toContain(leaver.recipientId);
    expect(ids).not.toContain(bouncer.recipientId);
    expect(ids.sort()).toEqual(expectedRecipients(readDemoCrm(stack.crmFile), newsletter).map((r) => r.recipientId));
  });

  it('applies nothing again when the same feedback is read again', async () => {
    await stack.deps.store.watermarks.reset({ client: stack.clientKey, kind: 'feedback', at: new Date(0).toISOString() });
    const { status } = await stack.runDaily();
    expect(status.feedback).toMatchObject({ applied: 0, alreadyApplied: 0, repeated: 2 });
  });

  it('keeps a consent the CRM granted again after an old unsubscribe, night after night', async () => {
    const crm = new Database(stack.crmFile);
    const withdrawn = crm
      .prepare(
        "SELECT entity_type, entity_id, opt_in_id, media_type, changed_at FROM consents WHERE status = 'withdrawn' AND changed_at > '2026'",
      )
      .all() as Array<Record<string, string>>;
    expect(withdrawn).toHaveLength(1);
    const leaver = withdrawn[0]!;
    const regrantedAt = new Date(Date.parse(leaver.changed_at!) + 60_000).toISOString();
    const where = 'WHERE entity_type = ? AND entity_id = ? AND opt_in_id = ? AND media_type = ?';
    const key = [leaver.entity_type, leaver.entity_id, leaver.opt_in_id, leaver.media_type];
    crm.prepare(`UPDATE consents SET status = 'granted', changed_at = ? ${where}`).run(regrantedAt, ...key);
    const consent = () => crm.prepare(`SELECT status, changed_at FROM consents ${where}`).get(...key);
    try {
      // Night one re-reads the whole retention: the unsubscribe is known as applied and skipped.
      await stack.deps.store.watermarks.reset({ client: stack.clientKey, kind: 'feedback', at: new Date(0).toISOString() });
      expect((await stack.runDaily()).status.feedback).toMatchObject({ applied: 0, repeated: 2 });
      expect(consent()).toEqual({ status: 'granted', changed_at: regrantedAt });
      // Night two has lost the applied-event keys: the recency rule of the CRM statement still holds.
      await stack.deps.store.feedbackIntake.deleteKeysBefore(new Date(Date.now() + 86_400_000).toISOString());
      await stack.deps.store.watermarks.reset({ client: stack.clientKey, kind: 'feedback', at: new Date(0).toISOString() });
      expect((await stack.runDaily()).status.feedback).toMatchObject({ applied: 0, alreadyApplied: 2, repeated: 0 });
      expect(consent()).toEqual({ status: 'granted', changed_at: regrantedAt });
    } finally {
      crm.close();
    }
  });
});
