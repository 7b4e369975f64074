import type { ClientConfig } from '../config/config-schema';
import type { CrmPort, FeedbackEvent, ResponseEvent } from '../crm/crm-port';
import { appliedEventKey, appliedKeyForms } from '../feedback/applied-event-key';
import { feedbackMappingOf } from '../feedback/feedback-events';
import type { FeedbackIntakeStore, SuppressionStore } from '../store/state-store';
import {
  feedbackCandidatesOf,
  suppressionEventsOf,
  UNSETTLED,
  type ClassifiedPage,
  type FeedbackCandidate,
} from './classify-response-page';
import { OUTCOMES, RESPONSE_KINDS, type Outcome, type ResponseCounts } from './response-counts';
import type { ResponseLookups } from './response-mapping';
import type { ResponseKind } from './response-rows';
import type { SentEntity } from '../store/types';

export interface PagePorts {
  client: ClientConfig;
  crm: CrmPort;
  lookups: ResponseLookups;
  /** Feedback events applied before (by the feedback import or an earlier window) are not applied again. */
  intake?: FeedbackIntakeStore;
  /** Feedback keys of pages prepared but not yet committed: a later page's repeat of one is a duplicate. */
  pendingKeys: Set<string>;
  runId?: string;
  /** The suppression ledger: every page's unsubscribes and out-bounces go in before anything else of it. */
  suppressions?: Pick<SuppressionStore, 'record'>;
}

/** A page mapped to CRM events, waiting to be committed (see commitPages); holds no rows. */
export interface PreparedPage {
  kinds: ResponseKind[];
  /** Per row: its outcome so far, undefined while it waits for the CRM. */
  outcome: Array<Outcome | undefined>;
  feedback: FeedbackEvent[];
  /** The row of each feedback event. */
  feedbackSlot: number[];
  responses: ResponseEvent[];
  responseSlot: number[];
  /** Feedback rows going to the CRM and their keys, recorded as applied once the CRM accepted them. */
  feedbackKeys: Array<{ slot: number; key: string }>;
}

/**
 * Maps one classified page (classify-response-page.ts) to CRM events: bounces and unsubscribes
 * always, opens and clicks only of CRM campaigns. Counts every row read and puts the page's
 * suppressions into the ledger; writes nothing to the CRM. The state store is asked once per page:
 * what each recipient was sent as, and which feedback keys were applied before.
 */
export async function preparePage(page: ClassifiedPage, ports: PagePorts, counts: ResponseCounts): Promise<PreparedPage> {
  // Whether or not the CRM will accept the page: the suppression ledger does not wait for it.
  if (page.suppressions.unsubscribe.length > 0) await ports.suppressions?.record(suppressionEventsOf(page.suppressions, ports.client.key));
  const kinds = Array.from(page.kinds, (k) => RESPONSE_KINDS[k] as ResponseKind);
  for (const kind of kinds) counts[kind].read += 1;
  const outcome = Array.from(page.settled, (s): Outcome | undefined => (s === UNSETTLED ? undefined : OUTCOMES[s]));
  // The page's mailings are resolved once up front (each a cached promise), not per row.
  const campaigns = await Promise.all(page.mailingIds.map((id) => ports.lookups.campaignFor(id)));
  const opens = opensOfCampaigns(page.engagements, campaigns, outcome);
  const candidates = feedbackCandidatesOf(page.feedback);
  const sent = await ports.lookups.sentFor(idsToLookUp(candidates, page.engagements, opens));
  const prepared: PreparedPage = { kinds, outcome, feedback: [], feedbackSlot: [], responses: [], responseSlot: [], feedbackKeys: [] };
  // A page is one getter's: bounces and unsubscribes, or opens and clicks. Each kind's work is a
  // function of its own, run only when the page has rows of it: V8 then compiles each for the
  // arrays it is always handed, instead of compiling this function again for every kind of page.
  if (candidates.length > 0) await prepareFeedback(candidates, ports, prepared);
  if (opens.length > 0) prepareEngagements(page, opens, sent, ports, prepared);
  return prepared;
}

/** The opens and clicks of a CRM campaign (their indexes); the others are settled as noCampaign. */
function opensOfCampaigns(
  e: ClassifiedPage['engagements'],
  campaigns: ReadonlyArray<string | undefined>,
  outcome: Array<Outcome | undefined>,
): number[] {
  const opens: number[] = [];
  for (let i = 0; i < e.slot.length; i += 1) {
    if (campaigns[e.mailing[i] as number] === undefined) outcome[e.slot[i] as number] = 'noCampaign';
    else opens.push(i);
  }
  return opens;
}

/** The recipient ids the ledger is asked for in one query: the bounces' and unsubscribes', then the opens' and clicks'. */
function idsToLookUp(candidates: readonly FeedbackCandidate[], e: ClassifiedPage['engagements'], opens: readonly number[]): string[] {
  const ids: string[] = [];
  for (const c of candidates) ids.push(c.checked.recipientId);
  for (const i of opens) ids.push(e.recipientId[i] as string);
  return ids;
}

/**
 * The page's bounces and unsubscribes mapped to CRM events. Also under the other forms their id may
 * have been sent as (asked only for the ids missed by the page's look-up, the rest answered from the
 * cache), and keyed by the id they resolved to before any de-duplication: one event per person,
 * whichever form reported it.
 */
async function prepareFeedback(candidates: readonly FeedbackCandidate[], ports: PagePorts, prepared: PreparedPage): Promise<void> {
  const { outcome } = prepared;
  const resolved = await ports.lookups.resolveSentIds(candidates.map((c) => c.checked.recipientId));
  const keyed = candidates.map((c) => keyedBySentId(c, resolved.get(c.checked.recipientId)?.sentId));
  const fresh = await freshCandidates(keyed, ports);
  // A set, not Array.includes per candidate: a page of a thousand unsubscribes was a million comparisons.
  const freshSet = new Set(fresh);
  for (const c of keyed) if (!freshSet.has(c)) outcome[c.slot] = 'duplicate';
  for (const c of fresh) prepared.feedbackKeys.push({ slot: c.slot, key: c.key });
  for (const c of fresh) {
    const sent = resolved.get(c.checked.recipientId)?.sent ?? [];
    const { events, unresolved } = feedbackMappingOf(c.kind, c.checked, ports.client, sent);
    for (const event of events) {
      prepared.feedbackSlot.push(c.slot);
      prepared.feedback.push(event);
    }
    // Part of it not applied (a list removed from the configuration): reported, whatever the CRM makes of the rest.
    if (unresolved) outcome[c.slot] = 'unresolvedOptOut';
    // Never sent: a repeat on a later page finds no entity either, whatever is committed in between.
    if (events.length === 0) outcome[c.slot] ??= 'unknownRecipient';
    else ports.pendingKeys.add(c.key);
  }
}

/** The page's opens and clicks of CRM campaigns mapped to CRM events, as reported. */
function prepareEngagements(
  page: ClassifiedPage,
  opens: readonly number[],
  sent: ReadonlyMap<string, SentEntity[]>,
  ports: PagePorts,
  prepared: PreparedPage,
): void {
  const e = page.engagements;
  for (const i of opens) {
    const slot = e.slot[i] as number;
    const engagement = {
      kind: e.click[i] === 1 ? ('click' as const) : ('open' as const),
      recipientId: e.recipientId[i] as string,
      mailingId: page.mailingIds[e.mailing[i] as number] as string,
      occurredAt: e.occurredAt[i] as string,
      listId: e.listId[i] as number,
      url: e.url[i] as string,
    };
    const events = ports.lookups.responseEvents(engagement, sent.get(engagement.recipientId) ?? []);
    for (const event of events) {
      prepared.responseSlot.push(slot);
      prepared.responses.push(event);
    }
    if (events.length === 0) prepared.outcome[slot] = 'unknownRecipient';
  }
}

/** A candidate keyed by the id it was sent as (appliedEventKey); `sentId` undefined when the ledger knows none of its forms. */
interface KeyedCandidate extends FeedbackCandidate {
  sentId: string | undefined;
  /** The key from the id as reported (the classified page's), kept for appliedKeyForms. */
  reportedKey: string;
}

function keyedBySentId(c: FeedbackCandidate, sentId: string | undefined): KeyedCandidate {
  return { ...c, sentId, reportedKey: c.key, key: sentId === undefined ? c.key : appliedEventKey(c.kind, c.checked, sentId) };
}

/**
 * The candidates whose event was not applied before (under today's key or a former one:
 * appliedKeyForms), is not waiting on an earlier page, and is not a repeat within the page: the same
 * event of one person reported under two forms of the id has one key, and goes to the CRM once.
 */
async function freshCandidates(candidates: readonly KeyedCandidate[], ports: PagePorts): Promise<KeyedCandidate[]> {
  if (candidates.length === 0) return [];
  // The folded id and both keys were derived already (classification, keyedBySentId): not again.
  const forms = candidates.map((c) =>
    appliedKeyForms(c.kind, c.checked, c.sentId, { folded: c.folded, reportedKey: c.reportedKey, appliedKey: c.key }),
  );
  const appliedBefore = ports.intake ? await ports.intake.appliedKeys(ports.client.key, [...new Set(forms.flat())]) : new Set<string>();
  const inPage = new Set<string>();
  return candidates.filter((c, i) => {
    const before = forms[i]!.some((key) => appliedBefore.has(key)) || ports.pendingKeys.has(c.key) || inPage.has(c.key);
    inPage.add(c.key);
    return !before;
  });
}
