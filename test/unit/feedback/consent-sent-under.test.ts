import fc from 'fast-check';
import type { ClientConfig } from '../../../src/config/config-schema';
import { createStateStore, type StateStore } from '../../../src/store';
import type { RunConsent } from '../../../src/store/types';
import { listSuppression } from '../../../src/sync/export-to-snapshot';
import type { Recipient } from '../../../src/validation/recipient';
import { applyOptOutRows, recordSendingRun } from '../../helpers/apply-opt-out-rows';
import type { recordingCrm } from '../../helpers/feedback-harness';

// A configuration reload may give a list another advertising consent (optInId, mediaType) between
// runs. An opt-out of someone a run sent under the former consent withdrew the list's consent of
// today in the CRM (one the person may never have given) and left the one they were mailed under
// granted. Now every run records the consent it sent under (migration 14) and the
// feedback import and response ingestion withdraw that one; for a run recorded before (no consent
// known) today's, as before. The suppression ledger keeps the person off the list either way.
//
// Histories: runs of two lists (list and restore runs), each sending some of three people under one
// of three consents or under no recorded consent (a run from before migration 14), then today's
// configuration (any consent per list), then unsubscribes (of a list, of the other, client-wide)
// and bounces, through the feedback import or response ingestion, on a real SQLite store.

const CONSENTS: readonly RunConsent[] = [
  { optInId: '11', mediaType: 'email' },
  { optInId: '12', mediaType: 'email' },
  { optInId: '11', mediaType: 'sms' },
];
const PEOPLE = ['ann@x.test', 'bob@x.test', 'cem@x.test'];
const LISTS = [
  { key: 'newsletter', listId: 100 },
  { key: 'offers', listId: 200 },
] as const;
const AT = Date.parse('2026-06-01T10:00:00Z');
const NOW = AT + 3_600_000;
type Kind = 'unsubscribe' | 'bounce';

const aRun = fc.record({
  list: fc.constantFrom(0, 0, 1),
  kind: fc.constantFrom<'list' | 'restore'>('list', 'list', 'restore'),
  /** undefined: a run recorded before migration 14, its consent unknown. */
  consent: fc.option(fc.nat(CONSENTS.length - 1), { nil: undefined }),
  sends: fc.subarray([0, 1, 2]),
});
const anEvent = fc.record({
  person: fc.nat(PEOPLE.length - 1),
  kind: fc.constantFrom<Kind>('unsubscribe', 'unsubscribe', 'bounce'),
  listId: fc.constantFrom(0, 100, 200),
});
const aHistory = fc.record({
  runs: fc.array(aRun, { minLength: 1, maxLength: 6 }),
  today: fc.tuple(fc.nat(CONSENTS.length - 1), fc.nat(CONSENTS.length - 1)),
  events: fc.array(anEvent, { minLength: 1, maxLength: 6 }),
  via: fc.constantFrom<'feedback import' | 'response ingestion'>('feedback import', 'response ingestion'),
});
type History = typeof aHistory extends fc.Arbitrary<infer T> ? T : never;

function clientOf(key: string, today: History['today']): ClientConfig {
  return { key, lists: LISTS.map((l, i) => ({ ...l, ...CONSENTS[today[i]!] })) } as unknown as ClientConfig;
}

async function recordHistory(store: StateStore, client: string, runs: History['runs']): Promise<void> {
  for (const [i, run] of runs.entries()) {
    await recordSendingRun(store, client, {
      runId: `${client}-r${i}${run.kind === 'restore' ? ':restore' : ''}`,
      kind: run.kind,
      listKey: LISTS[run.list].key,
      startedAt: new Date(AT - (10 - i) * 86_400_000).toISOString(),
      consent: run.consent === undefined ? undefined : CONSENTS[run.consent],
      sent: run.sends.map((p) => ({ recipientId: PEOPLE[p]!, entityId: `C${p}` })),
    });
  }
}

/** The consents the CRM must withdraw: per unsubscribe and list it concerns, that of the newest run sending the person. */
function expectedWithdrawals({ runs, today, events }: History): string[] {
  const withdrawals = new Set<string>();
  for (const event of events.filter((e) => e.kind === 'unsubscribe')) {
    LISTS.forEach((list, l) => {
      if (event.listId !== 0 && event.listId !== list.listId) return;
      const newest = runs.filter((run) => run.list === l && run.sends.includes(event.person)).at(-1);
      if (!newest) return;
      const consent = CONSENTS[newest.consent ?? today[l]!]!;
      withdrawals.add(`C${event.person}|${consent.optInId}|${consent.mediaType}`);
    });
  }
  return [...withdrawals].sort();
}

async function applyEvents(store: StateStore, client: ClientConfig, history: History): Promise<ReturnType<typeof recordingCrm>> {
  const rows = history.events.map((e, j) => ({ ...e, recipientId: PEOPLE[e.person]!, at: new Date(AT - j * 1000).toISOString() }));
  return (await applyOptOutRows(store, client, rows, history.via, NOW)).crm;
}

describe('an opt-out withdraws the consent the person was sent under', () => {
  let store: StateStore;
  let round = 0;
  beforeAll(async () => {
    store = await createStateStore({ kind: 'sqlite', file: ':memory:' });
  });
  afterAll(async () => store.close());

  it('whatever consent the list had before or has today; the suppression ledger still keeps the person off the list', async () => {
    await fc.assert(
      fc.asyncProperty(aHistory, async (history) => {
        round += 1;
        const client = clientOf(`consent-${round}`, history.today);
        await recordHistory(store, client.key, history.runs);
        const crm = await applyEvents(store, client, history);
        const withdrawn = crm.events.filter((e) => e.kind === 'unsubscribe').map((e) => `${e.entityId}|${e.optInId}|${e.mediaType}`);
        expect([...new Set(withdrawn)].sort()).toEqual(expectedWithdrawals(history));
        // Whatever consent the CRM withdrew, tomorrow's export of the newsletter leaves the person out.
        const decide = await listSuppression({
          client: client.key,
          list: { listId: 100, allowResubscribe: false },
          rules: { optInId: '11', mediaType: 'email' },
          store,
          now: () => new Date(NOW),
        });
        PEOPLE.forEach((email, person) => {
          const unsubscribed = history.events.some((e) => e.person === person && e.kind === 'unsubscribe' && e.listId !== 200);
          if (unsubscribed)
            expect([email, decide({ recipientId: email, email } as Recipient, {})?.reason]).toEqual([email, 'unsubscribed']);
        });
      }),
      { numRuns: 200 },
    );
  });
});
