import {
  CONSENTS,
  DESCRIPTIONS,
  ENTITY_IDS,
  ENTITY_TYPES,
  MEDIA,
  NOT_SET_OPT_OUTS,
  SPELLINGS,
  type IdnPolicy,
  type Person,
} from './crm-tables';
import { addressCell, formAddress, isMalformedLine, personAsWritten } from './row-cells';
import type { CrmRow, OptimizelyEvent } from './scenario';

// The model of the hostile nightly property: who a list must hold after a night, decided from the
// classes the tables give each generated cell, sharing no code with the export. A person is sendable
// on a list when some row of theirs is plainly the list's (exactly its consent and medium, an address
// the model's own e-mail rule reads as theirs, usable technical fields, no opt-out set), no row that
// may be the list's states an opt-out for them (under any spelling the sync folds onto them), none did
// on an earlier night (a CRM withdrawal is kept until a later consent, which no table time proves), and
// Optimizely never reported them unsubscribed (client-wide, from the list, or from another list under
// the id as sent: its unsubscribe list is the client's and
// every refill asks it by the id it sends, see leftAtOptimizely) or bounced out.

export const LIST_CONSENT = { newsletter: '11', offers: '12' } as const;
export type ListKey = keyof typeof LIST_CONSENT;

/** The model's e-mail rule: the cell, trimmed, is the person's address in ASCII (any case), or its Unicode domain under `punycode`. */
export function readsAsAddress(cell: string, person: Person, idn: IdnPolicy): boolean {
  const text = cell.trim();
  if (/^[\x21-\x7e]+$/u.test(text) && text.toLowerCase() === person.address) return true;
  if (idn !== 'punycode' || !person.unicodeDomain) return false;
  const [local, domain] = text.split('@');
  return (
    /^[a-z0-9.+]+$/iu.test(local ?? '') &&
    `${local!.toLowerCase()}@${domain}`.toLowerCase() === person.address.replace(/@.*/u, `@${person.unicodeDomain}`)
  );
}

const mayBeList = (row: CrmRow, consent: string) => {
  const maybe = CONSENTS[row.consent]!.maybe;
  return (maybe === 'any' || maybe.includes(consent)) && MEDIA[row.medium]!.maybe;
};
const statesOptOut = (row: CrmRow) => row.optOuts.some((v) => v >= NOT_SET_OPT_OUTS);

/** Whether the row alone could be sent on the list (before any other row or Optimizely has its say). */
export function plainlyTheLists(row: CrmRow, consent: string, idn: IdnPolicy): boolean {
  return (
    !isMalformedLine(row) &&
    CONSENTS[row.consent]!.exact === consent &&
    MEDIA[row.medium]!.exact &&
    readsAsAddress(addressCell(row), personAsWritten(row), idn) &&
    ENTITY_TYPES[row.entityType]![1] &&
    ENTITY_IDS[row.entityId]![1] &&
    DESCRIPTIONS[row.description]![1]
  );
}

/** People a row that may be the list's says opted out (under a spelling folded onto them). */
export function withdrawnInCrm(rows: readonly CrmRow[], consent: string): Set<number> {
  return new Set(rows.filter((r) => SPELLINGS[r.spelling]!.same && mayBeList(r, consent) && statesOptOut(r)).map((r) => r.person));
}

/**
 * People an earlier night's export read withdrawn in the CRM for the list's consent (a well-formed row:
 * a malformed line's keys are a guess and are not kept): the suppression ledger keeps them out until
 * a consent time proves a grant after that export (docs/crm.md, "Suppression ledger"). None of the
 * table's consent times does (2020, unreadable, without zone in 2020, or in the future), so every
 * such person stays out, whatever the CRM says tonight.
 */
export function withdrawnBefore(earlierNights: ReadonlyArray<readonly CrmRow[]>, consent: string): Set<number> {
  return new Set(
    earlierNights.flatMap((rows) => [
      ...withdrawnInCrm(
        rows.filter((r) => !isMalformedLine(r)),
        consent,
      ),
    ]),
  );
}

export const LIST_IDS = { newsletter: 100, offers: 200 } as const;

/** What Optimizely reported before each night so far: `nights[n]` before night n, the last one tonight's. */
export type ReportedEvents = ReadonlyArray<readonly OptimizelyEvent[]>;

/**
 * People Optimizely reported leaving the list: bounced out (every list), unsubscribed client-wide
 * (list 0) or from this list. An unsubscribe from another list withdraws that list's consent only
 * (docs/daily-sync.md, "Unsubscribes"), but Optimizely keeps one unsubscribe list for the client,
 * which every refill asks by the id it sends before adding: so it keeps the person out here too when
 * it holds the id as we send it (reported in another letter case, the simulator's list does not match
 * it), except on a reconcile list that already holds them (`keptOnList`: it adds only joiners, and
 * keeps its members; docs/daily-sync.md, "Unsubscribes seen by the refill's check"). One hard bounce
 * (below Optimizely's threshold, which still mails the address) is read by a night's response
 * ingestion, after its list syncs: it keeps the address out from the next night on
 * (docs/daily-sync.md, "Bounces").
 */
export function leftAtOptimizely(
  reported: ReportedEvents,
  list: ListKey,
  keptOnList: ReadonlySet<number> = new Set(),
  form: 'plain' | 'plus' = 'plain',
): Set<number> {
  const ofThisList = (e: OptimizelyEvent) => e.listId === 0 || e.listId === LIST_IDS[list];
  // Optimizely's unsubscribe list holds the plain id as reported (a dropped file's never): the refill's check never meets a plus form.
  const asSent = (e: OptimizelyEvent) => form === 'plain' && !e.upper && !e.dropped && !keptOnList.has(e.person);
  const concerns = (e: OptimizelyEvent) => e.kind !== 'unsubscribe' || ofThisList(e) || asSent(e);
  const known = reported.flatMap((events, night) => events.filter((e) => e.kind !== 'hardBounce' || night < reported.length - 1));
  return new Set(known.filter(concerns).map((e) => e.person));
}

export interface ListVerdict {
  /** The addresses the list must hold, sorted. */
  sendable: string[];
  /** Addresses (in the form a row plainly the list's writes) an opt-out (CRM or Optimizely) keeps out. */
  optedOut: Set<string>;
}

/**
 * What the list must hold after a night with these rows, given everything Optimizely reported so far
 * and the rows of the nights before (`earlierNights`, oldest first).
 */
export function listVerdict(
  rows: readonly CrmRow[],
  list: ListKey,
  idn: IdnPolicy,
  reported: ReportedEvents,
  keptOnList: ReadonlySet<number> = new Set(),
  earlierNights: ReadonlyArray<readonly CrmRow[]> = [],
): ListVerdict {
  const consent = LIST_CONSENT[list];
  const withdrawn = new Set([...withdrawnInCrm(rows, consent), ...withdrawnBefore(earlierNights, consent)]);
  const left = { plain: leftAtOptimizely(reported, list, keptOnList), plus: leftAtOptimizely(reported, list, keptOnList, 'plus') };
  // A person's opt-out (CRM or ledger) holds for every plus form of the address (docs/crm.md,
  // "Suppression ledger"); each form without one is its own recipient ("De-duplication").
  const keptOut = (r: CrmRow) => withdrawn.has(r.person) || left[r.plus ? 'plus' : 'plain'].has(r.person);
  const plainly = rows.filter((r) => plainlyTheLists(r, consent, idn));
  const sendable = new Set(plainly.filter((r) => !statesOptOut(r) && !keptOut(r)).map(formAddress));
  const optedOut = new Set(plainly.filter(keptOut).map(formAddress));
  return { sendable: [...sendable].sort(), optedOut };
}
