import type { ExcludedLedgerEntry, ResultCode, RunRecord, SentLedgerEntry, SnapshotRow, StateStore } from '../../src/store';

export function aRun(overrides: Partial<RunRecord> = {}): RunRecord {
  return {
    runId: 'run-1',
    kind: 'list',
    client: '1001',
    listKey: 'newsletter',
    status: 'running',
    startedAt: '2026-03-01T06:00:00.000Z',
    endedAt: null,
    counts: {},
    snapshot: null,
    ...overrides,
  };
}

export function aSent(recipientId: string, resultCode: ResultCode, overrides: Partial<SentLedgerEntry> = {}): SentLedgerEntry {
  return {
    runId: 'run-1',
    listKey: 'newsletter',
    recipientId,
    entityType: 'contact',
    entityId: `c-${recipientId}`,
    outcome: 'sent',
    resultCode,
    ...overrides,
  };
}

export function anExcluded(rowNumber: number, reason: string, overrides: Partial<ExcludedLedgerEntry> = {}): ExcludedLedgerEntry {
  return {
    runId: 'run-1',
    listKey: 'newsletter',
    recipientId: `r${rowNumber}@example.test`,
    entityType: 'lead',
    entityId: `l-${rowNumber}`,
    outcome: 'excluded',
    rowNumber,
    reason,
    field: 'email',
    ...overrides,
  };
}

/** Recipient-like rows with nested attributes and unicode, so canonical JSON is exercised. */
export function recipientRows(count: number, from = 0): SnapshotRow[] {
  return Array.from({ length: count }, (_, i) => ({
    recipientId: `user${from + i}@example.test`,
    email: `user${from + i}@example.test`,
    technicalFields: { 'opt-in-id': '42', 'entity-type': 'contact', 'entity-id': `c-${from + i}` },
    attributes: { firstName: i % 2 ? 'Zoë' : 'Łukasz', score: i, vip: i % 7 === 0 },
  }));
}

export async function* asAsync<T>(items: Iterable<T>): AsyncIterable<T> {
  for (const item of items) yield item;
}

export async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

/**
 * Today's export of run `runId` as the export activity records it: a snapshot under the run, named by
 * the run record. A restore leaves out everyone of the last good list it does not hold.
 */
export async function recordTodaysExport(
  store: StateStore,
  rows: readonly SnapshotRow[],
  run: { client?: string; listKey?: string; runId: string },
): Promise<void> {
  const client = run.client ?? 'demo';
  const listKey = run.listKey ?? 'newsletter';
  const summary = await store.snapshots.write({ client, listKey, runId: run.runId }, rows);
  await store.runs.upsert(aRun({ client, listKey, runId: run.runId, snapshot: summary }));
}

/** Records the run record naming the snapshot an export (exportToSnapshot) wrote, as the export activity does. */
export async function recordExportOfRun(
  store: StateStore,
  exported: { snapshotRef: string; count: number; checksum: string },
  run: { client?: string; runId: string },
): Promise<void> {
  const { snapshotRef, count, checksum } = exported;
  await store.runs.upsert(aRun({ client: run.client ?? 'demo', runId: run.runId, snapshot: { snapshotRef, count, checksum } }));
}
