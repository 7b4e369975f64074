// Opt-in deeper property runs (see docs/testing.md "Deeper property runs"). jest.config.js maps
// `fast-check` here only when FC_NUM_RUNS, FC_RUNS_FACTOR or FC_SEED is set, so CI's runs are unchanged.
// Each property's own numRuns is a floor, never lowered: FC_NUM_RUNS raises every property to at least
// that many runs, FC_RUNS_FACTOR multiplies its own count, FC_SEED pins the seed of every property
// (to replay a failure printed by another run). The real module is loaded by its file path: inside jest
// `require.resolve('fast-check')` goes through the same name mapper and would return this file.
const { join } = require('node:path');
const real = require(join(__dirname, '..', '..', 'node_modules', 'fast-check', 'lib', 'cjs', 'fast-check.js'));

const FAST_CHECK_DEFAULT_RUNS = 100;

function positiveNumberFrom(name) {
  const text = process.env[name];
  if (text === undefined || text === '') return undefined;
  const value = Number(text);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} must be a positive number, got ${JSON.stringify(text)}`);
  return value;
}

function scaledParameters(parameters) {
  const minimum = positiveNumberFrom('FC_NUM_RUNS');
  const factor = positiveNumberFrom('FC_RUNS_FACTOR') ?? 1;
  const seed = positiveNumberFrom('FC_SEED');
  const own = parameters?.numRuns ?? FAST_CHECK_DEFAULT_RUNS;
  const numRuns = Math.max(own, Math.ceil(own * factor), minimum ?? 0);
  return { ...parameters, numRuns, ...(seed === undefined ? {} : { seed: Math.trunc(seed) }) };
}

const scaled = {
  ...real.default,
  assert: (property, parameters) => real.default.assert(property, scaledParameters(parameters)),
  check: (property, parameters) => real.default.check(property, scaledParameters(parameters)),
};

module.exports = { ...real, ...scaled, __esModule: true, default: scaled };
