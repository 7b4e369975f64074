import type { ClientConfig } from '../../../src/config/config-schema';
import type { CrmPort, FeedbackEvent, ResponseEvent } from '../../../src/crm/crm-port';
import { OptimizelyTransientError } from '../../../src/errors/optimizely-transient-error';
import { ingestWindow, type WindowCheckpoint } from '../../../src/responses/ingest-window';
import { emptyCounts } from '../../../src/responses/response-counts';
import {
  classifyingIngester,
  localWindowIngester,
  type OpenWindowIngester,
  type WindowIngester,
} from '../../../src/responses/window-ingester';
import { createStateStore, type StateStore } from '../../../src/store';
import { createFakeOptimizely, type FakeOptimizely } from '../../helpers/fake-optimizely';
import { aRun, aSent } from '../../helpers/store-builders';

const CLIENT = { key: 'demo', lists: [{ key: 'newsletter', listId: 100, optInId: '11', mediaType: 'email' }] } as unknown as ClientConfig;
const WINDOW = { since: 0, until: Date.parse('2026-06-01T00:00:00Z') };
// The checkpoint of each beat over WINDOW with five pages a commit: a beat per page and one at the
// end; the position moves only at a CRM commit (every fifth page, and the window's last), once its
// answer is in (the next page is handed in before it is awaited).
const WINDOW_BEATS = ['0:0', '0:0', '0:0', '0:0', '0:0', '5:0', '5:0', '5:0', '5:0', '7:0'];
const at = (i: number) => new Date(Date.parse('2026-05-31T00:00:00Z') + i * 1000).toISOString().replace('Z', '+00:00');

/** A CRM that knows mailing 1001 as a campaign and records what it is asked to apply. */
function recordingCrm(): CrmPort & { feedback: FeedbackEvent[]; responses: ResponseEvent[]; failResponses: boolean } {
  const crm = {
    feedback: [] as FeedbackEvent[],
    responses: [] as ResponseEvent[],
    failResponses: false,
    exportSelection: async function* () {},
    applyFeedback: async (events: readonly FeedbackEvent[]) => {
      crm.feedback.push(...events);
      return events.map((_, index) => ({ index, outcome: 'applied' as const }));
    },
    applyResponses: async (events: readonly ResponseEvent[]) => {
      if (crm.failResponses) throw new Error('CRM unavailable');
      crm.responses.push(...events);
      return events.map((_, index) => ({ index, outcome: 'applied' as const }));
    },
    campaignForMailing: async (mailingId: string) => (mailingId === '1001' ? 'CMP-1' : undefined),
    close: async () => undefined,
  };
  return crm;
}

describe('ingestWindow', () => {
  let store: StateStore;
  let optimizely: FakeOptimizely;
  let crm: ReturnType<typeof recordingCrm>;

  beforeEach(async () => {
    store = await createStateStore({ kind: 'sqlite', file: ':memory:' });
    await store.runs.upsert(aRun({ client: 'demo' }));
    await store.ledger.record(Array.from({ length: 2500 }, (_, i) => aSent(`r${i}@x.test`, 0)));
    optimizely = createFakeOptimizely();
    optimizely.closedLoopRows.getOpens.push(...Array.from({ length: 2500 }, (_, i) => [`r${i}@x.test`, '1001', at(i), '100']));
    optimizely.closedLoopRows.getUnsubscribes.push(['r1@x.test', '', at(1), '100']);
    optimizely.closedLoopRows.getMailingUnsubscribes.push(['r1@x.test', '1001', at(1), '100']);
    crm = recordingCrm();
  });

  afterEach(async () => {
    await store.close();
  });

  /** The local ingester, telling `onPage` of every page handed in before applying it. */
  const handingTo =
    (onPage: (...page: Parameters<WindowIngester['ingest']>) => unknown): OpenWindowIngester =>
    (setup) => {
      const local = localWindowIngester({ store, crm }, setup);
      return {
        ingest: (at, rows, commitAt) => (onPage(at, rows, commitAt), local.ingest(at, rows, commitAt)),
        close: () => local.close(),
      };
    };

  const ports = (extra: Partial<Parameters<typeof ingestWindow>[0]> = {}) => ({
    client: CLIENT,
    optimizely,
    store,
    crm,
    pagesPerCommit: 5,
    // The beats below are those of two pages unanswered: the next page handed in before the answer to
    // the one before is awaited. Deeper pipelines are the property below.
    unanswered: 2,
    ...extra,
  });

  it('applies every page, counts a repeated unsubscribe once and then advances the watermark', async () => {
    const checkpoints: WindowCheckpoint[] = [];
    const counts = await ingestWindow(ports({ heartbeat: (c) => checkpoints.push(structuredClone(c)) }), WINDOW);
    expect(counts.open).toMatchObject({ read: 2500, applied: 2500 });
    expect(counts.unsubscribe).toMatchObject({ read: 2, applied: 1, duplicate: 1 });
    expect(crm.feedback).toEqual([expect.objectContaining({ kind: 'unsubscribe', entityId: 'c-r1@x.test', optInId: '11' })]);
    expect(checkpoints.map((c) => `${c.getterIndex}:${c.startRow}`)).toEqual(WINDOW_BEATS);
    expect(checkpoints[5]?.counts.unsubscribe).toMatchObject({ read: 2, applied: 1, duplicate: 1 });
    expect(checkpoints[5]?.counts.open.read).toBe(0);
    expect(await store.watermarks.get('demo', 'responses')).toBe('2026-06-01T00:00:00.000Z');
  });

  it('hands the ingester only pages with rows, and the last page when pages wait for their commit', async () => {
    const handed: string[] = [];
    const openIngester = handingTo((at, rows, commitAt) =>
      handed.push(`${at.getterIndex}:${at.startRow}:${rows.length}:${commitAt ? 'commit' : ''}`),
    );
    const checkpoints: WindowCheckpoint[] = [];
    const heartbeat = (c: WindowCheckpoint) => checkpoints.push(structuredClone(c));
    const counts = await ingestWindow(ports({ openIngester, heartbeat }), WINDOW);
    // Getters 0-2 and 6 answer no rows; the fifth page read commits, and so does the last.
    expect(handed).toEqual(['3:0:1:', '4:0:1:commit', '5:0:1000:', '5:1000:1000:', '5:2000:500:', '6:0:0:commit']);
    expect(counts.open).toMatchObject({ read: 2500, applied: 2500 });
    expect(checkpoints.map((c) => `${c.getterIndex}:${c.startRow}`)).toEqual(WINDOW_BEATS);
  });

  it('applies pages handed in at once one after the other, and none after a page that failed', async () => {
    let calls = 0;
    const failing = { ...crm, applyResponses: async () => Promise.reject(new Error(`CRM unavailable (call ${(calls += 1)})`)) };
    const ingester = localWindowIngester({ store, crm: failing }, { client: CLIENT, window: WINDOW, counts: emptyCounts() });
    const opens = { getterIndex: 5, startRow: 0 };
    const page = (i: number) => [[`r${i}@x.test`, '1001', at(i), '100']];
    const answers = [1, 2, 3].map((i) => ingester.ingest(opens, page(i), { getterIndex: 5, startRow: i * 1000 }));
    for (const answer of answers) await expect(answer).rejects.toThrow('CRM unavailable (call 1)');
    expect(calls).toBe(1);
  });

  it('hands no page on after a page that could not be classified, so no later page is applied past its rows', async () => {
    const handedOn: number[] = [];
    const target = {
      ingest: async (at: { startRow: number }) => (handedOn.push(at.startRow), undefined),
      close: async () => undefined,
    };
    const ingester = classifyingIngester({ client: CLIENT, window: WINDOW, counts: emptyCounts() }, target);
    const row = [['r1@x.test', '1001', at(1), '100']];
    await ingester.ingest({ getterIndex: 5, startRow: 0 }, row, undefined);
    // A position naming no getter: its rows cannot be read.
    await expect(ingester.ingest({ getterIndex: 99, startRow: 1000 }, row, undefined)).rejects.toThrow();
    await expect(ingester.ingest({ getterIndex: 5, startRow: 2000 }, row, undefined)).rejects.toThrow();
    expect(handedOn).toEqual([0]);
  });

  it('opens no ingester for a window whose getters answer no rows, and still checkpoints its end and advances the watermark', async () => {
    for (const rows of Object.values(optimizely.closedLoopRows)) rows.length = 0;
    let opened = 0;
    const checkpoints: WindowCheckpoint[] = [];
    const counts = await ingestWindow(
      ports({
        openIngester: () => {
          opened += 1;
          throw new Error('no page to apply');
        },
        heartbeat: (c) => checkpoints.push(structuredClone(c)),
      }),
      WINDOW,
    );
    expect(opened).toBe(0);
    expect(counts).toEqual(emptyCounts());
    expect(checkpoints.at(-1)).toMatchObject({ getterIndex: 7, startRow: 0 });
    expect(await store.watermarks.get('demo', 'responses')).toBe('2026-06-01T00:00:00.000Z');
  });

  it('resumes at the heartbeated page with the counts of the pages before it', async () => {
    const before = emptyCounts();
    Object.assign(before.open, { read: 2000, applied: 2000 });
    const resumeFrom: WindowCheckpoint = { getterIndex: 5, startRow: 2000, counts: before };
    const counts = await ingestWindow(ports({ resumeFrom }), WINDOW);
    expect(crm.responses).toHaveLength(500);
    expect(counts.open).toMatchObject({ read: 2500, applied: 2500 });
    // Getters before the checkpoint are not read again; the resumed getter from its page on.
    expect(optimizely.calls.filter((c) => c.startsWith('ClosedLoop.'))).toEqual(['ClosedLoop.getOpens', 'ClosedLoop.getClicks']);
  });

  it('leaves the watermark where it was when the CRM refuses a page', async () => {
    crm.failResponses = true;
    await expect(ingestWindow(ports(), WINDOW)).rejects.toThrow('CRM unavailable');
    expect(await store.watermarks.get('demo', 'responses')).toBeUndefined();
  });
  it('never checkpoints past a page the CRM refused, nor counts its rows, and applies nothing twice on resume', async () => {
    const checkpoints: WindowCheckpoint[] = [];
    crm.failResponses = true;
    await expect(ingestWindow(ports({ heartbeat: (c) => checkpoints.push(structuredClone(c)) }), WINDOW)).rejects.toThrow(
      'CRM unavailable',
    );
    const last = checkpoints.at(-1) as WindowCheckpoint;
    expect(`${last.getterIndex}:${last.startRow}`).toBe('5:0');
    expect(last.counts.open.read).toBe(0);
    crm.failResponses = false;
    const counts = await ingestWindow(ports({ resumeFrom: last }), WINDOW);
    expect(counts.open).toMatchObject({ read: 2500, applied: 2500 });
    expect(counts.unsubscribe).toMatchObject({ read: 2, applied: 1, duplicate: 1 });
    expect(crm.feedback).toHaveLength(1);
    expect(new Set(crm.responses.map((r) => r.recipientId)).size).toBe(crm.responses.length);
  });

  it('reads a failed page once: the client asks a read again itself, the rest is the activity retry from the checkpoint', async () => {
    // A second retry around the page multiplied the client's tries and asked a timed-out page again at once.
    const timedOut = Object.assign(new OptimizelyTransientError('timed out after 60000 ms'), { timedOut: true });
    optimizely.failNext('ClosedLoop.getOpens', timedOut);
    await expect(ingestWindow(ports(), WINDOW)).rejects.toBe(timedOut);
    expect(optimizely.calls.filter((op) => op === 'ClosedLoop.getOpens')).toHaveLength(1);
    expect(await store.watermarks.get('demo', 'responses')).toBeUndefined();
  });

  it('fails at a later getter read ahead only after the pages before it, checkpoints none past the last commit, and resumes applying each once', async () => {
    // getClicks' first page is asked for with the window's first page (read ahead) and fails at once.
    optimizely.failNext('ClosedLoop.getClicks', new Error('clicks unavailable'));
    const handed: string[] = [];
    const checkpoints: WindowCheckpoint[] = [];
    const openIngester = handingTo((position) => handed.push(`${position.getterIndex}:${position.startRow}`));
    await expect(ingestWindow(ports({ openIngester, heartbeat: (c) => checkpoints.push(structuredClone(c)) }), WINDOW)).rejects.toThrow(
      'clicks unavailable',
    );
    // Every page before the failed one was handed in, in order; the opens were not committed yet.
    expect(handed).toEqual(['3:0', '4:0', '5:0', '5:1000', '5:2000']);
    const last = checkpoints.at(-1) as WindowCheckpoint;
    expect(`${last.getterIndex}:${last.startRow}`).toBe('5:0');
    expect(crm.responses).toHaveLength(0);
    expect(await store.watermarks.get('demo', 'responses')).toBeUndefined();
    const counts = await ingestWindow(ports({ resumeFrom: last }), WINDOW);
    expect(counts.open).toMatchObject({ read: 2500, applied: 2500 });
    expect(counts.unsubscribe).toMatchObject({ read: 2, applied: 1, duplicate: 1 });
    expect(crm.feedback).toHaveLength(1);
    expect(new Set(crm.responses.map((r) => r.recipientId)).size).toBe(2500);
    expect(crm.responses).toHaveLength(2500);
  });

  it('hands in no page after the activity is cancelled and leaves the watermark, so a retry applies nothing twice', async () => {
    // A heartbeat timeout cancels the attempt while the retry may already read from the last
    // checkpoint: the old attempt must stop handing pages in.
    const cancel = new AbortController();
    const handed: string[] = [];
    const openIngester = handingTo((position) => {
      handed.push(`${position.getterIndex}:${position.startRow}`);
      // Cancelled while the second page with rows is being applied.
      if (handed.length === 2) cancel.abort(new Error('activity cancelled'));
    });
    await expect(ingestWindow(ports({ openIngester, signal: cancel.signal }), WINDOW)).rejects.toThrow('activity cancelled');
    expect(handed).toHaveLength(2);
    expect(await store.watermarks.get('demo', 'responses')).toBeUndefined();
  });

  it('records unsubscribes and hard bounces in the suppression ledger, sent or not, but not soft bounces', async () => {
    optimizely.closedLoopRows.getUnsubscribes.push(['Never.Sent@x.test', '', at(3), '0']);
    optimizely.closedLoopRows.getResponses.push(
      ['hard@x.test', '1001', at(4), '100', 'hardbounce'],
      ['soft@x.test', '1001', at(5), '100', 'softbounce'],
    );
    await ingestWindow(ports(), WINDOW);
    await ingestWindow(ports(), WINDOW);
    const kinds = async (key: string) => (await store.suppressions.events('demo', key)).map((e) => `${e.kind}:${e.listId}:${e.source}`);
    expect(await kinds('r1@x.test')).toEqual(['unsubscribe:100:responses']);
    expect(await kinds('never.sent@x.test')).toEqual(['unsubscribe:0:responses']);
    expect(await kinds('hard@x.test')).toEqual(['bounce:0:responses']);
    expect(await kinds('soft@x.test')).toEqual([]);
  });
});
