import type { CrmEventBatch, CrmEventResults, FeedbackEvent, FeedbackResult, ResponseEvent, ResponseResult } from '../crm-port';
import type { SqlExecutor } from './sql-executor';

// Shared by the SQLite and PostgreSQL adapters: the outcome of each event comes from the affected
// row count of the configured statement, which is why those statements must be no-ops when the CRM
// already says so (see default-statements.ts).

/** Every named parameter a feedback statement may use. */
export function feedbackParams(event: FeedbackEvent): Record<string, unknown> {
  return {
    kind: event.kind,
    recipientId: event.recipientId,
    entityType: event.entityType,
    entityId: event.entityId,
    optInId: event.optInId,
    mediaType: event.mediaType,
    occurredAt: event.occurredAt,
    // SQLite cannot bind booleans; an unsubscribe or unspecified bounce counts as hard.
    hard: event.hard === false ? 0 : 1,
  };
}

export async function applyFeedbackEvents(x: SqlExecutor, events: readonly FeedbackEvent[]): Promise<FeedbackResult[]> {
  const results: FeedbackResult[] = [];
  for (const [index, event] of events.entries()) {
    const params = feedbackParams(event);
    if ((await x.get('entityExists', params)) === undefined) {
      results.push({ index, outcome: 'unknown_entity' });
      continue;
    }
    const changed = await x.run(event.kind === 'bounce' ? 'bounce' : 'unsubscribe', params);
    results.push({ index, outcome: changed > 0 ? 'applied' : 'already' });
  }
  return results;
}

export async function campaignFor(x: SqlExecutor, mailingId: string): Promise<string | undefined> {
  const row = await x.get('campaignForMailing', { mailingId });
  const id = row?.['campaign_id'];
  return id === undefined || id === null ? undefined : String(id);
}

export async function applyResponseEvents(x: SqlExecutor, events: readonly ResponseEvent[]): Promise<ResponseResult[]> {
  const campaigns = new Map<string, string | undefined>();
  const results: ResponseResult[] = [];
  for (const [index, event] of events.entries()) {
    if (!campaigns.has(event.mailingId)) campaigns.set(event.mailingId, await campaignFor(x, event.mailingId));
    const campaignId = campaigns.get(event.mailingId);
    if (campaignId === undefined) {
      results.push({ index, outcome: 'no_campaign' });
      continue;
    }
    // An open has no URL; '' keeps the uniqueness key free of NULLs, which never compare equal.
    const params = { ...event, url: event.url ?? '', campaignId };
    const changed = await x.run('response', params);
    results.push({ index, outcome: changed > 0 ? 'applied' : 'duplicate' });
  }
  return results;
}

/** Feedback first, then opens and clicks, on one executor (one transaction): see CrmPort.applyEvents. */
export async function applyEventBatch(x: SqlExecutor, batch: CrmEventBatch): Promise<CrmEventResults> {
  const feedback = await applyFeedbackEvents(x, batch.feedback);
  return { feedback, responses: await applyResponseEvents(x, batch.responses) };
}
