import Database from 'better-sqlite3';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { printDailySummary } from '../../src/cli/print-daily-summary';
import { DEMO_ATTRIBUTES } from '../../src/demo/demo-lists';
import type { LedgerHit } from '../../src/store';
import {
  DEMO_MANDATOR,
  DEMO_OPTIN_PROCESS,
  LIST_IDS,
  optInNewsletterAlone,
  type DemoConfigObject,
  type SyncStack,
} from '../helpers/sync-stack';
import { useSyncStack } from '../helpers/workflow-test-env';

// The consent promise end to end on an opt-in list (addAll3 re-activates an unsubscribed recipient
// there): the simulator over SOAP, the real worker and workflows, a SQLite state store, and a CSV
// exchange CRM that never imports our outbox, so the CRM's file keeps every consent it ever had.

const OPTIN_PROCESS = DEMO_OPTIN_PROCESS;
const HEADER = [
  'recipient_id',
  'email',
  'opt_in_id',
  'description',
  'media_type',
  'entity_type',
  'entity_id',
  'salutation',
  'first_name',
  'last_name',
  'city',
  'consent_granted_at',
];
const people = ['anna', 'bert', 'carl', 'dora', 'emil', 'fritz', 'gina', 'old-leaver', 'never-sent'].map((name, i) => ({
  name,
  email: `${name}@example.com`,
  entityId: `C${i + 1}`,
}));
const address = (name: string) => `${name}@example.com`;

function writeSelection(file: string, consentOf: (name: string) => string = () => '2026-01-01T00:00:00Z'): void {
  const rows = people.map((p) => [
    p.email,
    p.email,
    '11',
    'Newsletter',
    'email',
    'contact',
    p.entityId,
    'Hi',
    p.name,
    'Doe',
    'Berlin',
    consentOf(p.name),
  ]);
  writeFileSync(file, [HEADER, ...rows].map((row) => row.join(',')).join('\n') + '\n');
}

function optInListWithCsvCrm(raw: DemoConfigObject, dir: string): void {
  const file = join(dir, 'newsletter.csv');
  writeSelection(file);
  raw.crm = {
    kind: 'csv',
    outbox: join(dir, 'outbox'),
    lists: { newsletter: { file, attributes: { ...DEMO_ATTRIBUTES } }, offers: { file, attributes: { ...DEMO_ATTRIBUTES } } },
  };
  raw.clients[0].lists[0].optinProcessId = OPTIN_PROCESS;
  raw.clients[0].lists[1].enabled = false;
  // A handful of rows: shrinking by one or two is the point here, not a reason to hold the run.
  raw.clients[0].lists[0].guard = { maxShrinkPercent: 100, maxExcludedPercent: 100 };
}

function optInListSeed(seed: DemoConfigObject): void {
  seed.clients[0].lists[0].type = 'optin';
  // Unsubscribed long before ClosedLoop's 30 days: only Optimizely's unsubscribe list knows it.
  seed.clients[0].unsubscribes = [address('old-leaver')];
}

describe('the suppression ledger on an opt-in list fed by a CSV CRM', () => {
  const shared = useSyncStack({ title: 'suppression ledger csv', adjust: optInListWithCsvCrm, adjustSeed: optInListSeed });
  let stack: SyncStack;
  beforeAll(() => {
    stack = shared.stack;
  });

  const listed = async () => (await stack.listRecipients('newsletter')).map((r) => r.recipientId).sort();
  const unsubscribedAtOptimizely = (name: string) =>
    stack.deps.optimizely(stack.clientKey).unsubscribe.contains({ recipientId: address(name) });
  const unsubscribe = async (name: string, recipientListId: number) => {
    await stack.admin(`/admin/clients/${DEMO_MANDATOR}/events`, {
      events: [{ type: 'unsubscribe', recipientId: address(name), recipientListId }],
    });
    // ClosedLoop data appears once Optimizely has produced the next export batch.
    await stack.admin('/admin/clock/advance', { ms: 15 * 60_000 });
  };
  const lastRunHits = async (name: string): Promise<LedgerHit[]> => {
    const [run] = await stack.deps.store.runs.list({ client: stack.clientKey, listKey: 'newsletter', kind: 'list', limit: 1 });
    return (await stack.deps.store.ledger.find({ recipientId: address(name), client: stack.clientKey })).filter(
      (h) => h.runId === run?.runId,
    );
  };

  it('never sends an unsubscribe known only to Optimizely, sent or not, and does not re-activate it', async () => {
    await unsubscribe('never-sent', 0);
    const { status } = await stack.runDaily();
    expect(status.lists.newsletter).toMatchObject({ state: 'ready', verifiedCount: 7 });
    expect(await listed()).toEqual(
      people
        .map((p) => p.email)
        .filter((e) => e !== address('never-sent') && e !== address('old-leaver'))
        .sort(),
    );
    expect(await lastRunHits('never-sent')).toEqual([
      expect.objectContaining({ outcome: 'excluded', reason: 'unsubscribed', field: 'recipient_id' }),
    ]);
    expect(await lastRunHits('old-leaver')).toEqual([
      expect.objectContaining({ outcome: 'excluded', reason: 'unsubscribed', field: 'optimizely' }),
    ]);
    expect([await unsubscribedAtOptimizely('never-sent'), await unsubscribedAtOptimizely('old-leaver')]).toEqual([true, true]);
    const lines: string[] = [];
    await printDailySummary(status, stack.deps.store, (line) => lines.push(line));
    expect(lines).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^ {2}suppressed at export .*: unsubscribed=1$/),
        expect.stringMatching(/^ {2}left out at the refill 1: opted out/),
      ]),
    );
  });

  it('keeps out someone sent yesterday who unsubscribed overnight, though the CSV CRM still has their consent', async () => {
    expect(await listed()).toContain(address('anna'));
    await unsubscribe('anna', LIST_IDS.newsletter);
    const { status } = await stack.runDaily();
    expect(status.feedback).toMatchObject({ unsubscribes: expect.any(Number) });
    expect(await listed()).not.toContain(address('anna'));
    expect(await unsubscribedAtOptimizely('anna')).toBe(true);
    // The first night's unsubscribe check recorded old-leaver in the ledger: now the export excludes it.
    expect((await lastRunHits('old-leaver'))[0]).toMatchObject({ outcome: 'excluded', reason: 'unsubscribed', field: 'recipient_id' });
    expect(readFileSync(join(stack.dir, 'newsletter.csv'), 'utf8')).toContain(address('anna'));
  });

  it('excludes a consent the CRM granted again after the unsubscribe as resubscribe_needs_optin, night after night', async () => {
    const regrantedAt = new Date(Date.now() + 60 * 60_000).toISOString();
    writeSelection(join(stack.dir, 'newsletter.csv'), (name) => (name === 'anna' ? regrantedAt : '2026-01-01T00:00:00Z'));
    // Our clock must not think the re-grant lies in the future (the simulator's clock runs ahead).
    (stack.deps as { now?: () => Date }).now = () => new Date(Date.now() + 2 * 60 * 60_000);
    for (let night = 0; night < 2; night += 1) {
      await stack.runDaily();
      expect(await lastRunHits('anna')).toEqual([
        expect.objectContaining({ outcome: 'excluded', reason: 'resubscribe_needs_optin', field: 'consent_granted_at' }),
      ]);
      expect(await listed()).not.toContain(address('anna'));
      expect(await unsubscribedAtOptimizely('anna')).toBe(true);
    }
  });
});

describe('the suppression ledger on an opt-in list fed by the SQLite CRM', () => {
  const shared = useSyncStack({
    title: 'suppression ledger sqlite',
    contacts: 300,
    adjust: (raw) => {
      const newsletter = raw.crm.lists.newsletter;
      // The consent's time as consent_granted_at, beside the demo selection's consent flag. The edit
      // must take: a selection without it reads a re-grant as no re-grant, and the test would check nothing.
      const flag = "CASE WHEN c.status = 'granted'";
      const query = String(newsletter.query);
      if (!query.includes(flag)) throw new Error(`the demo selection no longer holds ${flag}: adjust this test`);
      newsletter.query = query.replaceAll(flag, `c.changed_at AS consent_granted_at, ${flag}`);
      optInNewsletterAlone.adjust(raw);
    },
    adjustSeed: optInNewsletterAlone.adjustSeed,
  });
  let stack: SyncStack;
  beforeAll(() => {
    stack = shared.stack;
  });

  it('keeps out a recipient never sent who unsubscribed, and a later CRM re-grant as resubscribe_needs_optin', async () => {
    const crm = new Database(stack.crmFile);
    try {
      const candidate = crm
        .prepare(
          "SELECT e.id, e.email FROM contacts e JOIN consents c ON c.entity_type = 'contact' AND c.entity_id = e.id JOIN marketing_list_members m ON m.entity_type = 'contact' AND m.entity_id = e.id AND m.list_id = 1 WHERE c.opt_in_id = 11 AND c.media_type = 'email' AND c.status = 'granted' AND e.email = lower(trim(e.email)) AND e.email LIKE '%@%.%' ORDER BY e.id LIMIT 1",
        )
        .get() as { id: string; email: string };
      await stack.admin(`/admin/clients/${DEMO_MANDATOR}/events`, {
        events: [{ type: 'unsubscribe', recipientId: candidate.email, recipientListId: 0 }],
      });
      await stack.admin('/admin/clock/advance', { ms: 15 * 60_000 });
      await stack.runDaily();
      const ids = (await stack.listRecipients('newsletter')).map((r) => r.recipientId);
      expect(ids.length).toBeGreaterThan(50);
      expect(ids).not.toContain(candidate.email);
      expect(await stack.deps.optimizely(stack.clientKey).unsubscribe.contains({ recipientId: candidate.email })).toBe(true);

      const regrantedAt = new Date(Date.now() + 60 * 60_000).toISOString();
      crm
        .prepare(
          "UPDATE consents SET status = 'granted', changed_at = ? WHERE entity_type = 'contact' AND entity_id = ? AND opt_in_id = 11 AND media_type = 'email'",
        )
        .run(regrantedAt, candidate.id);
      (stack.deps as { now?: () => Date }).now = () => new Date(Date.now() + 2 * 60 * 60_000);
      await stack.runDaily();
      const [run] = await stack.deps.store.runs.list({ client: stack.clientKey, listKey: 'newsletter', kind: 'list', limit: 1 });
      const hits = (await stack.deps.store.ledger.find({ recipientId: candidate.email, client: stack.clientKey })).filter(
        (h) => h.runId === run?.runId,
      );
      expect(hits).toEqual([expect.objectContaining({ outcome: 'excluded', reason: 'resubscribe_needs_optin' })]);
      expect((await stack.listRecipients('newsletter')).map((r) => r.recipientId)).not.toContain(candidate.email);
    } finally {
      crm.close();
    }
  });
});
