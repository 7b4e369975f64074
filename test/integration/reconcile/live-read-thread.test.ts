// The live list read on a worker thread (src/plan/read-live-list-in-thread.ts) against the real
// simulator and a hostile endpoint: it reads what the in-process reader reads, refuses what it
// refuses (the same error class and message), takes every slot from the main thread's budget and
// gives each back, and settles cleanly when the thread crashes or the read is cancelled.
import type { ServerResponse } from 'node:http';
import { join } from 'node:path';
import fc from 'fast-check';
import type { CallPermits, ClientPermits } from '../../../src/optimizely/client/call-permits';
import type { OptimizelyPort, OptimizelyThreadSpec } from '../../../src/optimizely/client/optimizely-port';
import { Semaphore } from '../../../src/optimizely/client/semaphore';
import { createLiveIndex } from '../../../src/plan/live-index';
import { planFields } from '../../../src/plan/plan-fields';
import { readLiveList } from '../../../src/plan/read-live-list';
import { LiveReadThreadError, readLiveListInThread, type ReadLiveListInThreadInput } from '../../../src/plan/read-live-list-in-thread';
import { startHostileSoapServer, type HostileServer } from '../../helpers/hostile-soap-server';
import { startHarness, type Harness } from '../../helpers/simulator-harness';
import { batchOf, LIST, SEED } from '../optimizely/client-seed';
import { findOperation } from '../../../src/optimizely/api/surface';
import { writeResponse } from '../../../src/simulator/soap/response-writer';
import { PERMANENT_ERROR_TYPES } from '../../../workflows/retry-contract';

const LIST_FIELDS = { idField: 'email', emailField: 'email' };
const MAPPING = { first_name: 'firstname' };
const FIELDS = planFields(LIST_FIELDS, MAPPING);
const PAGE = 4;

/** A budget that counts: slots taken in all, and the most held at once. */
function countingPermits(limit: number): ClientPermits & { taken(): number; most(): number; held(): number } {
  let taken = 0;
  let held = 0;
  let most = 0;
  const counted = (inner: CallPermits): CallPermits => ({
    async acquire(signal) {
      const release = await inner.acquire(signal);
      taken += 1;
      most = Math.max(most, ++held);
      let done = false;
      return () => {
        if (done) return;
        done = true;
        held -= 1;
        release();
      };
    },
  });
  return {
    calls: counted(new Semaphore(limit)),
    reads: counted(new Semaphore(limit)),
    taken: () => taken,
    most: () => most,
    held: () => held,
  };
}

function specOf(client: OptimizelyPort, permits?: ClientPermits): OptimizelyThreadSpec {
  const spec = client.threadSpec!();
  return { options: spec.options, permits: permits ?? spec.permits };
}

/** The thread's read of LIST into a fresh index (closed afterwards), its slots from `permits`. */
async function threadRead(client: OptimizelyPort, permits: ClientPermits, extra: Partial<ReadLiveListInThreadInput> = {}) {
  const index = createLiveIndex();
  try {
    return await readLiveListInThread({
      spec: specOf(client, permits),
      listId: LIST,
      list: LIST_FIELDS,
      attributeMapping: MAPPING,
      index,
      ...extra,
    });
  } finally {
    index.close();
  }
}

/** Both readers over the same list: the rows each left in its index, or the error each threw. */
async function bothReads(client: OptimizelyPort, spec: OptimizelyThreadSpec) {
  const run = async (inThread: boolean) => {
    const index = createLiveIndex();
    const common = { listId: LIST, index, pageSize: PAGE };
    try {
      const read = inThread
        ? await readLiveListInThread({ ...common, spec, list: LIST_FIELDS, attributeMapping: MAPPING })
        : await readLiveList({ ...common, optimizely: client, fields: FIELDS });
      return { read: { ...read, rereads: 0 }, rows: [...index.unseenRows()] };
    } catch (error) {
      return { error: { name: (error as Error).name, message: (error as Error).message } };
    } finally {
      index.close();
    }
  };
  return { thread: await run(true), here: await run(false) };
}

describe('the live list read on a worker thread, against the simulator', () => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await startHarness({ seed: SEED });
  });
  afterAll(() => harness.close());

  it('reads exactly what the in-process reader reads, taking every slot from the main budget', async () => {
    const client = harness.client({ concurrency: 2 });
    const ids = fc.uniqueArray(
      fc.stringMatching(/^[a-z0-9]{1,6}$/).map((local) => `${local}@example.com`),
      { maxLength: 30 },
    );
    await fc.assert(
      fc.asyncProperty(ids, async (recipientIds) => {
        await client.recipient.clear({ listId: LIST });
        if (recipientIds.length > 0) await client.recipient.addAll3(batchOf(recipientIds));
        const permits = countingPermits(2);
        const { thread, here } = await bothReads(client, specOf(client, permits));
        expect(thread).toEqual(here);
        expect(permits.most()).toBeLessThanOrEqual(2);
        expect(permits.held()).toBe(0);
        // login, getCount, the pages, getCount, logout: every one through the main thread's budget.
        expect(permits.taken()).toBeGreaterThanOrEqual(4);
      }),
      { numRuns: 4 },
    );
  });

  it('a cancelled read rejects with the cancellation and holds no slot afterwards', async () => {
    const client = harness.client();
    await client.recipient.clear({ listId: LIST });
    await client.recipient.addAll3(batchOf(Array.from({ length: 40 }, (_, i) => `cancel${i}@example.com`)));
    const permits = countingPermits(8);
    const stop = new AbortController();
    const reason = new Error('cancelled by the test');
    const reading = threadRead(client, permits, { pageSize: PAGE, signal: stop.signal, progress: () => stop.abort(reason) });
    await expect(reading).rejects.toBe(reason);
    expect(permits.held()).toBe(0);
  });

  it('a thread that dies without an answer is a retryable LiveReadThreadError, and its slots come back', async () => {
    const client = harness.client();
    for (const crash of ['exits', 'throws']) {
      const permits = countingPermits(8);
      const entry = join(__dirname, `../../helpers/live-read-thread-that-${crash}.ts`);
      const error = await threadRead(client, permits, { entry }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(LiveReadThreadError);
      expect(PERMANENT_ERROR_TYPES).not.toContain((error as Error).name);
      expect(permits.held()).toBe(0);
    }
  });
});

const COUNT = findOperation('Recipient', 'getCount')!;
const FLAT = findOperation('Recipient', 'getAllAdvancedFlat')!;
const WIDTH = FIELDS.readNames.length;

/** Answers getCount and the pages of `ids` (sorted) as the simulator would, each page through `tamper` (k: page number). */
function listAnswers(ids: string[], tamper: (page: (string | null)[][], k: number) => (string | null)[][]) {
  return (res: ServerResponse, request: string) => {
    const write = (op: typeof COUNT, value: number | (string | null)[]) =>
      res.end(writeResponse('Recipient', op, value, { shuffleMultiRefs: false }));
    if (request.includes(':getCount')) return write(COUNT, ids.length);
    const start = Number(/<pageStart[^>]*>(\d+)</.exec(request)?.[1]);
    const size = Number(/<pageSize[^>]*>(\d+)</.exec(request)?.[1]);
    const page = ids.slice(start, start + size).map((id) => [id, ...Array.from({ length: WIDTH - 1 }, () => 'v')]);
    return write(FLAT, tamper(page, Math.round(start / (size - 1))).flat());
  };
}

function falsified(page: (string | null)[][], how: string): (string | null)[][] {
  if (page.length === 0) return page;
  if (how === 'wide row') return [...page.slice(0, -1), [...page.at(-1)!, 'extra']];
  if (how === 'no id') return [[null, ...page[0]!.slice(1)], ...page.slice(1)];
  if (how === 'repeated id') return [...page, page[0]!].slice(-page.length);
  if (how === 'long page') return [...page, ...page.map((row) => [`z${row[0]}`, ...row.slice(1)])];
  if (how === 'gap') return page.slice(1);
  return page;
}

describe('the live list read on a worker thread, against a hostile endpoint', () => {
  let server: HostileServer;
  beforeAll(async () => {
    server = await startHostileSoapServer();
  });
  afterAll(() => server.close());

  const answers: Record<string, (res: ServerResponse) => void> = {
    'not XML': (res) => res.end('<<<'),
    'an HTTP 500 without an envelope': (res) => ((res.statusCode = 500), res.end('oops')),
    'a SOAP fault': (res) =>
      res.end(
        '<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body><soapenv:Fault>' +
          '<faultcode>soapenv:Server.userException</faultcode><faultstring>boom for x@example.com</faultstring>' +
          '</soapenv:Fault></soapenv:Body></soapenv:Envelope>',
      ),
    'a cut connection': (res) => res.destroy(),
  };

  it('over falsified pages, ends exactly as the in-process reader does (the same rows, or the same refusal)', async () => {
    const client = server.client();
    const outcomes = new Set<string>();
    const tamper = fc.oneof(
      fc.constant('none' as const),
      fc.constant('wide row' as const),
      fc.constant('no id' as const),
      fc.constant('repeated id' as const),
      fc.constant('long page' as const),
      fc.constant('gap' as const),
    );
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: 14 }), tamper, fc.nat(4), async (size, how, onPage) => {
        const ids = Array.from({ length: size }, (_, i) => `r${String(i).padStart(2, '0')}@example.com`);
        server.answer(listAnswers(ids, (page, k) => (k === onPage ? falsified(page, how) : page)));
        const { thread, here } = await bothReads(client, specOf(client));
        expect(thread).toEqual(here);
        outcomes.add('error' in here ? 'refused' : 'read');
      }),
      {
        numRuns: 12,
        examples: [
          [10, 'gap', 1],
          [10, 'none', 0],
        ],
      },
    );
    // Both ends were reached: the property compared refusals and complete reads.
    expect([...outcomes].sort()).toEqual(['read', 'refused']);
  });

  it.each(Object.keys(answers))('refuses %s exactly as the in-process reader does', async (name) => {
    server.answer(answers[name]!);
    const client = server.client();
    const { thread, here } = await bothReads(client, specOf(client));
    expect(here).toHaveProperty('error');
    expect(thread).toEqual(here);
  });
});
