import fc from 'fast-check';
import type { ClientConfig } from '../../../src/config/config-schema';
import { createStateStore, type StateStore } from '../../../src/store';
import type { RunConsent } from '../../../src/store/types';
import { applyOptOutRows, recordSendingRun } from '../../helpers/apply-opt-out-rows';

// An operator removes a list from the configuration; Optimizely still reports unsubscribes and hard
// bounces of people a run sent on it. The feedback import and response ingestion skipped every
// entity sent on a list they could not find configured, so the opt-out never reached the CRM and was
// counted "not sent by us". Now each run records the Optimizely list id it sent to (migration 15)
// beside its consent (migration 14): an opt-out of a removed list withdraws the consent its run sent
// under. Where a run recorded neither (its list id or consent unknown and the list gone), that part
// is not guessed: the row is counted unresolvedOptOut and reported.
//
// Histories: runs of three lists (newsletter 100, offers 200, archive 300), each recording its
// consent or not, its list id or not, sending some of three people (one CRM entity each); today's
// configuration keeps any subset of the lists (any consent each); then unsubscribes (of any of the
// three lists or client-wide) and bounces, through the feedback import or response ingestion.

const CONSENTS: readonly RunConsent[] = [
  { optInId: '11', mediaType: 'email' },
  { optInId: '12', mediaType: 'email' },
  { optInId: '13', mediaType: 'email' },
];
const PEOPLE = ['ann@x.test', 'bob@x.test', 'cem@x.test'];
const LISTS = [
  { key: 'newsletter', listId: 100 },
  { key: 'offers', listId: 200 },
  { key: 'archive', listId: 300 },
] as const;
const AT = Date.parse('2026-06-01T10:00:00Z');
const NOW = AT + 3_600_000;
type Kind = 'unsubscribe' | 'bounce';

const aRun = fc.record({
  list: fc.nat(LISTS.length - 1),
  /** undefined: a run recorded before migration 14, its consent unknown. */
  consent: fc.option(fc.nat(CONSENTS.length - 1), { nil: undefined }),
  /** false: a run recorded before migration 15, its Optimizely list id unknown. */
  recordsListId: fc.boolean(),
  sends: fc.subarray([0, 1, 2]),
});
const anEvent = fc.record({
  person: fc.nat(PEOPLE.length - 1),
  kind: fc.constantFrom<Kind>('unsubscribe', 'unsubscribe', 'bounce'),
  listId: fc.constantFrom(0, 100, 200, 300),
});
const aHistory = fc.record({
  runs: fc.array(aRun, { minLength: 1, maxLength: 6 }),
  /** Per list: its consent today, or undefined when it was removed from the configuration. */
  today: fc.tuple(...LISTS.map(() => fc.option(fc.nat(CONSENTS.length - 1), { nil: undefined }))),
  events: fc.array(anEvent, { minLength: 1, maxLength: 6 }),
  via: fc.constantFrom<'feedback import' | 'response ingestion'>('feedback import', 'response ingestion'),
});
type History = typeof aHistory extends fc.Arbitrary<infer T> ? T : never;
type Event = History['events'][number];

function clientOf(key: string, today: History['today']): ClientConfig {
  const lists = LISTS.flatMap((l, i) => (today[i] === undefined ? [] : [{ ...l, ...CONSENTS[today[i]] }]));
  return { key, lists } as unknown as ClientConfig;
}

async function recordHistory(store: StateStore, client: string, runs: History['runs']): Promise<void> {
  for (const [i, run] of runs.entries()) {
    await recordSendingRun(store, client, {
      runId: `${client}-r${i}`,
      kind: 'list',
      listKey: LISTS[run.list]!.key,
      startedAt: new Date(AT - (10 - i) * 86_400_000).toISOString(),
      consent: run.consent === undefined ? undefined : CONSENTS[run.consent],
      listId: run.recordsListId ? LISTS[run.list]!.listId : undefined,
      sent: run.sends.map((p) => ({ recipientId: PEOPLE[p]!, entityId: `C${p}` })),
    });
  }
}

/** Per list the person was sent on (newest run): its list id and consent as known to us, undefined where unknown. */
function knownSendings({ runs, today }: History, person: number) {
  return LISTS.flatMap((list, l) => {
    const newest = runs.filter((run) => run.list === l && run.sends.includes(person)).at(-1);
    if (!newest) return [];
    const configured = today[l] !== undefined;
    const consentNo = newest.consent ?? today[l];
    return [
      {
        trueListId: list.listId,
        listId: newest.recordsListId || configured ? list.listId : undefined,
        consent: consentNo === undefined ? undefined : `${CONSENTS[consentNo]!.optInId}|${CONSENTS[consentNo]!.mediaType}`,
      },
    ];
  });
}

/** What an unsubscribe must do: the withdrawals we know, and whether part of it is left unknown (reported). */
function expectedOf(history: History, event: Event): { withdrawals: string[]; unresolved: boolean } {
  const sendings = knownSendings(history, event.person);
  const sure = sendings.filter((s) => s.consent !== undefined && (event.listId === 0 || s.listId === event.listId));
  const withdrawals = sure.map((s) => `C${event.person}|${s.consent}`);
  // Doubt: a list whose id is unknown (it may be the one named), or one named whose consent is unknown.
  const doubtful = sendings.filter(
    (s) =>
      (event.listId !== 0 && s.listId === undefined) ||
      (!sure.includes(s) && s.consent === undefined && (event.listId === 0 || s.listId === event.listId)),
  );
  const unresolved = doubtful.some((s) => s.consent === undefined || !withdrawals.includes(`C${event.person}|${s.consent}`));
  return { withdrawals, unresolved };
}

async function applyEvents(store: StateStore, client: ClientConfig, history: History) {
  const rows = history.events.map((e, j) => ({ ...e, recipientId: PEOPLE[e.person]!, at: new Date(AT - j * 1000).toISOString() }));
  return applyOptOutRows(store, client, rows, history.via, NOW);
}

describe('an opt-out of a list since removed from the configuration', () => {
  let store: StateStore;
  let round = 0;
  beforeAll(async () => {
    store = await createStateStore({ kind: 'sqlite', file: ':memory:' });
  });
  afterAll(async () => store.close());

  it('is applied through the run that sent the person, or counted unresolved; never dropped, never guessed', async () => {
    await fc.assert(
      fc.asyncProperty(aHistory, async (history) => {
        round += 1;
        const client = clientOf(`removed-${round}`, history.today);
        await recordHistory(store, client.key, history.runs);
        const { crm, unresolved, unknownRecipient } = await applyEvents(store, client, history);

        const unsubscribes = history.events.filter((e) => e.kind === 'unsubscribe');
        const expected = unsubscribes.map((e) => expectedOf(history, e));
        const withdrawn = crm.events.filter((e) => e.kind === 'unsubscribe').map((e) => `${e.entityId}|${e.optInId}|${e.mediaType}`);
        expect([...new Set(withdrawn)].sort()).toEqual([...new Set(expected.flatMap((x) => x.withdrawals))].sort());
        expect(unresolved).toBe(expected.filter((x) => x.unresolved).length);

        // A bounce concerns the entity, whichever list (configured or not) it was sent on.
        const sentAny = (person: number) => history.runs.some((run) => run.sends.includes(person));
        const bounced = crm.events.filter((e) => e.kind === 'bounce').map((e) => e.entityId);
        const bounces = history.events.filter((e) => e.kind === 'bounce' && sentAny(e.person));
        expect([...new Set(bounced)].sort()).toEqual([...new Set(bounces.map((e) => `C${e.person}`))].sort());
        // "Not sent by us" is said of people no run sent, and of unsubscribes from a list known not to be theirs.
        const notOurs = history.events.filter((e) => {
          if (!sentAny(e.person)) return true;
          const x = e.kind === 'unsubscribe' ? expected[unsubscribes.indexOf(e)] : undefined;
          return x !== undefined && x.withdrawals.length === 0 && !x.unresolved;
        });
        expect(unknownRecipient).toBe(notOurs.length);

        // The suppression ledger has every unsubscribe under the list it names, configured or not.
        for (const e of unsubscribes) {
          const ledgered = (await store.suppressions.events(client.key, PEOPLE[e.person]!)).map((s) => [s.kind, s.listId]);
          expect(ledgered).toContainEqual(['unsubscribe', e.listId]);
        }
      }),
      { numRuns: 200 },
    );
  });
});
