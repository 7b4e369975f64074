import { configSchema } from '../../../src/config/config-schema';
import { LeasedSemaphore } from '../../../src/optimizely/budget/leased-semaphore';
import { budgetHolder, isBudgetShared, openClientPermits } from '../../../src/optimizely/budget/open-client-permits';
import { demoConfig } from '../../../src/demo/demo-config';

const client = { endpoint: 'https://api.campaign.episerver.net/soap11', mandatorId: 1234, concurrency: 40 };
const leases = { claim: () => Promise.reject(new Error('not called')) };

describe('openClientPermits', () => {
  it('shares the budget on PostgreSQL and keeps it per process on SQLite when the mode is auto', () => {
    const auto = { mode: 'auto' as const, lease: 30_000 };
    expect(isBudgetShared(auto, 'postgres')).toBe(true);
    expect(isBudgetShared(auto, 'sqlite')).toBe(false);
    expect(isBudgetShared({ ...auto, mode: 'local' }, 'postgres')).toBe(false);
    expect(isBudgetShared({ ...auto, mode: 'distributed' }, 'sqlite')).toBe(true);
    expect(openClientPermits({ budget: auto, dialect: 'sqlite', leases, holder: 'h', client })).toBeUndefined();
  });

  it('builds a leased call budget and a leased read budget', () => {
    const permits = openClientPermits({ budget: { mode: 'auto', lease: 30_000 }, dialect: 'postgres', leases, holder: 'h', client });
    expect(permits?.calls).toBeInstanceOf(LeasedSemaphore);
    expect(permits?.reads).toBeInstanceOf(LeasedSemaphore);
  });

  it('gives each process its own holder name', () => {
    expect(budgetHolder()).not.toBe(budgetHolder());
    expect(budgetHolder()).toContain(`:${process.pid}:`);
  });
});

describe('optimizelyBudget configuration', () => {
  it('defaults to auto with a 30 s lease', () => {
    expect(configSchema.parse(demoConfig()).optimizelyBudget).toEqual({ mode: 'auto', lease: 30_000 });
  });

  it('refuses an unknown mode or a lease under 2 s, naming the field', () => {
    const bad = configSchema.safeParse({ ...demoConfig(), optimizelyBudget: { mode: 'shared', lease: '1s' } });
    expect(bad.success).toBe(false);
    const paths = bad.error?.issues.map((i) => i.path.join('.'));
    expect(paths).toEqual(expect.arrayContaining(['optimizelyBudget.mode', 'optimizelyBudget.lease']));
  });
});
