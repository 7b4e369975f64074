import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CrmPort, FeedbackEvent, ResponseEvent } from '../../../src/crm/crm-port';
import { OptimizelyResponseError } from '../../../src/errors/optimizely-response-error';
import { FETCHED_MARKER, importFeedback } from '../../../src/feedback/import-feedback';
import { FEEDBACK_IMPORTED_AT, FEEDBACK_WATERMARK, SUPPRESSIONS_WATERMARK } from '../../../src/feedback/watermark-kinds';
import { ingestWindow, type WindowCheckpoint } from '../../../src/responses/ingest-window';
import { RESPONSES_WATERMARK } from '../../../src/responses/response-settings';
import { PAGES_IN_FLIGHT_PER_GETTER } from '../../../src/responses/window-pages';
import { createStateStore, type StateStore } from '../../../src/store';
import { feedbackClient } from '../../helpers/feedback-harness';
import { CREDENTIALS, type Harness, startHarness } from '../../helpers/simulator-harness';
import { aRun, aSent } from '../../helpers/store-builders';
import { LIST, SEED } from './client-seed';

// The ClosedLoop readers stop within stated bounds against a real server too: the real SOAP client
// over HTTP, against the simulator told (POST /admin/faults closedLoopPaging) to answer every getter
// with full pages whatever startRow says (`repeatFirstPage`) or full fresh pages for ever (`endless`).
// Both readers (the feedback import and the response ingestion) refuse (a) the page that repeats the
// page before, at the getter's second call, and (b) the page that takes a getter past its row bound
// (CLOSED_LOOP_MAX_ROWS_PER_WINDOW, lowered to 3000 here through the readers' option; production
// keeps its constant), at its fourth call, with an error naming the getter and the window; and
// (c) either way, nothing reached the CRM and no watermark moved. The same window read by startRow
// applies its events and moves the marks: the set-up would have changed the CRM.

const MAX_ROWS = 3000;
/** Pages response ingestion reads past a busy getter's last page known full (window-pages.ts). */
const READ_AHEAD = PAGES_IN_FLIGHT_PER_GETTER - 1;
const M = CREDENTIALS.mandatorId;
const CLIENT = feedbackClient({ key: 'acme', lists: [{ key: 'newsletter', listId: LIST, optInId: 11 }] });
const KNOWN = 'anna@example.com';
const MAILING = 1001;

/** A CRM that records what it is handed and knows the mailing as a campaign. */
function recordingCrm(): CrmPort & { feedback: FeedbackEvent[]; responses: ResponseEvent[] } {
  const crm = {
    feedback: [] as FeedbackEvent[],
    responses: [] as ResponseEvent[],
    exportSelection: async function* () {},
    applyFeedback: async (events: readonly FeedbackEvent[]) => {
      crm.feedback.push(...events);
      return events.map((_, index) => ({ index, outcome: 'applied' as const }));
    },
    applyResponses: async (events: readonly ResponseEvent[]) => {
      crm.responses.push(...events);
      return events.map((_, index) => ({ index, outcome: 'applied' as const }));
    },
    campaignForMailing: async (mailingId: string) => (mailingId === String(MAILING) ? 'CMP-1' : undefined),
    close: async () => undefined,
  };
  return crm;
}

let harness: Harness;
/** Simulator times: before the events were recorded, and once their export batch was produced. */
let since = 0;
let until = 0;
let store: StateStore;
let crm: ReturnType<typeof recordingCrm>;
let runDir = '';
const MARK = () => new Date(since - 60_000).toISOString();
/** A reader that would page for ever is stopped here instead, and its test fails on the abort rather than timing out. */
const GIVE_UP_MS = 8000;

beforeAll(async () => {
  harness = await startHarness({ seed: SEED });
  since = await harness.client().closedLoop.getCurrentTime();
  await harness.adminJson('POST', `clients/${M}/mailings`, { mailingId: MAILING, recipientListId: LIST, name: 'November' });
  await harness.adminJson('POST', `clients/${M}/events`, {
    events: [
      { type: 'open', recipientId: KNOWN, mailingId: MAILING },
      { type: 'unsubscribe', recipientId: KNOWN, mailingId: MAILING },
    ],
  });
  // Events show up once the export batch that holds them is produced (every 10 minutes).
  until = (await harness.adminJson<{ now: number }>('POST', 'clock/advance', { ms: 11 * 60_000 })).now;
});
afterAll(() => harness.close());

beforeEach(async () => {
  store = await createStateStore({ kind: 'sqlite', file: ':memory:' });
  await store.runs.upsert(aRun({ client: 'acme' }));
  await store.runs.upsert(aRun({ client: 'acme', runId: 'daily-1', kind: 'daily', listKey: null }));
  await store.ledger.record([aSent(KNOWN, 0)]);
  for (const kind of [FEEDBACK_WATERMARK, SUPPRESSIONS_WATERMARK, RESPONSES_WATERMARK])
    await store.watermarks.advance({ client: 'acme', kind, at: MARK() });
  crm = recordingCrm();
  runDir = mkdtempSync(join(tmpdir(), 'endless-pages-'));
  await harness.adminJson('DELETE', 'requests');
});

afterEach(async () => {
  await harness.adminJson('DELETE', 'faults');
  await store.close();
  rmSync(runDir, { recursive: true, force: true });
});

const pagingOf = (closedLoopPaging: string) => harness.adminJson('POST', 'faults', { closedLoopPaging });
const callsOf = async (operation: string) => (await harness.requests()).filter((r) => r === `ClosedLoop.${operation}`).length;

const importNow = () =>
  importFeedback({
    client: CLIENT,
    optimizely: harness.client(),
    store,
    crm,
    runDir,
    runId: 'daily-1',
    now: () => new Date(),
    maxRowsPerGetter: MAX_ROWS,
    signal: AbortSignal.timeout(GIVE_UP_MS),
  });

/** The response window [since, until) ingested; its heartbeats' checkpoints in `beats`. */
async function ingestNow(beats: WindowCheckpoint[]) {
  const ports = {
    client: CLIENT,
    optimizely: harness.client(),
    store,
    crm,
    runId: 'daily-1',
    maxRowsPerGetter: MAX_ROWS,
    signal: AbortSignal.timeout(GIVE_UP_MS),
  };
  return ingestWindow({ ...ports, heartbeat: (c) => beats.push(structuredClone(c)) }, { since: since - 60_000, until });
}

/** Nothing reached the CRM, and every mark is where it was before the read. */
async function expectNothingApplied(): Promise<void> {
  expect(crm.feedback).toEqual([]);
  expect(crm.responses).toEqual([]);
  for (const kind of [FEEDBACK_WATERMARK, SUPPRESSIONS_WATERMARK, RESPONSES_WATERMARK])
    expect(await store.watermarks.get('acme', kind)).toBe(MARK());
  expect(await store.watermarks.get('acme', FEEDBACK_IMPORTED_AT)).toBeUndefined();
}

const windowNamed = (from: number) => `window ${new Date(from).toISOString()} to ${new Date(until).toISOString()}`;

describe('ClosedLoop readers over HTTP against a server whose pages never end', () => {
  it('feedback import: a page repeating the page before is refused at the second call; nothing applied, no mark moved', async () => {
    await pagingOf('repeatFirstPage');
    const error = await importNow().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OptimizelyResponseError);
    expect((error as Error).message).toMatch(
      /^ClosedLoop\.getOutBounces: the full page from row 1000 holds the rows of the page from row 0: the server does not page by startRow/,
    );
    expect(await callsOf('getOutBounces')).toBe(2);
    expect(existsSync(join(runDir, FETCHED_MARKER))).toBe(false);
    await expectNothingApplied();
  });

  it('feedback import: fresh full pages are refused at the row bound, naming the getter and the window; nothing applied', async () => {
    await pagingOf('endless');
    const error = await importNow().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OptimizelyResponseError);
    // The feedback window runs from the marks less their hour of overlap to the server's time at the import's start.
    expect((error as Error).message).toMatch(
      new RegExp(
        `^ClosedLoop\\.getOutBounces: window ${new Date(since - 60_000 - 3_600_000).toISOString()} to [0-9T:.-]+Z: the page from row ${MAX_ROWS} takes the getter past ${MAX_ROWS} rows, the most one getter is read for over one window`,
      ),
    );
    expect(await callsOf('getOutBounces')).toBe(MAX_ROWS / 1000 + 1);
    expect(existsSync(join(runDir, FETCHED_MARKER))).toBe(false);
    await expectNothingApplied();
  });

  it('response ingestion: a page repeating the page before is refused at the second call; nothing applied, no mark moved', async () => {
    await pagingOf('repeatFirstPage');
    const beats: WindowCheckpoint[] = [];
    const error = await ingestNow(beats).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OptimizelyResponseError);
    expect((error as Error).message).toMatch(/^ClosedLoop\.getMailings: the full page from row 1000 holds the rows of the page from row 0/);
    // The page after the refused one was already on its way (a busy getter is read a page ahead).
    expect(await callsOf('getMailings')).toBe(2 + READ_AHEAD);
    expect(beats.every((c) => c.getterIndex === 0 && c.startRow === 0)).toBe(true);
    await expectNothingApplied();
  });

  it('response ingestion: fresh full pages are refused at the row bound, naming the getter and the window; no page committed', async () => {
    await pagingOf('endless');
    const beats: WindowCheckpoint[] = [];
    const error = await ingestNow(beats).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OptimizelyResponseError);
    expect((error as Error).message).toMatch(
      new RegExp(
        `^ClosedLoop\\.getMailings: ${windowNamed(since - 60_000)}: the page from row ${MAX_ROWS} takes the getter past ${MAX_ROWS} rows`,
      ),
    );
    expect(await callsOf('getMailings')).toBe(MAX_ROWS / 1000 + 1 + READ_AHEAD);
    // The checkpoint a retry resumes from stays before every page read: none was committed to the CRM.
    expect(beats.every((c) => c.getterIndex === 0 && c.startRow === 0)).toBe(true);
    await expectNothingApplied();
  });

  it('read by startRow, the same window is applied and moves the marks (the set-up would have changed the CRM)', async () => {
    await importNow();
    expect(crm.feedback).toEqual([expect.objectContaining({ kind: 'unsubscribe', entityId: `c-${KNOWN}` })]);
    expect(await store.watermarks.get('acme', FEEDBACK_WATERMARK)).not.toBe(MARK());
    await ingestNow([]);
    expect(crm.responses.length).toBeGreaterThan(0);
    expect(await store.watermarks.get('acme', RESPONSES_WATERMARK)).toBe(new Date(until).toISOString());
  });
});
