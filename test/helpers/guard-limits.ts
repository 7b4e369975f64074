import { syncListSchema, type SyncListConfig } from '../../src/config/config-schema';

export type GuardLimits = SyncListConfig['guard'];

/**
 * A list's guard limits for a test: the configuration's defaults (what a list without a `guard`
 * section gets), except `minAttributeChanges` 0 so the attribute rules hold on the share alone on a
 * test's small lists, then `overrides`. Taken from the schema, so a new limit reaches every guard test.
 */
export function guardLimits(overrides: Partial<GuardLimits> = {}): GuardLimits {
  return { ...syncListSchema.shape.guard.parse(undefined), minAttributeChanges: 0, ...overrides };
}
