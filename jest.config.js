// Three layers by cost: unit (no server), integration (a real Temporal dev server started once per
// run by the global setup), replay (committed histories, no server).
const transform = { '^.+\\.ts$': 'ts-jest' };
// FC_NUM_RUNS / FC_RUNS_FACTOR / FC_SEED (opt-in, docs/testing.md) run every fast-check property longer or
// with a pinned seed; the longer runs get a longer per-test timeout.
const deeperProperties = ['FC_NUM_RUNS', 'FC_RUNS_FACTOR', 'FC_SEED'].some((name) => process.env[name]);
const fastCheckMapper = deeperProperties ? { moduleNameMapper: { '^fast-check$': '<rootDir>/test/helpers/fast-check-scaled.js' } } : {};
const base = { testEnvironment: 'node', transform, clearMocks: true, ...fastCheckMapper };

/** @type {import('jest').Config} */
module.exports = {
  testTimeout: deeperProperties ? 3_600_000 : 120_000,
  projects: [
    { ...base, displayName: 'unit', testMatch: ['<rootDir>/test/unit/**/*.test.ts'] },
    {
      ...base,
      displayName: 'integration',
      testMatch: ['<rootDir>/test/integration/**/*.test.ts'],
      globalSetup: '<rootDir>/test/helpers/global-setup.ts',
      globalTeardown: '<rootDir>/test/helpers/global-teardown.ts',
    },
    { ...base, displayName: 'replay', testMatch: ['<rootDir>/test/replay/**/*.test.ts'] },
  ],
};
