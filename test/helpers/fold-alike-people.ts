import fc from 'fast-check';
import type { CrmPort, FeedbackEvent } from '../../src/crm/crm-port';
import { sentIdForms } from '../../src/feedback/feedback-events';
import type { LedgerStore } from '../../src/store/state-store';
import type { SentEntity } from '../../src/store/types';
import { recipientIdKey } from '../../src/validation/recipient-id-key';
import { aVariant, anAddress } from './address-variants';

// People we sent under ids that only fold alike, and their bounces and unsubscribes reported under
// any form of the id: for the exactly-once properties of the feedback import and response ingestion.
// The export tells ids apart by letter case only (recipientIdKey), so it may send `ABC1`, `ＡＢＣ１`
// and `AB\u200BC1` as three people; the suppression key folds them to one.

const fullWidth = (text: string) =>
  [...text].map((ch) => (ch >= '!' && ch <= '~' ? String.fromCharCode(ch.charCodeAt(0) - 0x21 + 0xff01) : ch)).join('');
const withInvisible = (text: string, at: number, invisible: string) =>
  `${text.slice(0, 1 + (at % Math.max(1, text.length - 1)))}${invisible}${text.slice(1 + (at % Math.max(1, text.length - 1)))}`;

/** An opaque CRM id and the ids that fold alike with it (full width, an invisible character inside, both). */
const aFamily = fc
  .tuple(fc.stringMatching(/^[A-Z][A-Z0-9-]{1,6}[0-9]$/), fc.nat(), fc.constantFrom('\u200B', '\u2060', '\u00AD', '\uFEFF'))
  .chain(([base, at, invisible]) =>
    fc.subarray([base, fullWidth(base), withInvisible(base, at, invisible), fullWidth(withInvisible(base, at, invisible))], {
      minLength: 1,
    }),
  );

/** Sent ids, distinct as the export tells them apart: families of opaque ids that fold alike, and addresses. */
export const aSentIdSet: fc.Arbitrary<string[]> = fc
  .tuple(fc.array(aFamily, { minLength: 1, maxLength: 3 }), fc.array(anAddress, { maxLength: 2 }))
  .map(([families, addresses]) => {
    const byKey = new Map<string, string>();
    for (const id of [...families.flat(), ...addresses]) if (!byKey.has(recipientIdKey(id))) byKey.set(recipientIdKey(id), id);
    return [...byKey.values()];
  });

export type Kind = 'bounce' | 'unsubscribe';

/** One event of a sent person (by index), on one of two lists (0 or 1), in one of a few seconds, and the forms it is reported under. */
export interface PersonEvent {
  person: number;
  kind: Kind;
  list: 0 | 1;
  second: number;
  reports: string[];
}

/**
 * Events of the people: at most one per person, kind and second (a bounce always on the first list:
 * a bounce concerns the entity whichever list reported it), each reported one to three times, as
 * sent or under a form written another way (case, padding, full width, invisible characters,
 * trailing dot). Few seconds, so people whose ids fold alike often share kind, list and second.
 */
export const eventsOf = (sentIds: readonly string[]): fc.Arbitrary<PersonEvent[]> =>
  fc
    .uniqueArray(
      fc.record({
        person: fc.nat({ max: sentIds.length - 1 }),
        kind: fc.constantFrom<Kind>('bounce', 'unsubscribe'),
        list: fc.constantFrom<0 | 1>(0, 1),
        second: fc.nat({ max: 1 }),
      }),
      { minLength: 1, maxLength: 8, selector: (e) => `${e.person}|${e.kind}|${e.second}` },
    )
    .chain((events) =>
      fc.tuple(
        ...events.map((e) =>
          fc
            .array(fc.oneof(fc.constant(sentIds[e.person] as string), aVariant(sentIds[e.person] as string)), {
              minLength: 1,
              maxLength: 3,
            })
            .map((reports): PersonEvent => ({ ...e, list: e.kind === 'bounce' ? 0 : e.list, reports })),
        ),
      ),
    );

/**
 * Whom a report concerns: the first of its forms (sentIdForms, how the export may have written it) we
 * sent, undefined for none. A report written another way may concern a person whose id folds alike.
 */
export function personOf(report: string, sentIds: readonly string[]): number | undefined {
  const form = sentIdForms(report).find((f) => sentIds.includes(f));
  return form === undefined ? undefined : sentIds.indexOf(form);
}

/** The CRM writes the events must give, once each: per person, kind, list and second reported, as `entity|kind|consent|time`. */
export function expectedWrites(
  events: readonly PersonEvent[],
  sentIds: readonly string[],
  optIns: readonly [string, string],
  timeOf: (second: number) => string,
): Set<string> {
  const writes = new Set<string>();
  for (const e of events)
    for (const report of e.reports) {
      const person = personOf(report, sentIds);
      if (person !== undefined) writes.add(writeOf(`C${person}`, e.kind, e.kind === 'bounce' ? '' : optIns[e.list], timeOf(e.second)));
    }
  return writes;
}

const writeOf = (entity: string, kind: Kind, consent: string, time: string) => `${entity}|${kind}|${consent}|${time}`;

/** A ledger that knows exactly the ids sent (as the store does): person i as contact C<i> on both lists. */
export function peopleLedger(sentIds: readonly string[]): LedgerStore {
  const entities = (id: string): SentEntity[] => {
    const i = sentIds.indexOf(id);
    if (i < 0) return [];
    return ['newsletter', 'offers'].map((listKey) => ({ runId: 'r1', listKey, entityType: 'contact', entityId: `C${i}`, resultCode: 0 }));
  };
  return {
    sentEntities: async ({ recipientId }: { recipientId: string }) => entities(recipientId),
    sentEntitiesOf: async ({ recipientIds }: { recipientIds: readonly string[] }) => new Map(recipientIds.map((id) => [id, entities(id)])),
  } as unknown as LedgerStore;
}

/**
 * A CRM whose writes are idempotent, as the SQL adapters' are: the first write of an event is
 * `applied`, a repeat `already`. Counts how often each write was handed to it.
 */
export function idempotentCrm(): CrmPort & { handed: Map<string, number>; applied: Set<string> } {
  const handed = new Map<string, number>();
  const applied = new Set<string>();
  const apply = (e: FeedbackEvent) => {
    const write = writeOf(e.entityId, e.kind, e.kind === 'bounce' ? '' : String(e.optInId), e.occurredAt);
    handed.set(write, (handed.get(write) ?? 0) + 1);
    if (applied.has(write)) return 'already' as const;
    applied.add(write);
    return 'applied' as const;
  };
  return {
    handed,
    applied,
    exportSelection: async function* () {},
    applyFeedback: async (batch) => batch.map((e, index) => ({ index, outcome: apply(e) })),
    applyResponses: async () => [],
    campaignForMailing: async () => undefined,
    close: async () => undefined,
  };
}
