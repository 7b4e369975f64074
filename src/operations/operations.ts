import type { Client } from '@temporalio/client';
import type { CampaignSyncConfig, ClientConfig } from '../config/config-schema';
import { systemClock } from '../clock';
import { NotFoundError } from '../errors/not-found-error';
import type { StateStore } from '../store/state-store';

/** What every operator action needs: one client's configuration, Temporal, the state store. */
export interface Operations {
  config: CampaignSyncConfig;
  client: ClientConfig;
  temporal: Client;
  store: StateStore;
  /** The task queue new workflows are started on (`campaign-sync`; tests use their own). */
  taskQueue: string;
  now?: () => Date;
}

/** Who sent an operator message and why; recorded with every action. */
export interface Actor {
  by: string;
  reason?: string;
}

/** Fails with the configured list keys when `listKey` is not one of them. */
export function requireList(client: ClientConfig, listKey: string): void {
  if (client.lists.some((list) => list.key === listKey)) return;
  const known = client.lists.map((list) => list.key).join(', ');
  throw new NotFoundError('list', listKey, `client ${client.key} synchronises: ${known}`);
}

export function nowIso(ops: Operations): string {
  return (ops.now ?? systemClock)().toISOString();
}
