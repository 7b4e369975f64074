import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { OptimizelyBudgetConfig } from '../../config/config-schema';
import { optimizelyAccount } from '../../config/optimizely-account';
import type { SlotLeaseStore } from '../../store/slot-lease-types';
import type { ClientPermits } from '../client/call-permits';
import { MAX_CONCURRENT_READS } from '../client/create-optimizely-client';
import { LeasedSemaphore } from './leased-semaphore';

export interface ClientBudgetInput {
  budget: OptimizelyBudgetConfig;
  /** The state store's engine: `auto` shares the budget on PostgreSQL only. */
  dialect: 'sqlite' | 'postgres';
  leases: Pick<SlotLeaseStore, 'claim'>;
  /** One per worker process (see {@link budgetHolder}). */
  holder: string;
  client: { endpoint: string; mandatorId: number; concurrency: number };
}

/** Whether calls take their slots from a budget shared by every worker (docs/operations.md). */
export function isBudgetShared(budget: OptimizelyBudgetConfig, dialect: 'sqlite' | 'postgres'): boolean {
  return budget.mode === 'distributed' || (budget.mode === 'auto' && dialect === 'postgres');
}

/**
 * The shared budgets of one Optimizely client (the one the calls reach: endpoint and mandator), or
 * undefined when each process keeps its own semaphores.
 */
export function openClientPermits(input: ClientBudgetInput): ClientPermits | undefined {
  if (!isBudgetShared(input.budget, input.dialect)) return undefined;
  const { client } = input;
  const name = optimizelyAccount(client);
  const leased = (kind: string, limit: number) =>
    new LeasedSemaphore({ leases: input.leases, budget: `${kind}:${name}`, holder: input.holder, limit, leaseMs: input.budget.lease });
  return { calls: leased('calls', client.concurrency), reads: leased('reads', Math.min(MAX_CONCURRENT_READS, client.concurrency)) };
}

/** This process's name in the lease table: host, process id and a random part (pids are reused). */
export function budgetHolder(): string {
  return `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
}
