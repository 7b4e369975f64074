import { OptimizelyArgumentError } from '../errors/optimizely-argument-error';
import { OptimizelyResponseError } from '../errors/optimizely-response-error';
import { RecipientRefusalsError } from '../errors/recipient-refusals-error';
import { isRecipientLevelRefusal } from '../optimizely/client/recipient-refusal';
import type { ResultCode } from '../store/types';

/**
 * More refused recipients than this in one batch of a refill means the refusal is not about
 * recipients after all (a field every recipient fills the same way, a rule changed at Optimizely):
 * the batch fails as a whole and the list sync with it, rather than the list ending "ready" but
 * mostly empty. It also bounds the calls a batch can cost (see narrowingBound).
 */
export const MAX_REFUSED_PER_BATCH = 10;

/**
 * A refused group is split into this many parts, sent at once. Eight: one refused recipient in a
 * batch of 1000 costs 5 rounds and 27 calls (1000 → 8×125 → 8×16 → 8×2 → 2×1) and re-sends ~140
 * recipients for nothing, where halving took 21 sequential calls and ~1000. More parts save few
 * re-sent recipients but add calls, each with its own fixed cost at both ends.
 */
export const NARROWING_PARTS = 8;

/** One recipient refused on its own: its position in the batch and the redacted fault. */
export interface Refusal {
  index: number;
  fault: string;
}

export interface IsolatedBatch {
  /** One code per row; undefined at refused positions. */
  codes: Array<ResultCode | undefined>;
  refused: Refusal[];
  /** addAll3 calls this batch took (1 when nothing was refused). */
  calls: number;
  /** Rounds of calls sent at once (1 when nothing was refused). */
  rounds: number;
}

export interface IsolationOptions {
  maxRefused?: number;
  parts?: number;
}

/** Splitting rounds until a group of `size` is down to single recipients: the least d with parts^d ≥ size. */
export function splitLevels(size: number, parts = NARROWING_PARTS): number {
  let levels = 0;
  for (let reach = 1; reach < size; reach *= parts) levels += 1;
  return levels;
}

/**
 * The most a batch of `size` with `refused` recipients refused on their own can cost. The second
 * round follows the refused call's hint (at most cap singles and the cap + 1 stretches between
 * them) or splits into `parts`; every later round splits at most min(refused, cap) refused groups
 * (more and the batch fails) into `parts` parts, for at most splitLevels(size) rounds.
 */
export function narrowingBound(size: number, refused: number, options: IsolationOptions = {}): { calls: number; rounds: number } {
  const parts = options.parts ?? NARROWING_PARTS;
  if (refused === 0 || size <= 0) return { calls: Math.min(1, size), rounds: Math.min(1, size) };
  const levels = splitLevels(size, parts);
  const cap = options.maxRefused ?? MAX_REFUSED_PER_BATCH;
  const groups = Math.min(refused, cap);
  return { calls: 1 + Math.max(parts, 2 * cap + 1) + parts * groups * levels, rounds: 2 + levels };
}

type Range = readonly [start: number, end: number];

/**
 * Sends a batch with `send`; when it is refused for a recipient-level reason (see
 * isRecipientLevelRefusal), splits it into `parts` groups sent at once (through the client's own
 * concurrency limit), and splits again only the groups refused, until the refused recipients are
 * alone; everyone else is sent exactly once. Any other error (transient, session, a call-level
 * refusal) is thrown unchanged once the round's calls have settled: retries and the list sync's
 * failure handling stay as they are. As soon as the refused groups and singles of a round outnumber
 * the cap (each holds at least one refused recipient), the batch fails as a whole. Each round's
 * groups are strictly smaller than their parents, so it terminates. Answers are checked: a
 * wrong-length or out-of-range result array is an OptimizelyResponseError, never a reason to narrow.
 */
export async function sendIsolatingRefusals(
  size: number,
  send: (start: number, end: number) => Promise<readonly number[]>,
  options: IsolationOptions = {},
): Promise<IsolatedBatch> {
  const maxRefused = options.maxRefused ?? MAX_REFUSED_PER_BATCH;
  const parts = Math.max(2, options.parts ?? NARROWING_PARTS);
  const result: IsolatedBatch = { codes: new Array<ResultCode | undefined>(size).fill(undefined), refused: [], calls: 0, rounds: 0 };
  let groups: Range[] = size > 0 ? [[0, size]] : [];
  while (groups.length > 0) {
    result.rounds += 1;
    result.calls += groups.length;
    const outcomes = await Promise.allSettled(groups.map(([start, end]) => send(start, end)));
    const refusedGroups: Range[] = [];
    let lastFault = '';
    outcomes.forEach((outcome, i) => {
      const [start, end] = groups[i] as Range;
      if (outcome.status === 'fulfilled') return record(result, start, end, outcome.value);
      if (!isRecipientLevelRefusal(outcome.reason)) throw outcome.reason;
      lastFault = faultText(outcome.reason);
      if (end - start === 1) result.refused.push({ index: start, fault: lastFault });
      else refusedGroups.push([start, end]);
    });
    const atLeast = result.refused.length + refusedGroups.length;
    if (atLeast > maxRefused || (size > 1 && result.refused.length === size)) throw new RecipientRefusalsError(atLeast, size, lastFault);
    const hinted = result.rounds === 1 && refusedGroups.length === 1 ? hintedSplit(size, outcomes[0], maxRefused) : undefined;
    groups = hinted ?? refusedGroups.flatMap((group) => split(group, parts));
  }
  result.refused.sort((a, b) => a.index - b.index);
  return result;
}

/**
 * The refused batch's own pointer to its refused recipients, when it has one: the positions the
 * server's fault names (OptimizelyArgumentError.namedPositions) or the request writer's path
 * (`attributeValues[7]…`). Only the first round follows it, and only a plausible one (1..cap
 * distinct positions inside the batch, not all of it): those recipients alone and the stretches
 * between them, all sent at once. A wrong pointer costs the calls of one round, nothing else: every
 * part is sent and narrowed like any other.
 */
function hintedSplit(size: number, outcome: PromiseSettledResult<unknown> | undefined, maxRefused: number): Range[] | undefined {
  if (outcome?.status !== 'rejected') return undefined;
  const named = namedPositions(outcome.reason);
  const valid = named.every((p) => Number.isInteger(p) && p >= 0 && p < size);
  const positions = [...new Set(named)].sort((a, b) => a - b);
  if (!valid || positions.length === 0 || positions.length > maxRefused || positions.length >= size) return undefined;
  const ranges: Range[] = [];
  let from = 0;
  for (const p of positions) {
    if (p > from) ranges.push([from, p]);
    ranges.push([p, p + 1]);
    from = p + 1;
  }
  if (from < size) ranges.push([from, size]);
  return ranges;
}

const ENCODER_PATH = /cannot encode request: (?:recipientIds|addresses|attributeValues)\[(\d{1,7})\]/;

function namedPositions(error: unknown): readonly number[] {
  if (error instanceof OptimizelyArgumentError && error.namedPositions) return error.namedPositions.slice(0, MAX_NAMED_READ);
  const path = error instanceof Error ? ENCODER_PATH.exec(error.message) : null;
  return path ? [Number(path[1])] : [];
}

/** A hostile hint is cut before it is even sorted. */
const MAX_NAMED_READ = 64;

function split([start, end]: Range, parts: number): Range[] {
  const count = Math.min(parts, end - start);
  const edge = (i: number) => start + Math.floor((i * (end - start)) / count);
  return Array.from({ length: count }, (_, i) => [edge(i), edge(i + 1)] as const);
}

function record(result: IsolatedBatch, start: number, end: number, codes: readonly number[]): void {
  checkAnswer(codes, end - start);
  codes.forEach((code, i) => (result.codes[start + i] = code as ResultCode));
}

function checkAnswer(codes: readonly number[], expected: number): void {
  const fail = (reason: string) => new OptimizelyResponseError(reason, { service: 'Recipient', operation: 'addAll3' });
  if (!Array.isArray(codes) || codes.length !== expected)
    throw fail(`${Array.isArray(codes) ? codes.length : 'no'} result codes for ${expected} recipients`);
  if (codes.some((code) => !Number.isInteger(code) || code < 0 || code > 7)) throw fail('result code outside 0–7');
}

/**
 * Only OptimizelyArgumentError reaches here: its message is the client's already redacted fault (a
 * known template) or the request writer's own words naming a path, never a value. Cut for the ledger.
 */
function faultText(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.length > 300 ? `${text.slice(0, 300)}…` : text;
}
