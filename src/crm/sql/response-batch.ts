import { CrmStatementError } from '../../errors/crm-statement-error';
import type { ResponseResult } from '../crm-port';
import type { MaybePromise, ReturnedRows } from './sql-executor';

// The optional multi-row statement for opens and clicks (`statements.responseBatch`, docs/crm.md):
// one statement records many events instead of one statement per event. Its contract: it takes one
// parameter, `:events`, a JSON array of the events in order (each with the parameters the per-event
// `response` statement gets), records them in that order as `response` would, and returns one row
// per event it recorded with those parameters as given. An event it returns is `applied`, one it
// does not `duplicate`: the same outcomes as the per-event statement's affected-row count.

/** The statement's one parameter. */
export const RESPONSE_BATCH_PARAMETER = 'events';

/** What each returned row must give back, as it was bound: how a recorded row is matched to its event. */
export const RESPONSE_BATCH_COLUMNS = ['campaignId', 'kind', 'recipientId', 'entityType', 'entityId', 'occurredAt', 'url'] as const;

/** Events per statement: bounds the JSON text and the rows a statement returns (a commit is up to ten pages). */
export const EVENTS_PER_BATCH = 1000;

/** The per-event parameters of one open or click (responseParams in apply-sql-events.ts). */
export type ResponseParams = Record<string, unknown>;

/** The two ways to record an event: alone with the per-event statement, or in a batch. */
export interface ResponseWriters {
  /** The per-event `response` statement: the rows it changed. */
  one(params: ResponseParams): MaybePromise<number>;
  /** The `responseBatch` statement over the JSON text of the events. */
  many(eventsJson: string): MaybePromise<ReturnedRows>;
}

// A NUL or a lone surrogate: JSON carries them, but a database's JSON functions do not decode them as
// its driver binds the same text (SQLite, PostgreSQL's jsonb refuses them), so such an event is bound
// on its own, with the per-event statement, exactly as without a batch statement.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Whether every text of the event reads back from JSON as the driver would bind it. */
export function batchable(params: ResponseParams): boolean {
  for (const name of RESPONSE_BATCH_COLUMNS) {
    const value = params[name];
    if (typeof value === 'string' && (value.includes('\u0000') || LONE_SURROGATE.test(value))) return false;
  }
  return true;
}

/**
 * Records `events` (index in the caller's list, parameters) in order: runs of batchable events with
 * the batch statement, EVENTS_PER_BATCH at most, the others one by one with the per-event statement
 * between them. Sets `results[index]` of each.
 */
export async function recordResponses(
  writers: ResponseWriters,
  events: ReadonlyArray<{ index: number; params: ResponseParams }>,
  results: ResponseResult[],
): Promise<void> {
  let run: Array<{ index: number; params: ResponseParams }> = [];
  const flush = async () => {
    if (run.length === 0) return;
    const batch = run;
    run = [];
    const answer = writers.many(JSON.stringify(batch.map((e) => e.params)));
    const returned = answer instanceof Promise ? await answer : answer;
    for (const { index, outcome } of batchOutcomes(batch, returned)) results[index] = { index, outcome };
  };
  for (const event of events) {
    if (batchable(event.params)) {
      run.push(event);
      if (run.length >= EVENTS_PER_BATCH) await flush();
      continue;
    }
    await flush();
    const changed = writers.one(event.params);
    const n = changed instanceof Promise ? await changed : changed;
    results[event.index] = { index: event.index, outcome: n > 0 ? 'applied' : 'duplicate' };
  }
  await flush();
}

function tupleOf(value: (column: string) => unknown): string {
  return RESPONSE_BATCH_COLUMNS.map((column) => String(value(column))).join('\u0000');
}

/**
 * Each event of the batch `applied` when a returned row gives back its parameters, else `duplicate`.
 * A row matches the first event with its values not matched yet (two equal events: the first was
 * recorded). A row that matches none, or a missing column, fails the batch (and its transaction):
 * the statement does not keep the contract, and counting on it could lose or double an event.
 */
function batchOutcomes(
  batch: ReadonlyArray<{ index: number; params: ResponseParams }>,
  returned: ReturnedRows,
): Array<{ index: number; outcome: 'applied' | 'duplicate' }> {
  const missing = RESPONSE_BATCH_COLUMNS.find((column) => !returned.columns.includes(column));
  if (missing !== undefined)
    throw new CrmStatementError('responseBatch', `returns no column "${missing}" (it must return each recorded event's parameters)`);
  const waiting = new Map<string, number[]>();
  batch.forEach((event, at) => {
    const key = tupleOf((column) => event.params[column]);
    const queue = waiting.get(key);
    if (queue) queue.push(at);
    else waiting.set(key, [at]);
  });
  const applied = new Set<number>();
  for (const row of returned.rows) {
    const at = waiting.get(tupleOf((column) => row[column]))?.shift();
    if (at === undefined)
      throw new CrmStatementError(
        'responseBatch',
        'returned a row that is no event of the batch, or one event twice (it must return the parameters of each event it recorded, as given)',
      );
    applied.add(at);
  }
  return batch.map((event, at) => ({ index: event.index, outcome: applied.has(at) ? 'applied' : 'duplicate' }));
}
