import { clientSchema, type ClientConfig } from '../../src/config/config-schema';
import type { CrmPort, FeedbackEvent, FeedbackOutcome } from '../../src/crm/crm-port';
import type { ApplyFeedbackPorts } from '../../src/feedback/apply-feedback-file';
import { importFeedback } from '../../src/feedback/import-feedback';
import type { FeedbackIntakeStore, LedgerStore, StateStore } from '../../src/store/state-store';
import type { FeedbackFileRecord, SentEntity } from '../../src/store/types';
import { createFakeOptimizely } from './fake-optimizely';

/** Two lists of one client: list 7 (consent 11) and list 8 (consent 12). */
export const LISTS = [
  { key: 'newsletter', listId: 7, optInId: 11 },
  { key: 'offers', listId: 8, optInId: 12 },
] as const;

export const feedbackClient = (over: Record<string, unknown> = {}): ClientConfig =>
  clientSchema.parse({
    key: 'acme',
    endpoint: 'http://localhost:1',
    mandatorId: 1,
    username: 'u',
    password: { env: 'X' },
    lists: LISTS,
    ...over,
  });

/** Recipients `sent-*` were sent on both lists as contact C-<id>; any other id was never sent. */
export function fakeLedger(): LedgerStore {
  const sent = (recipientId: string): SentEntity[] =>
    recipientId.startsWith('sent-')
      ? LISTS.map((l) => ({ runId: 'r0', listKey: l.key, entityType: 'contact', entityId: `C-${recipientId}`, resultCode: 0 }))
      : [];
  return {
    sentEntities: async ({ recipientId }: { recipientId: string }) => sent(recipientId),
    sentEntitiesOf: async ({ recipientIds }: { recipientIds: readonly string[] }) => new Map(recipientIds.map((id) => [id, sent(id)])),
  } as unknown as LedgerStore;
}

/** A ledger that knows `sent`, each sent on both lists as contact C-<id>, and nobody else. */
export function sentLedger(sent: Iterable<string>): LedgerStore {
  const known = new Set(sent);
  const entities = (id: string): SentEntity[] =>
    known.has(id) ? LISTS.map((l) => ({ runId: 'r0', listKey: l.key, entityType: 'contact', entityId: `C-${id}`, resultCode: 0 })) : [];
  return {
    sentEntities: async ({ recipientId }: { recipientId: string }) => entities(recipientId),
    sentEntitiesOf: async ({ recipientIds }: { recipientIds: readonly string[] }) => new Map(recipientIds.map((id) => [id, entities(id)])),
  } as unknown as LedgerStore;
}

/** The intake store in memory, with the same contract as the SQL one. */
export function memoryIntake(): FeedbackIntakeStore & { files: Map<string, FeedbackFileRecord>; keys: Set<string> } {
  const files = new Map<string, FeedbackFileRecord>();
  const keys = new Set<string>();
  return {
    files,
    keys,
    file: async (client, checksum) => files.get(`${client}|${checksum}`),
    recordFile: async (record) => {
      const id = `${record.client}|${record.checksum}`;
      if (files.get(id)?.status !== 'processed') files.set(id, record);
    },
    setAsideFiles: async (client, runId) =>
      [...files.values()]
        .filter((f) => f.client === client && ((f.runId === runId && f.reason !== '') || f.status === 'review'))
        .sort(
          (a, b) =>
            Buffer.compare(Buffer.from(a.name), Buffer.from(b.name)) || Buffer.compare(Buffer.from(a.checksum), Buffer.from(b.checksum)),
        ),
    appliedKeys: async (client, wanted) => new Set(wanted.filter((k) => keys.has(`${client}|${k}`))),
    recordAppliedKeys: async (client, recorded) => {
      const fresh = recorded.filter((k) => !keys.has(`${client}|${k}`));
      fresh.forEach((k) => keys.add(`${client}|${k}`));
      return fresh.length;
    },
    deleteKeysBefore: async () => 0,
  };
}

/** A CRM that records every feedback event it gets and answers `outcome` for each. */
export function recordingCrm(outcome: FeedbackOutcome = 'applied'): CrmPort & { events: FeedbackEvent[] } {
  const events: FeedbackEvent[] = [];
  return {
    events,
    exportSelection: async function* () {},
    applyFeedback: async (batch) => {
      events.push(...batch);
      return batch.map((_, index) => ({ index, outcome }));
    },
    applyResponses: async () => [],
    campaignForMailing: async () => undefined,
    close: async () => undefined,
  };
}

const feedbackEventKey = (e: FeedbackEvent) => [e.kind, e.entityType, e.entityId, e.optInId, e.mediaType, e.occurredAt, e.hard].join('|');

/** A SQL-like CRM: one change per distinct event, `already` after; counts the changes per event. */
export function idempotentCrm(): CrmPort & { changes: Map<string, number> } {
  const changes = new Map<string, number>();
  return {
    changes,
    exportSelection: async function* () {},
    applyFeedback: async (batch) =>
      batch.map((event, index) => {
        const key = feedbackEventKey(event);
        const before = changes.has(key);
        if (!before) changes.set(key, 1);
        return { index, outcome: before ? ('already' as const) : ('applied' as const) };
      }),
    applyResponses: async () => [],
    campaignForMailing: async () => undefined,
    close: async () => undefined,
  };
}

export function applyPorts(over: Partial<ApplyFeedbackPorts> = {}): ApplyFeedbackPorts & { crm: ReturnType<typeof recordingCrm> } {
  return {
    client: feedbackClient(),
    ledger: fakeLedger(),
    intake: memoryIntake(),
    crm: recordingCrm(),
    runId: 'run-1',
    nowMs: Date.parse('2026-11-30T06:00:00Z'),
    seen: new Set(),
    ...over,
  } as ApplyFeedbackPorts & { crm: ReturnType<typeof recordingCrm> };
}

export interface DroppedFolderNight {
  folder: string;
  store: StateStore;
  runDir: string;
  runId: string;
  nowMs: number;
  crm?: CrmPort;
  /** The file intake the import records files in; the store's own unless a test wraps it. */
  intake?: FeedbackIntakeStore;
  /** Client settings beside `feedbackFolder`. */
  client?: Record<string, unknown>;
  /** What was sent; fakeLedger's unless given. */
  ledger?: LedgerStore;
  /** `retention.runDays`, when the test's ledger is one the retention pruned. */
  retentionRunDays?: number;
}

/**
 * One night's feedback import of a folder of dropped files: ClosedLoop (a fake Optimizely at `nowMs`)
 * reports nothing, and the ledger is fakeLedger's (unless given), so what happens is the dropped files' doing.
 */
export function importDroppedFolder(night: DroppedFolderNight) {
  const optimizely = createFakeOptimizely();
  optimizely.now = night.nowMs;
  return importFeedback({
    client: feedbackClient({ feedbackFolder: night.folder, ...night.client }),
    optimizely,
    store: { ...night.store, ledger: night.ledger ?? fakeLedger(), feedbackIntake: night.intake ?? night.store.feedbackIntake },
    crm: night.crm ?? recordingCrm(),
    runDir: night.runDir,
    runId: night.runId,
    now: () => new Date(night.nowMs),
    retentionRunDays: night.retentionRunDays,
  });
}

/** Records a completed list run of each of the client's lists at `startedAt`: the ledger is complete from then on. */
export async function recordListRuns(store: StateStore, startedAt: string, client = 'acme'): Promise<void> {
  for (const list of LISTS)
    await store.runs.upsert({
      runId: `run-${list.key}-${startedAt}`,
      kind: 'list',
      client,
      listKey: list.key,
      status: 'completed',
      startedAt,
      endedAt: startedAt,
      counts: {},
      snapshot: null,
    });
}
