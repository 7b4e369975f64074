import type { CrmEventBatch, CrmEventResults, FeedbackEvent, FeedbackResult, ResponseEvent, ResponseResult } from '../crm-port';
import { recordResponses } from './response-batch';
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
  for (let index = 0; index < events.length; index += 1) {
    const event = events[index] as FeedbackEvent;
    const params = feedbackParams(event);
    const exists = x.get('entityExists', params);
    if ((exists instanceof Promise ? await exists : exists) === undefined) {
      results.push({ index, outcome: 'unknown_entity' });
      continue;
    }
    const run = x.run(event.kind === 'bounce' ? 'bounce' : 'unsubscribe', params);
    // Awaited only when a promise: a synchronous driver's answer needs no microtask per event.
    const changed = run instanceof Promise ? await run : run;
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
  // With a multi-row statement configured, the events of campaigns are recorded in batches after the loop.
  const toRecord: Array<{ index: number; params: Record<string, unknown> }> = [];
  for (let index = 0; index < events.length; index += 1) {
    const event = events[index] as ResponseEvent;
    if (!campaigns.has(event.mailingId)) campaigns.set(event.mailingId, await campaignFor(x, event.mailingId));
    const campaignId = campaigns.get(event.mailingId);
    if (campaignId === undefined) {
      results.push({ index, outcome: 'no_campaign' });
      continue;
    }
    // An open has no URL; '' keeps the uniqueness key free of NULLs, which never compare equal.
    const params = responseParams(event, campaignId);
    if (x.all) {
      results.push({ index, outcome: 'duplicate' }); // settled by recordResponses below
      toRecord.push({ index, params });
      continue;
    }
    const run = x.run('response', params);
    const changed = run instanceof Promise ? await run : run;
    results.push({ index, outcome: changed > 0 ? 'applied' : 'duplicate' });
  }
  const all = x.all?.bind(x);
  if (all)
    await recordResponses(
      { one: (params) => x.run('response', params), many: (events) => all('responseBatch', { events }) },
      toRecord,
      results,
    );
  return results;
}

/**
 * Every named parameter a response statement may use: the event's fields (named, not spread: a
 * spread copies whatever else the object carries) with the URL as '' for an open, and the campaign.
 */
export function responseParams(event: ResponseEvent, campaignId: string): Record<string, unknown> {
  return {
    kind: event.kind,
    mailingId: event.mailingId,
    recipientId: event.recipientId,
    entityType: event.entityType,
    entityId: event.entityId,
    occurredAt: event.occurredAt,
    url: event.url ?? '',
    campaignId,
  };
}

/** Feedback first, then opens and clicks, on one executor (one transaction): see CrmPort.applyEvents. */
export async function applyEventBatch(x: SqlExecutor, batch: CrmEventBatch): Promise<CrmEventResults> {
  const feedback = await applyFeedbackEvents(x, batch.feedback);
  return { feedback, responses: await applyResponseEvents(x, batch.responses) };
}
