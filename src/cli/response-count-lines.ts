import { fieldLine } from './terminal-text';

/**
 * The counts of a response-ingestion run (`open.applied`, `click.noCampaign`, `total.duplicate`, ...)
 * as report lines: one per event kind, outcomes in a fixed order.
 */
// What a SQL adapter changed is applied in the CRM; what went to a CSV outbox is only handed to it.
const OUTCOME_WORDS: Record<string, string> = { applied: 'applied in the CRM', handed: 'handed to the CRM' };

export function responseCountLines(counts: Record<string, number>): string[] {
  const byKind = new Map<string, string[]>();
  for (const [key, n] of Object.entries(counts).sort(([a], [b]) => a.localeCompare(b))) {
    const dot = key.indexOf('.');
    if (dot < 0) continue;
    const kind = key.slice(0, dot);
    const outcome = key.slice(dot + 1);
    byKind.set(kind, [...(byKind.get(kind) ?? []), fieldLine`${OUTCOME_WORDS[outcome] ?? outcome} ${n}`]);
  }
  const lines = [...byKind.entries()].map(([kind, outcomes]) => `${fieldLine`  ${kind}`}: ${outcomes.join(', ')}`);
  if (counts.lagging) lines.push(`  LAGGING: ${Math.round((counts.lostBeforeMs ?? 0) / 3_600_000)} h of response data expired unread`);
  return lines;
}
