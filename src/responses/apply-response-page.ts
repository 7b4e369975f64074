import type { ClassifiedPage } from './classify-response-page';
import type { CrmEventResults, CrmPort, FeedbackEvent, FeedbackOutcome, ResponseEvent } from '../crm/crm-port';
import { preparePage, type PagePorts, type PreparedPage } from './prepare-response-page';
import type { Outcome, ResponseCounts } from './response-counts';
import type { ResponseKind } from './response-rows';

export type { PagePorts } from './prepare-response-page';

// A row may concern several entities; it counts once, by its best outcome.
const RANK: Record<Outcome, number> = {
  // Part of an opt-out not applied outranks what the CRM made of the rest: it must be reported.
  unresolvedOptOut: 6,
  applied: 5,
  handed: 5,
  alreadyApplied: 4,
  duplicate: 3,
  noCampaign: 2,
  unknownEntity: 1,
  read: 0,
  unknownRecipient: 0,
  ignored: 0,
  invalid: 0,
};

const FEEDBACK_OUTCOME: Record<FeedbackOutcome, Outcome> = {
  applied: 'applied',
  handed: 'handed',
  already: 'alreadyApplied',
  unknown_entity: 'unknownEntity',
};

/**
 * Applies prepared pages to the CRM in one transaction (see CrmPort.applyEvents; one per kind of
 * event when the adapter has none), however many pages: fewer CRM commits, each of them durable. Returns once the CRM has
 * accepted them all; then records the applied feedback keys and counts every row once, by its best
 * outcome.
 */
export async function commitPages(pages: readonly PreparedPage[], ports: PagePorts, counts: ResponseCounts): Promise<void> {
  // The pages' events in one list per kind, and where each came from (its page and row), as columns.
  const feedback = gatherFeedback(pages);
  const responses = gatherResponses(pages);
  const results = await applyToCrm(ports.crm, feedback.events, responses.events);
  for (const r of results.feedback) feedback.better(r.index, FEEDBACK_OUTCOME[r.outcome]);
  for (const r of results.responses)
    responses.better(r.index, r.outcome === 'applied' ? 'applied' : r.outcome === 'duplicate' ? 'duplicate' : 'noCampaign');
  const applied: string[] = [];
  for (const page of pages)
    for (const { slot, key } of page.feedbackKeys) {
      const outcome = page.outcome[slot];
      if (outcome === 'applied' || outcome === 'handed' || outcome === 'alreadyApplied') applied.push(key);
    }
  await ports.intake?.recordAppliedKeys(ports.client.key, applied, ports.runId ?? 'responses');
  for (const page of pages) for (const { key } of page.feedbackKeys) ports.pendingKeys.delete(key);
  for (const page of pages) {
    for (let slot = 0; slot < page.kinds.length; slot += 1) {
      const final = page.outcome[slot];
      if (final !== undefined && final !== 'read') counts[page.kinds[slot] as ResponseKind][final] += 1;
    }
  }
}

/** The events of every page in one list, and where each came from: `pageOf[i]` and `slotOf[i]` are event i's page and row. */
interface Gathered<E> {
  events: E[];
  pageOf: PreparedPage[];
  slotOf: number[];
  /** A row may concern several entities; it counts once, by its best outcome. An index the CRM made up is ignored. */
  better(index: number, next: Outcome): void;
}

// One function per kind of event rather than one taking the kind's arrays as callbacks: V8 compiled
// the shared one, and commitPages with it, again whenever the other kind came through.
function gatherFeedback(pages: readonly PreparedPage[]): Gathered<FeedbackEvent> {
  const gathered = emptyGathered<FeedbackEvent>();
  for (const page of pages)
    for (let i = 0; i < page.feedback.length; i += 1) {
      gathered.events.push(page.feedback[i] as FeedbackEvent);
      gathered.pageOf.push(page);
      gathered.slotOf.push(page.feedbackSlot[i] as number);
    }
  return gathered;
}

function gatherResponses(pages: readonly PreparedPage[]): Gathered<ResponseEvent> {
  const gathered = emptyGathered<ResponseEvent>();
  for (const page of pages)
    for (let i = 0; i < page.responses.length; i += 1) {
      gathered.events.push(page.responses[i] as ResponseEvent);
      gathered.pageOf.push(page);
      gathered.slotOf.push(page.responseSlot[i] as number);
    }
  return gathered;
}

function emptyGathered<E>(): Gathered<E> {
  const gathered: Gathered<E> = {
    events: [],
    pageOf: [],
    slotOf: [],
    better(index, next) {
      const page = gathered.pageOf[index];
      if (!page) return;
      const slot = gathered.slotOf[index] as number;
      const now = page.outcome[slot];
      if (now === undefined || RANK[next] > RANK[now]) page.outcome[slot] = next;
    },
  };
  return gathered;
}

/** Feedback, then opens and clicks: in one CRM transaction when the adapter has one, else two calls; nothing for nothing. */
async function applyToCrm(crm: CrmPort, feedback: readonly FeedbackEvent[], responses: readonly ResponseEvent[]): Promise<CrmEventResults> {
  if (feedback.length > 0 && responses.length > 0 && crm.applyEvents) return crm.applyEvents({ feedback, responses });
  return {
    feedback: feedback.length > 0 ? await crm.applyFeedback(feedback) : [],
    responses: responses.length > 0 ? await crm.applyResponses(responses) : [],
  };
}

/** One classified page prepared and committed on its own. */
export async function applyResponsePage(page: ClassifiedPage, ports: PagePorts, counts: ResponseCounts): Promise<void> {
  await commitPages([await preparePage(page, ports, counts)], ports, counts);
}
