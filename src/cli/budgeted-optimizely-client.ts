import { budgetHolder, openClientPermits } from '../optimizely/budget/open-client-permits';
import type { OptimizelyPort } from '../optimizely/client/optimizely-port';
import { openOptimizelyClient } from '../stack/open-optimizely-client';
import type { CliContext } from './cli-context';

/**
 * The Optimizely client of a command that calls Optimizely from the CLI process (`plan`, `check`).
 * Its calls take their slots from the same budget as the workers' calls when the configuration shares
 * it (docs/operations.md, "One Optimizely budget per client"), so an operator's command never adds
 * calls on top of a busy night's 40.
 */
export async function openBudgetedOptimizelyClient(ctx: CliContext): Promise<OptimizelyPort> {
  const store = await ctx.store();
  const permits = openClientPermits({
    budget: ctx.config.optimizelyBudget,
    dialect: store.dialect,
    leases: store.slotLeases,
    holder: budgetHolder(),
    client: ctx.client,
  });
  return openOptimizelyClient(ctx.client, ctx.io.env, permits);
}
