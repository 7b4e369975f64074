import type { LedgerCounts, LedgerEntry, SentEntity } from '../../src/store/types';

/**
 * The ledger as one row per entry stored it (migrations 1-7): what the span layout must answer
 * exactly. Entries are unique per run, list and key (the first recorded wins); runs are ordered by
 * their first recording.
 */
export class ReferenceLedger {
  readonly runs: string[] = [];
  private readonly entries = new Map<string, LedgerEntry[]>();

  record(batch: readonly LedgerEntry[]): number {
    let added = 0;
    for (const entry of batch) {
      if (!this.entries.has(entry.runId)) {
        this.entries.set(entry.runId, []);
        this.runs.push(entry.runId);
      }
      const run = this.entries.get(entry.runId) as LedgerEntry[];
      if (run.some((e) => e.listKey === entry.listKey && entryKey(e) === entryKey(entry))) continue;
      run.push(entry);
      added += 1;
    }
    return added;
  }

  clearExclusions(runId: string, listKey: string): number {
    const run = this.entries.get(runId) ?? [];
    // The refill's own exclusions (negative row numbers) are not the export's: kept.
    const kept = run.filter(
      (e) =>
        e.listKey !== listKey || (e.outcome !== 'excluded' && e.outcome !== 'sanitized') || (e.outcome === 'excluded' && e.rowNumber < 0),
    );
    this.entries.set(runId, kept);
    return run.length - kept.length;
  }

  withdrawSent(runId: string, listKey: string, recipientIds: readonly string[]): number {
    const run = this.entries.get(runId) ?? [];
    const ids = new Set(recipientIds);
    const kept = run.filter((e) => e.listKey !== listKey || !ids.has(e.recipientId) || (e.outcome !== 'sent' && e.outcome !== 'rejected'));
    this.entries.set(runId, kept);
    return run.length - kept.length;
  }

  of(runId: string, listKey?: string): LedgerEntry[] {
    return (this.entries.get(runId) ?? []).filter((e) => listKey === undefined || e.listKey === listKey);
  }

  count(runId: string, listKey?: string): LedgerCounts {
    const counts: LedgerCounts = { sent: 0, excluded: 0, rejected: 0, byResultCode: {}, byReason: {} };
    for (const e of this.of(runId, listKey)) {
      if (e.outcome === 'sent') {
        counts.sent += 1;
        counts.byResultCode[e.resultCode] = (counts.byResultCode[e.resultCode] ?? 0) + 1;
      } else if (e.outcome === 'excluded') {
        counts.excluded += 1;
        counts.byReason[e.reason] = (counts.byReason[e.reason] ?? 0) + 1;
      } else if (e.outcome === 'rejected') counts.rejected += 1;
      else if (e.outcome === 'kept' || e.outcome === 'removed') {
        const byReason = (counts[e.outcome] ??= {});
        byReason[e.reason] = (byReason[e.reason] ?? 0) + 1;
      } else {
        counts.sanitized = (counts.sanitized ?? 0) + 1;
        const byField = (counts.bySanitizedField ??= {});
        byField[e.field] = (byField[e.field] ?? 0) + 1;
      }
    }
    return counts;
  }

  /** A recipient's entries, newest run first; within a run in no particular order (sorted here). */
  find(recipientId: string): Array<[string, string[]]> {
    return [...this.runs]
      .reverse()
      .map((runId): [string, string[]] => [runId, sortedTexts(this.of(runId).filter((e) => e.recipientId === recipientId))])
      .filter(([, hits]) => hits.length > 0);
  }

  /** Per list, the newest run that sent the id; with none left, the newest that kept it on the list (no result code). */
  sentEntities(recipientId: string): SentEntity[] {
    const newest = new Map<string, SentEntity>();
    const kept = new Map<string, SentEntity>();
    for (const runId of [...this.runs].reverse()) {
      for (const e of this.of(runId)) {
        if (e.recipientId !== recipientId) continue;
        const entity = { runId, listKey: e.listKey, entityType: e.entityType, entityId: e.entityId };
        if (e.outcome === 'sent' && !newest.has(e.listKey)) newest.set(e.listKey, { ...entity, resultCode: e.resultCode });
        if (e.outcome === 'kept' && !kept.has(e.listKey)) kept.set(e.listKey, { ...entity, resultCode: null });
      }
    }
    for (const [listKey, entity] of kept) if (!newest.has(listKey)) newest.set(listKey, entity);
    return [...newest.values()];
  }
}

function entryKey(e: LedgerEntry): string {
  if (e.outcome === 'excluded') return `excluded|${e.rowNumber}`;
  if (e.outcome === 'sanitized') return `sanitized|${e.rowNumber}|${e.field}`;
  return `${e.outcome}|${e.recipientId}`;
}

/** Entries as comparable text, in a fixed order. */
export function sortedTexts(entries: readonly LedgerEntry[]): string[] {
  return entries.map((e) => JSON.stringify(e, Object.keys(e).sort())).sort();
}
