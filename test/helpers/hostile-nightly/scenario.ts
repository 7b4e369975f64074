import fc from 'fast-check';
import { QUARANTINED_SHAPES, type QuarantinedShape } from './dropped-files';
import {
  CONSENTS,
  CONSENT_TIMES,
  DESCRIPTIONS,
  ENTITY_IDS,
  ENTITY_TYPES,
  FIRST_NAMES,
  MEDIA,
  NOT_SET_OPT_OUTS,
  OPT_OUT_VALUES,
  PEOPLE,
  SPELLINGS,
  USUAL_CONSENTS,
  USUAL_MEDIA,
  USUAL_SPELLINGS,
  type IdnPolicy,
} from './crm-tables';

// Generated nights of the hostile nightly property: CRM rows as indexes into the tables of
// ./crm-tables.ts (so the model reads each cell's class), what changes in the CRM overnight, and what
// happens at Optimizely before each night.

export interface CrmRow {
  person: number;
  spelling: number;
  consent: number;
  medium: number;
  entityType: number;
  entityId: number;
  description: number;
  firstName: number;
  /** consent_withdrawn, bounced, unsubscribed: indexes into OPT_OUT_VALUES. */
  optOuts: readonly [number, number, number];
  consentTime: number;
  /** Written as a malformed line (a stray quote in the first name) where its cells allow (row-cells.ts). */
  strayQuote?: boolean;
  /**
   * The address written in a plus form (`anna.p0+news@…`): another recipient for sending, but one
   * person for opt-outs (an opt-out under either form wins for both: docs/crm.md, "Suppression ledger").
   */
  plus?: boolean;
}

/**
 * An event at Optimizely: an unsubscribe (list 0 is client-wide), hard bounces up to the threshold
 * (bounced out: Optimizely mails the recipient no more), or one hard bounce (below it).
 */
export interface OptimizelyEvent {
  person: number;
  kind: 'unsubscribe' | 'bouncedOut' | 'hardBounce';
  listId: 0 | 100 | 200;
  /** Optimizely reports the id upper-cased (it keeps ids as they were first written). */
  upper: boolean;
  /** Read from a dropped feedback file, not at Optimizely: its own unsubscribe list never holds it. */
  dropped?: boolean;
}

export interface Night {
  rows: readonly CrmRow[];
  /** Events at Optimizely after the night before, read by this night's feedback import. */
  events: readonly OptimizelyEvent[];
  /**
   * The CSV files break: the line of this row (0-based) ends in a CR alone, joining it to the next
   * record. The night's export fails before the clear (docs/crm.md), each list left as the night before.
   */
  crAfterRow?: number;
}

export interface Scenario {
  lists: ReadonlyArray<'newsletter' | 'offers'>;
  /** Each list's strategy: clear and refill, or apply the difference to the live list. */
  strategy: 'refresh' | 'reconcile';
  idnDomains: IdnPolicy;
  /** Two good nights, or two with a broken one between them (`crAfterRow`). */
  nights: readonly Night[];
  /**
   * Before the last night the export job drops an unsubscribes file of this shape (quarantined, nothing
   * applied) and a good one (applied once), each naming someone the newsletter holds (dropped-files.ts).
   */
  droppedShape?: QuarantinedShape;
}

/** An index into a table, its first `usual` entries `weight` times as likely as the rest. */
const pick = (length: number, usual: number, weight = 3) =>
  fc.oneof({ weight, arbitrary: fc.nat(usual - 1) }, { weight: 1, arbitrary: fc.nat(length - 1) });

const optOut = fc.oneof(
  { weight: 8, arbitrary: fc.nat(NOT_SET_OPT_OUTS - 1) },
  { weight: 1, arbitrary: fc.nat(OPT_OUT_VALUES.length - 1) },
);

export const crmRow: fc.Arbitrary<CrmRow> = fc.record({
  person: fc.nat(PEOPLE.length - 1),
  spelling: pick(SPELLINGS.length, USUAL_SPELLINGS, 4),
  consent: pick(CONSENTS.length, USUAL_CONSENTS, 4),
  medium: pick(MEDIA.length, USUAL_MEDIA, 4),
  entityType: pick(ENTITY_TYPES.length, 4, 6),
  entityId: pick(ENTITY_IDS.length, 4, 6),
  description: pick(DESCRIPTIONS.length, 3, 6),
  firstName: fc.nat(FIRST_NAMES.length - 1),
  optOuts: fc.tuple(optOut, optOut, optOut),
  consentTime: pick(CONSENT_TIMES.length, 1, 4),
  strayQuote: fc.oneof({ weight: 7, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) }),
  plus: fc.oneof({ weight: 5, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) }),
});

/** What happens to a row overnight: kept, given an opt-out or its opt-outs cleared, its address or consent broken, or gone. */
const overnight = (row: CrmRow): fc.Arbitrary<readonly CrmRow[]> =>
  fc.oneof<Array<fc.WeightedArbitrary<readonly CrmRow[]>>>(
    { weight: 6, arbitrary: fc.constant([row]) },
    {
      weight: 1,
      arbitrary: fc
        .tuple(fc.nat(2), fc.integer({ min: NOT_SET_OPT_OUTS, max: OPT_OUT_VALUES.length - 1 }))
        .map(([c, v]) => [withOptOut(row, c, v)]),
    },
    // The CRM clears every flag (an import bug, a restored backup): no new consent for that.
    { weight: 1, arbitrary: fc.nat(NOT_SET_OPT_OUTS - 1).map((v) => [{ ...row, optOuts: [v, v, v] as const }]) },
    { weight: 1, arbitrary: fc.nat(SPELLINGS.length - 1).map((spelling) => [{ ...row, spelling }]) },
    { weight: 1, arbitrary: fc.nat(CONSENTS.length - 1).map((consent) => [{ ...row, consent }]) },
    { weight: 1, arbitrary: fc.constant([]) },
  );

function withOptOut(row: CrmRow, column: number, value: number): CrmRow {
  const optOuts = [...row.optOuts] as [number, number, number];
  optOuts[column] = value;
  return { ...row, optOuts };
}

const optimizelyEvent: fc.Arbitrary<OptimizelyEvent> = fc.record({
  person: fc.nat(PEOPLE.length - 1),
  kind: fc.constantFrom('unsubscribe' as const, 'bouncedOut' as const, 'hardBounce' as const),
  listId: fc.constantFrom(0 as const, 100 as const, 200 as const),
  upper: fc.boolean(),
});

/** A clean row of a person consenting to `consent` (0: 11, 1: 12): the CRM says consent. */
const cleanRowOf = (person: number) =>
  fc.nat(1).map((consent): CrmRow => ({
    person,
    spelling: 0,
    consent,
    medium: 0,
    entityType: 0,
    entityId: 0,
    description: 0,
    firstName: 0,
    optOuts: [0, 0, 0],
    consentTime: 0,
  }));

/**
 * A person written clean under the plain address and a plus form (`anna.p0+news@…`) for one consent,
 * one of the forms stating an opt-out on night 1 or from night 2 (the other form then clean on both
 * nights): two recipients for sending, one person for opt-outs, so neither form may be sent once either
 * states one.
 */
const plusTwins = fc
  .record({ clean: cleanRowOf(0), person: fc.nat(PEOPLE.length - 1), optedOutForm: fc.boolean(), night: fc.nat(1) })
  .map(({ clean, person, optedOutForm, night }) => {
    const plain: CrmRow = { ...clean, person };
    const plus: CrmRow = { ...plain, plus: true };
    const optedOut = (row: CrmRow): CrmRow => ({ ...row, optOuts: [0, 0, NOT_SET_OPT_OUTS] });
    const [withOptOut, other] = optedOutForm ? [plus, plain] : [plain, plus];
    return { night1: [night === 0 ? optedOut(withOptOut) : withOptOut, other], night2: [optedOut(withOptOut), other] };
  });

export const scenario: fc.Arbitrary<Scenario> = fc
  .record({
    lists: fc.constantFrom<Scenario['lists']>(['newsletter'], ['newsletter', 'offers'], ['offers', 'newsletter']),
    strategy: fc.constantFrom<Scenario['strategy']>('refresh', 'reconcile'),
    idnDomains: fc.constantFrom<IdnPolicy>('reject', 'punycode'),
    day1: fc.array(crmRow, { minLength: 5, maxLength: 30 }),
    before1: fc.array(optimizelyEvent, { maxLength: 2 }),
    before2: fc.array(optimizelyEvent, { maxLength: 3 }),
    added: fc.array(crmRow, { maxLength: 5 }),
    twins: fc.array(plusTwins, { maxLength: 2 }),
    crNight: fc.boolean(),
    droppedShape: fc.option(fc.constantFrom(...QUARANTINED_SHAPES), { nil: undefined }),
  })
  .chain(({ lists, strategy, idnDomains, day1: rows1, before1, before2, added, twins, crNight, droppedShape }) => {
    const day1 = [...rows1, ...twins.flatMap((t) => t.night1)];
    return fc
      .tuple(
        fc.tuple(...rows1.map(overnight)),
        // Everyone who left at Optimizely is said to consent again by the CRM the next day.
        fc.tuple(...[...before1, ...before2].map((e) => cleanRowOf(e.person))),
        fc.nat(),
      )
      .map(([kept, regranted, crAt]): Scenario => {
        const night2 = [...kept.flat(), ...added, ...twins.flatMap((t) => t.night2), ...regranted];
        // Night 2's CRM arrives broken first (the same rows, one line ending in a CR alone), then whole.
        const broken: Night[] = crNight && night2.length >= 2 ? [{ rows: night2, events: [], crAfterRow: crAt % (night2.length - 1) }] : [];
        return {
          lists,
          strategy,
          idnDomains,
          nights: [{ rows: day1, events: before1 }, ...broken, { rows: night2, events: before2 }],
          droppedShape,
        };
      });
  });
