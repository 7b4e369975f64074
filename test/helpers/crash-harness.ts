import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { WorkflowFailedError, type Client, type WorkflowHandle } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import type { WorkflowBundle } from '@temporalio/worker';
import { readDemoCrm } from '../../src/demo/demo-crm-data';
import { DEMO_LISTS } from '../../src/demo/demo-lists';
import { expectedRecipients } from '../../src/demo/expected-recipients';
import type { DailySyncStatus } from '../../workflows/daily-sync';
import type { SyncStack } from './sync-stack';
import type { WorkerProcessSpec } from './worker-process';

export type DemoListKey = 'newsletter' | 'offers';

/** Writes the bundle and the spec a worker child process reads; returns the spec's path. */
export function writeWorkerSpec(stack: SyncStack, bundle: WorkflowBundle): string {
  if (!('code' in bundle)) throw new Error('writeWorkerSpec needs a bundle with its code');
  const workflowBundlePath = join(stack.dir, 'workflow-bundle.js');
  writeFileSync(workflowBundlePath, bundle.code);
  const spec: WorkerProcessSpec = { rawConfig: stack.rawConfig, configDir: stack.dir, taskQueue: stack.taskQueue, workflowBundlePath };
  const specFile = join(stack.dir, 'worker-spec.json');
  writeFileSync(specFile, JSON.stringify(spec));
  return specFile;
}

/** The recipient ids the list should hold, computed straight from the demo CRM (sorted). */
export function expectedIds(stack: SyncStack, listKey: DemoListKey): string[] {
  const list = DEMO_LISTS.find((l) => l.listKey === listKey);
  if (!list) throw new Error(`no demo list ${listKey}`);
  return expectedRecipients(readDemoCrm(stack.crmFile), list).map((r) => r.recipientId);
}

/** The simulator's list, sorted, duplicates kept (so a duplicate would show). */
export async function simulatorIds(stack: SyncStack, listKey: DemoListKey): Promise<string[]> {
  return (await stack.listRecipients(listKey)).map((r) => r.recipientId).sort();
}

/** Recipient ids the run's ledger records as sent for the list, sorted, duplicates kept. */
export async function ledgerSentIds(stack: SyncStack, runId: string, listKey: DemoListKey): Promise<string[]> {
  const ids: string[] = [];
  for await (const entry of stack.deps.store.ledger.stream(runId, { listKey })) {
    if (entry.outcome === 'sent') ids.push(entry.recipientId);
  }
  return ids.sort();
}

/** The attempt number each completed activity of this type ended on, from the workflow's history. */
export async function activityAttempts(handle: WorkflowHandle, activityType: string): Promise<number[]> {
  const { events } = await handle.fetchHistory();
  const types = new Map<string, string>();
  const attempts: number[] = [];
  for (const event of events ?? []) {
    const scheduled = event.activityTaskScheduledEventAttributes;
    if (scheduled) types.set(String(event.eventId), scheduled.activityType?.name ?? '');
    const started = event.activityTaskStartedEventAttributes;
    if (started && types.get(String(started.scheduledEventId)) === activityType) attempts.push(started.attempt ?? 1);
  }
  return attempts;
}

/**
 * Tells the server the killed worker's sticky queue is gone, as a worker shutting down cleanly does.
 * Otherwise the next workflow task waits out the sticky schedule-to-start timeout (10 s) first —
 * correct, just slow for a test.
 */
export async function resetStickiness(client: Client, handle: { workflowId: string }): Promise<void> {
  await client.workflowService.resetStickyTaskQueue({ namespace: 'default', execution: { workflowId: handle.workflowId } });
}

/** How many calls of a SOAP operation the simulator saw since its request log was last cleared. */
export async function soapCalls(stack: SyncStack, operation: string): Promise<number> {
  const { requests } = (await stack.admin('/admin/requests')) as { requests: Array<{ operation: string; httpStatus: number }> };
  return requests.filter((r) => r.operation === operation && r.httpStatus === 200).length;
}

export async function adminDelete(stack: SyncStack, path: string): Promise<void> {
  const response = await fetch(`${stack.simulator.url}${path}`, { method: 'DELETE', headers: stack.simulator.adminHeaders });
  if (!response.ok) throw new Error(`admin DELETE ${path} answered ${response.status}`);
}

/**
 * The last heartbeat details the server holds for a pending activity of this type (JSON payloads
 * decoded), or undefined when none is pending or it has not heartbeated yet. Tests wait on this
 * instead of sleeping: it is what a retry would resume from.
 */
export async function pendingHeartbeat(
  handle: { describe(): Promise<{ raw: { pendingActivities?: Array<PendingActivityShape> | null } }> },
  activityType: string,
): Promise<unknown> {
  const { raw } = await handle.describe();
  const pending = (raw.pendingActivities ?? []).find((a) => a.activityType?.name === activityType);
  const data = pending?.heartbeatDetails?.payloads?.[0]?.data;
  return data ? (JSON.parse(Buffer.from(data).toString('utf8')) as unknown) : undefined;
}

interface PendingActivityShape {
  activityType?: { name?: string | null } | null;
  heartbeatDetails?: { payloads?: Array<{ data?: Uint8Array | null }> | null } | null;
}

/** Awaits a daily run that must fail with ListSyncFailedError; returns the status it failed with. */
export async function dailyFailure(run: Promise<unknown>): Promise<DailySyncStatus> {
  const error = await run.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof WorkflowFailedError) || !(error.cause instanceof ApplicationFailure))
    throw new Error(`the daily run did not fail as expected: ${String(error)}`);
  expect(error.cause.type).toBe('ListSyncFailedError');
  return error.cause.details?.[0] as DailySyncStatus;
}
