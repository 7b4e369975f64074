import fc from 'fast-check';
import { parseFeedbackTime } from '../../../src/feedback/feedback-time';
import { suppressionRecorder } from '../../../src/feedback/record-suppressions';
import { createStateStore, type StateStore } from '../../../src/store';
import { listSuppression } from '../../../src/sync/export-to-snapshot';
import { normaliseEmail } from '../../../src/validation/email-rule';
import type { Recipient } from '../../../src/validation/recipient';

// Feedback rows → suppression ledger (real recorder, real SQLite store) → the export's decision for
// one list of one client. Rows come from two clients, name the list, another list of the client,
// the client as a whole (0) or a list id of the other client, carry their time in any zone offset
// and spell the address in any of its forms. The model works on people and instants from the
// generators: a person is suppressed on list 7 of client `a` exactly when client `a` holds a bounce
// of them or an unsubscribe from list 7 or client-wide, unless the CRM proves a consent in a later
// second than the newest such unsubscribe (and the list allows re-subscriptions).

const NOW = Date.parse('2026-03-31T00:00:00.000Z');
const LIST = 7;
const PEOPLE = [
  ['anna@münchen.de', 'ANNA@xn--mnchen-3ya.de', ' Anna@MÜNCHEN.DE'],
  ['bob@example.com', 'BOB@example.com', 'bob@EXAMPLE.com\t'],
  ['bob+news@example.com', 'Bob+News@example.com'],
];
/** Each person's mailbox: bob+news is a plus form of bob, and an opt-out under either wins for both (docs/crm.md). */
const MAILBOX = [0, 1, 1];

/** A feedback time written in some zone offset, and its instant. */
const aTime = fc
  .record({ ms: fc.integer({ min: NOW - 20 * 86_400_000, max: NOW }), offset: fc.integer({ min: -14 * 60, max: 14 * 60 }) })
  .map(({ ms, offset }) => {
    const local = new Date(ms + offset * 60_000).toISOString().slice(0, 23);
    const a = Math.abs(offset);
    return {
      text: `${local}${offset < 0 ? '-' : '+'}${String(Math.floor(a / 60)).padStart(2, '0')}:${String(a % 60).padStart(2, '0')}`,
      ms,
    };
  });

const aRow = fc.record({
  client: fc.constantFrom('a', 'a', 'b'),
  kind: fc.constantFrom<'unsubscribe' | 'bounce'>('unsubscribe', 'unsubscribe', 'bounce'),
  person: fc.nat(PEOPLE.length - 1),
  spelling: fc.nat(2),
  listId: fc.constantFrom('0', String(LIST), '8', '900', '007'),
  time: aTime,
});

describe('the suppression ledger decides per client and list, whatever the spelling and zone', () => {
  let store: StateStore;
  let round = 0;
  beforeAll(async () => {
    store = await createStateStore({ kind: 'sqlite', file: ':memory:' });
  });
  afterAll(async () => store.close());

  it('suppresses exactly the people the model says, never through another client or list', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(aRow, { maxLength: 15 }),
        fc.array(fc.option(aTime, { nil: undefined }), { minLength: PEOPLE.length, maxLength: PEOPLE.length }),
        fc.boolean(),
        async (rows, consents, allow) => {
          round += 1;
          const clientOf = (c: string) => `${c}${round}`;
          for (const c of ['a', 'b']) {
            const recorder = suppressionRecorder(store.suppressions, clientOf(c), 'dropped_file');
            for (const r of rows.filter((row) => row.client === c)) {
              const people = PEOPLE[r.person]!;
              const time = parseFeedbackTime(r.time.text, NOW);
              expect(time).toMatchObject({ ok: true });
              if (!time.ok) return;
              await recorder.ledgerSuppression(r.kind, {
                recipientId: people[r.spelling % people.length]!,
                timestamp: time.iso,
                recipientListId: r.listId,
              });
            }
            await recorder.flush();
          }
          const decide = await listSuppression({
            client: clientOf('a'),
            list: { listId: LIST, allowResubscribe: allow },
            rules: { optInId: '11', mediaType: 'email' },
            store,
            now: () => new Date(NOW),
          });
          PEOPLE.forEach((spellings, person) => {
            const concerning = rows.filter((r) => r.client === 'a' && MAILBOX[r.person] === MAILBOX[person]);
            const unsubscribedAt = concerning
              .filter((r) => r.kind === 'unsubscribe' && (Number(r.listId) === 0 || Number(r.listId) === LIST))
              .map((r) => r.time.ms);
            const consent = consents[person];
            const regrant =
              consent !== undefined &&
              unsubscribedAt.length > 0 &&
              Math.floor(consent.ms / 1000) > Math.floor(Math.max(...unsubscribedAt) / 1000);
            const expected =
              unsubscribedAt.length > 0 && !regrant
                ? 'unsubscribed'
                : unsubscribedAt.length > 0 && !allow
                  ? 'resubscribe_needs_optin'
                  : concerning.some((r) => r.kind === 'bounce')
                    ? 'bounced'
                    : undefined;
            const email = normaliseEmail(spellings[round % spellings.length]!, { lowercaseLocalPart: false, idnDomains: 'punycode' })!;
            const outcome = decide({ recipientId: email, email } as Recipient, consent ? { consent_granted_at: consent.text } : {});
            expect([person, outcome?.reason]).toEqual([person, expected]);
          });
        },
      ),
      { numRuns: 300 },
    );
  });
});
