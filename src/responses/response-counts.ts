import type { ResponseKind } from './response-rows';

/**
 * What became of the rows of one kind. `read`: rows returned; `applied`: the CRM changed; `handed`:
 * written to the CSV exchange's outbox for the CRM to import;
 * `alreadyApplied`: the CRM already said so; `duplicate`: the event was seen before (same key in this
 * run, or an open or click the CRM had recorded); `noCampaign`: an open or click of a mailing the CRM
 * does not know as a campaign; `unknownRecipient`: never sent by us; `unknownEntity`: sent, but the CRM
 * no longer has the entity; `ignored`: a response that is no bounce (autoresponder, reply); `invalid`:
 * no recipient id or an unreadable timestamp; `unresolvedOptOut`: a bounce or unsubscribe of someone sent
 * on a list since removed from the configuration whose run recorded neither the Optimizely list id
 * nor the consent it matched, so (that part of) it was not applied (feedbackMappingOf). Appended
 * last: a classified page names a settled outcome by its index here.
 */
export const OUTCOMES = [
  'read',
  'applied',
  'handed',
  'alreadyApplied',
  'duplicate',
  'noCampaign',
  'unknownRecipient',
  'unknownEntity',
  'ignored',
  'invalid',
  'unresolvedOptOut',
] as const;
export type Outcome = (typeof OUTCOMES)[number];
export type OutcomeCounts = Record<Outcome, number>;
export type ResponseCounts = Record<ResponseKind, OutcomeCounts>;

/** Every kind of row, in a fixed order: a classified page names a row's kind by its index here. */
export const RESPONSE_KINDS: readonly ResponseKind[] = ['mailing', 'bounce', 'unsubscribe', 'open', 'click', 'other'];
const KINDS = RESPONSE_KINDS;

export function emptyCounts(): ResponseCounts {
  const zero = () => Object.fromEntries(OUTCOMES.map((o) => [o, 0])) as OutcomeCounts;
  return Object.fromEntries(KINDS.map((k) => [k, zero()])) as ResponseCounts;
}

/** Adds `more` into `into` and returns `into`. */
export function addCounts(into: ResponseCounts, more: ResponseCounts): ResponseCounts {
  for (const kind of KINDS) for (const outcome of OUTCOMES) into[kind][outcome] += more[kind]?.[outcome] ?? 0;
  return into;
}

/** Totals per outcome over the event kinds (mailings are not events). */
export function totalCounts(counts: ResponseCounts): OutcomeCounts {
  const total = emptyCounts().open;
  for (const kind of KINDS.filter((k) => k !== 'mailing')) for (const outcome of OUTCOMES) total[outcome] += counts[kind][outcome];
  return total;
}

/** `open.applied`-style keys with totals as `total.applied`, for the state store's run record. */
export function flattenCounts(counts: ResponseCounts): Record<string, number> {
  const flat: Record<string, number> = {};
  for (const kind of KINDS)
    for (const outcome of OUTCOMES) if (counts[kind][outcome] > 0) flat[`${kind}.${outcome}`] = counts[kind][outcome];
  for (const [outcome, n] of Object.entries(totalCounts(counts))) flat[`total.${outcome}`] = n;
  return flat;
}
