import type { ClassifiedPage } from './classify-response-page';
import type { CrmEventResults, CrmPort, FeedbackEvent, FeedbackOutcome, ResponseEvent } from '../crm/crm-port';
import { preparePage, type PagePorts, type PreparedPage } from './prepare-response-page';
import type { Outcome, ResponseCounts } from './response-counts';

export type { PagePorts } from './prepare-response-page';

// A row may concern several entities; it counts once, by its best outcome.
const RANK: Record<Outcome, number> = {
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
  const better = (page: PreparedPage, slot: number, next: Outcome) => {
    const now = page.outcome[slot];
    if (now === undefined || RANK[next] > RANK[now]) page.outcome[slot] = next;
  };
  const feedback = pages.flatMap((page) => page.feedback.map((event, i) => ({ event, page, slot: page.feedbackSlot[i] as number })));
  const responses = pages.flatMap((page) => page.responses.map((event, i) => ({ event, page, slot: page.responseSlot[i] as number })));
  const results = await applyToCrm(
    ports.crm,
    feedback.map((f) => f.event),
    responses.map((r) => r.event),
  );
  for (const r of results.feedback) {
    const from = feedback[r.index];
    if (from) better(from.page, from.slot, FEEDBACK_OUTCOME[r.outcome]);
  }
  for (const r of results.responses) {
    const from = responses[r.index];
    if (from) better(from.page, from.slot, r.outcome === 'applied' ? 'applied' : r.outcome === 'duplicate' ? 'duplicate' : 'noCampaign');
  }
  const keys = pages.flatMap((page) => page.feedbackKeys.map((k) => ({ ...k, page })));
  const applied = keys.filter((k) => ['applied', 'handed', 'alreadyApplied'].includes(k.page.outcome[k.slot] as string));
  await ports.intake?.recordAppliedKeys(
    ports.client.key,
    applied.map((k) => k.key),
    ports.runId ?? 'responses',
  );
  for (const k of keys) ports.pendingKeys.delete(k.key);
  for (const page of pages) {
    for (const [slot, kind] of page.kinds.entries()) {
      const final = page.outcome[slot];
      if (final !== undefined && final !== 'read') counts[kind][final] += 1;
    }
  }
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
