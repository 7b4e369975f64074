import fc from 'fast-check';
import type { CrmRow } from '../../../src/crm/crm-port';
import { createStateStore, type StateStore } from '../../../src/store';
import { exportToSnapshot } from '../../../src/sync/export-to-snapshot';
import { listRulesSchema } from '../../../src/validation/list-rules';
import { aVariant } from '../../helpers/address-variants';
import { inMemoryCrm } from '../crm/in-memory-crm';

// A withdrawal the CRM itself stated is never reversed by the CRM clearing its flag (an import bug, a
// restored backup, a script resetting flags): over nights of CRM states per person (the flag set in
// any opt-out column and spelling, then cleared; consent times before, in the same second as, after
// the night that read the withdrawal, with and without zone, absent, unreadable, in the future; the
// id and address in case, padding, full-width, zero-width and trailing-dot spellings), each night's snapshot holds
// exactly whom a small model sends: nobody after a withdrawal unless the consent time proves a grant
// in a later second than the latest export that read it, and such a re-grant is sent. The model
// shares no code with the export (its own times, keys and rules).

const T0 = Date.parse('2026-03-01T01:00:00.000Z');
const DAY = 86_400_000;
const HOUR = 3_600_000;
const NIGHTS = 6;
const PEOPLE = ['anna@example.com', 'bob@x.de', 'cy@example.com'];

/** Spellings of an address: whether the export can send it, and how it is written. */
const SPELLINGS: ReadonlyArray<{ sendable: boolean; write: (address: string) => string }> = [
  { sendable: true, write: (a) => a },
  { sendable: true, write: (a) => a.toUpperCase() },
  { sendable: true, write: (a) => ` ${a[0]!.toUpperCase()}${a.slice(1)}  ` },
  // Folded onto the address by the ledger's keys (and never sent: the e-mail rule refuses them).
  { sendable: false, write: (a) => a.replace(/[a-z]/u, (c) => String.fromCodePoint(c.codePointAt(0)! + 0xfee0)) },
  { sendable: false, write: (a) => a.replace('@', '\u200b@') },
];

/** Values of an opt-out column: the first are a clear "not set", the rest set. */
const NOT_SET = [null, '', '0', 'no', 'false'];
const SET = ['1', 'yes', 'TRUE', '2026-02-01', 'ja'];
const OPT_OUT_COLUMNS = ['consent_withdrawn', 'unsubscribed', 'bounced'] as const;

/** A consent time relative to the export of an earlier (or this) night, as the CRM writes it. */
type ConsentSpec =
  { kind: 'none' } | { kind: 'text'; text: string } | { kind: 'at'; night: number; deltaMs: number; form: 'Z' | '+02:00' | 'naive' };

interface PersonNight {
  present: boolean;
  optOut?: { column: (typeof OPT_OUT_COLUMNS)[number]; value: string };
  idSpelling: number;
  emailSpelling: number;
  consent: ConsentSpec;
  /** Other opt-out columns hold a "not set" value in this spelling. */
  notSet: string | null;
  /** A withdrawn row's id and address written another way (case, full width, invisibles, padding, a trailing dot). */
  variant?: string;
}

const aConsent = (night: number): fc.Arbitrary<ConsentSpec> =>
  fc.oneof(
    { weight: 2, arbitrary: fc.constant<ConsentSpec>({ kind: 'none' }) },
    { weight: 1, arbitrary: fc.constantFrom<ConsentSpec>({ kind: 'text', text: 'garbage' }, { kind: 'text', text: '2026-03-02' }) },
    {
      weight: 6,
      arbitrary: fc.record({
        kind: fc.constant('at' as const),
        night: fc.nat(night),
        deltaMs: fc.constantFrom(-1001, -1, 0, 1, 998, 999, 1000, 1001, 1500, 2 * HOUR, 15 * HOUR, 20 * HOUR, -20 * HOUR),
        form: fc.constantFrom<'Z' | '+02:00' | 'naive'>('Z', 'Z', '+02:00', 'naive'),
      }),
    },
  );

const aPersonNight = (night: number, address: string): fc.Arbitrary<PersonNight> =>
  fc.record({
    variant: fc.option(aVariant(address), { nil: undefined }),
    present: fc.oneof({ weight: 6, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }),
    optOut: fc.option(fc.record({ column: fc.constantFrom(...OPT_OUT_COLUMNS), value: fc.constantFrom(...SET) }), {
      nil: undefined,
      freq: 3,
    }),
    idSpelling: fc.nat(SPELLINGS.length - 1),
    emailSpelling: fc.nat(SPELLINGS.length - 1),
    consent: aConsent(night),
    notSet: fc.constantFrom(...NOT_SET),
  });

interface History {
  jitter: readonly number[];
  nights: ReadonlyArray<readonly PersonNight[]>;
  allowResubscribe: boolean;
}

const aHistory: fc.Arbitrary<History> = fc.record({
  // The exports' times: night i at T0 + i days, somewhere within its first hour (milliseconds too).
  jitter: fc.array(fc.integer({ min: 0, max: HOUR - 1 }), { minLength: NIGHTS, maxLength: NIGHTS }),
  nights: fc.tuple(...Array.from({ length: NIGHTS }, (_, i) => fc.tuple(...PEOPLE.map((address) => aPersonNight(i, address))))),
  allowResubscribe: fc.boolean(),
});

const exportTime = (h: History, night: number) => T0 + night * DAY + h.jitter[night]!;

/** The consent cell and, as the model reads it, the earliest instant it may name (undefined: not believed). */
function consentOf(h: History, spec: ConsentSpec, now: number): { cell?: string; earliest?: number } {
  if (spec.kind === 'none') return {};
  if (spec.kind === 'text') return { cell: spec.text };
  const instant = exportTime(h, spec.night) + spec.deltaMs;
  if (spec.form === 'Z') return { cell: new Date(instant).toISOString(), earliest: instant <= now ? instant : undefined };
  if (spec.form === '+02:00') {
    const cell = new Date(instant + 2 * HOUR).toISOString().replace('Z', '+02:00');
    return { cell, earliest: instant <= now ? instant : undefined };
  }
  // Without a zone: whole seconds of the UTC fields; any instant within 14 hours of them, the earliest counts.
  const seconds = Math.floor(instant / 1000) * 1000;
  const earliest = seconds - 14 * HOUR;
  return { cell: new Date(seconds).toISOString().slice(0, 19).replace('T', ' '), earliest: earliest <= now ? earliest : undefined };
}

/** What the runs reached, so a generator that stopped producing either side fails the test. */
const tally = { regrantedSent: 0, notRegranted: 0 };

/** The model: who each night sends, and why each withdrawn-before person is kept out. */
function expectedNights(h: History): Array<Map<string, 'sent' | string>> {
  const withdrawnAt = new Map<string, number>();
  return h.nights.map((people, night) => {
    const now = exportTime(h, night);
    const verdicts = new Map<string, string>();
    people.forEach((p, i) => {
      const address = PEOPLE[i]!;
      if (!p.present) return;
      if (p.optOut) {
        verdicts.set(address, p.optOut.column);
        return;
      }
      const sendable = SPELLINGS[p.idSpelling]!.sendable && SPELLINGS[p.emailSpelling]!.sendable;
      const before = withdrawnAt.get(address);
      const earliest = consentOf(h, p.consent, now).earliest;
      const regranted = before === undefined || (earliest !== undefined && Math.floor(earliest / 1000) > Math.floor(before / 1000));
      if (before !== undefined && sendable) tally[regranted ? 'regrantedSent' : 'notRegranted'] += 1;
      // A row the e-mail rule refuses is never sent, whatever its consent.
      verdicts.set(address, !sendable ? 'invalid_email' : regranted ? 'sent' : 'withdrawal_not_regranted');
    });
    // Tonight's withdrawals count from the next night on, at tonight's export time.
    people.forEach((p, i) => p.present && p.optOut && withdrawnAt.set(PEOPLE[i]!, now));
    return verdicts;
  });
}

function crmRows(h: History, night: number): CrmRow[] {
  const now = exportTime(h, night);
  return h.nights[night]!.flatMap((p, i) => {
    if (!p.present) return [];
    const address = PEOPLE[i]!;
    const consent = consentOf(h, p.consent, now).cell;
    const flags = Object.fromEntries(OPT_OUT_COLUMNS.map((c) => [c, p.optOut?.column === c ? p.optOut.value : p.notSet]));
    return [
      {
        // A withdrawn row in a variant names the person by the variant alone (id and address).
        recipient_id: p.optOut && p.variant !== undefined ? p.variant : SPELLINGS[p.idSpelling]!.write(address),
        email: p.optOut && p.variant !== undefined ? p.variant : SPELLINGS[p.emailSpelling]!.write(address),
        opt_in_id: '11',
        description: '',
        media_type: 'email',
        entity_type: 'contact',
        entity_id: `C${i}`,
        ...flags,
        ...(consent === undefined ? {} : { consent_granted_at: consent }),
      },
    ];
  });
}

describe('CRM withdrawals over nights: a cleared flag is no new consent', () => {
  let store: StateStore;
  let round = 0;
  beforeAll(async () => {
    store = await createStateStore({ kind: 'sqlite', file: ':memory:' });
  });
  afterAll(async () => store.close());

  /** One night's export; each row's verdict by address ('sent' or its exclusion reason). */
  async function exportNight(client: string, h: History, night: number): Promise<Map<string, string>> {
    const rows = crmRows(h, night);
    const runId = `${client}-night-${night}`;
    const summary = await exportToSnapshot({
      client,
      runId,
      store,
      crm: inMemoryCrm({ newsletter: rows }),
      rules: listRulesSchema.parse({ listKey: 'newsletter', optInId: 11 }),
      list: { listId: 100, allowResubscribe: h.allowResubscribe },
      now: () => new Date(exportTime(h, night)),
    });
    const verdicts = new Map<string, string>();
    for (const sent of await store.snapshots.readBatch(summary.snapshotRef, 0, 1000)) verdicts.set(String(sent.email), 'sent');
    for await (const entry of store.ledger.stream(runId)) {
      if (entry.outcome !== 'excluded') continue;
      const i = Number(String(entry.entityId).slice(1));
      verdicts.set(PEOPLE[i]!, entry.reason ?? '');
    }
    return verdicts;
  }

  it('sends nobody the CRM withdrew unless a consent time proves a later grant, and sends such a re-grant', async () => {
    await fc.assert(
      fc.asyncProperty(aHistory, async (h) => {
        const client = `nights-${++round}`;
        const expected = expectedNights(h);
        for (let night = 0; night < NIGHTS; night++) {
          const actual = await exportNight(client, h, night);
          expect({ night, verdicts: Object.fromEntries(actual) }).toEqual({ night, verdicts: Object.fromEntries(expected[night]!) });
        }
      }),
      { numRuns: 60 },
    );
    expect(tally.regrantedSent).toBeGreaterThan(10);
    expect(tally.notRegranted).toBeGreaterThan(10);
  });
});
