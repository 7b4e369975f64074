// The admin surface: test controls under /admin/ only, never reachable through the SOAP paths.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ZodError } from 'zod';
import type { SimContext } from '../context';
import { faultDrawFor } from '../fault-draws';
import { defaultFaultSettings, updateFaultSettings } from '../fault-injection';
import { applySeed, parseSeed } from '../store/seed';
import { eventsSchema, injectEvents, injectMailing, mailingSchema } from './inject';
import { readJson, sendJson } from './json';
import { listRecipients } from './recipients-view';
import { advanceSchema, settingsPatchSchema } from './settings';

type Route = (sim: SimContext, body: () => Promise<unknown>, match: RegExpExecArray) => unknown;

const ROUTES: [string, RegExp, Route][] = [
  ['GET', /^\/admin\/health$/, () => ({ ok: true })],
  [
    'POST',
    /^\/admin\/seed$/,
    async (sim, body) => {
      const seed = parseSeed(await body());
      applySeed(sim.store.db, seed, sim.clock.now());
      sim.store.suppression.invalidate();
      return { clients: seed.clients.length };
    },
  ],
  ['GET', /^\/admin\/clock$/, (sim) => ({ now: sim.clock.now() })],
  ['POST', /^\/admin\/clock\/advance$/, async (sim, body) => ({ now: sim.clock.advance(advanceSchema.parse(await body()).ms) })],
  ['GET', /^\/admin\/faults$/, (sim) => sim.faults],
  ['POST', /^\/admin\/faults$/, async (sim, body) => patchFaults(sim, await body())],
  ['DELETE', /^\/admin\/faults$/, (sim) => resetFaults(sim)],
  ['GET', /^\/admin\/settings$/, (sim) => currentSettings(sim)],
  [
    'POST',
    /^\/admin\/settings$/,
    async (sim, body) => {
      const { sessionTtlMs, maxSessionsPerClient, ...rest } = settingsPatchSchema.parse(await body());
      Object.assign(sim.settings, rest);
      if (sessionTtlMs !== undefined) sim.sessions.ttlMs = sessionTtlMs;
      if (maxSessionsPerClient !== undefined) sim.sessions.maxPerClient = maxSessionsPerClient;
      return currentSettings(sim);
    },
  ],
  ['POST', /^\/admin\/sessions\/expire$/, (sim) => ({ expired: sim.sessions.closeAll() })],
  ['GET', /^\/admin\/concurrency$/, (sim) => sim.gate.observed()],
  ['DELETE', /^\/admin\/concurrency$/, (sim) => sim.gate.resetObserved()],
  ['GET', /^\/admin\/requests$/, (sim) => ({ requests: sim.requestLog.list() })],
  ['DELETE', /^\/admin\/requests$/, (sim) => (sim.requestLog.clear(), { requests: [] })],
  [
    'POST',
    /^\/admin\/clients\/(\d+)\/mailings$/,
    async (sim, body, m) => ({ mailingId: injectMailing(sim, Number(m[1]), mailingSchema.parse(await body())) }),
  ],
  [
    'POST',
    /^\/admin\/clients\/(\d+)\/events$/,
    async (sim, body, m) => ({ recorded: injectEvents(sim, Number(m[1]), eventsSchema.parse(await body()).events) }),
  ],
  ['GET', /^\/admin\/clients\/(\d+)\/lists\/(\d+)\/recipients$/, (sim, _body, m) => listRecipients(sim, Number(m[1]), Number(m[2]))],
];

function currentSettings(sim: SimContext) {
  return { ...sim.settings, sessionTtlMs: sim.sessions.ttlMs, maxSessionsPerClient: sim.sessions.maxPerClient };
}

export async function handleAdmin(
  sim: SimContext,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  maxBodyBytes: number,
): Promise<void> {
  const candidates = ROUTES.map(([method, pattern, fn]) => ({ method, match: pattern.exec(url.pathname), fn })).filter((r) => r.match);
  const route = candidates.find((r) => r.method === req.method);
  if (!route || !route.match)
    return sendJson(res, candidates.length > 0 ? 405 : 404, { error: candidates.length > 0 ? 'method not allowed' : 'not found' });
  try {
    const result = await route.fn(sim, () => readJson(req, maxBodyBytes), route.match);
    sendJson(res, result === undefined ? 404 : 200, result ?? { error: 'not found' });
  } catch (error) {
    const issues = error instanceof ZodError ? error.issues : undefined;
    sendJson(res, 400, { error: error instanceof Error ? error.message : String(error), issues });
  }
}

/** A patch naming randomSeed restarts the seeded draws; one that does not keeps their place. */
function patchFaults(sim: SimContext, patch: unknown) {
  const next = updateFaultSettings(sim.faults, patch);
  if (typeof patch === 'object' && patch !== null && 'randomSeed' in patch) sim.faultDraw = faultDrawFor(next.randomSeed);
  return Object.assign(sim.faults, next);
}

function resetFaults(sim: SimContext) {
  sim.faultDraw = faultDrawFor(undefined);
  // Assigning the defaults would leave a key the defaults lack (randomSeed) in place.
  delete sim.faults.randomSeed;
  return Object.assign(sim.faults, defaultFaultSettings());
}
