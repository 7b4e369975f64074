import type { ClientConfig } from '../config/config-schema';
import type { CrmPort } from '../crm/crm-port';
import { CLOSED_LOOP_MAX_ROWS } from '../optimizely/api/closed-loop-columns';
import { ClosedLoopPagingCheck } from '../optimizely/client/closed-loop-paging-check';
import type { OptimizelyPort, Row } from '../optimizely/client/optimizely-port';
import type { StateStore } from '../store/state-store';
import { addCounts, emptyCounts, type ResponseCounts } from './response-counts';
import { RESPONSE_GETTERS, type ResponseGetter } from './response-rows';
import { RESPONSES_WATERMARK } from './response-settings';
import type { ResponseWindow } from './response-windows';
import { windowPages } from './window-pages';
import {
  localWindowIngester,
  PAGES_PER_CRM_COMMIT,
  WINDOW_END,
  type OpenWindowIngester,
  type PagePosition,
  type WindowCheckpoint,
  type WindowIngester,
} from './window-ingester';

export type { WindowCheckpoint } from './window-ingester';

/**
 * Pages handed to the ingester and not answered yet, at most. The ingester takes them in order and
 * commits every PAGES_PER_CRM_COMMIT pages; a commit (a sync to disk of the CRM) and the ledger
 * look-ups of a page take longer than reading one, and with two pages unanswered the reading side
 * waited for each commit before it read on. A bounce or unsubscribe page takes the ingester five to
 * ten times as long as a page of opens (ledger look-ups, the suppression ledger, applied keys), and
 * with one commit's worth (twelve) the reading side still stopped during them; with three commits'
 * worth it reads, decodes and classifies the opens meanwhile. Memory: this many classified pages
 * (packed columns) besides the ones held for their commit.
 */
export const MAX_UNANSWERED_PAGES = 3 * PAGES_PER_CRM_COMMIT + 2;

/**
 * The answers to the pages handed to a window's ingester, oldest first, and the checkpoint they came
 * to. The ingester answers in the order handed in (a page after a failed one fails too), and the
 * answers are taken in that order: `committed` is where the CRM has accepted every page before.
 */
class PendingAnswers {
  private readonly queue: Array<{ answer: Promise<WindowCheckpoint | undefined>; settled: boolean }> = [];

  constructor(
    private readonly max: number,
    public committed: WindowCheckpoint,
  ) {}

  push(answer: Promise<WindowCheckpoint | undefined>): void {
    const entry = { answer, settled: false };
    // Taken below in order, or waited for in drain: a rejection is never left unhandled.
    answer.then(
      () => (entry.settled = true),
      () => (entry.settled = true),
    );
    this.queue.push(entry);
  }

  /** Takes the answers already in (oldest first, none skipped), and waits for the oldest while `max` or more are open. */
  async take(): Promise<void> {
    while (this.queue.length > 0 && (this.queue.length >= this.max || this.queue[0]!.settled)) await this.takeOldest();
  }

  /** Takes every answer, in order. */
  async takeAll(): Promise<void> {
    while (this.queue.length > 0) await this.takeOldest();
  }

  /** Waits for every answer still open, whatever it is: no page of the window is being applied after it. */
  async drain(): Promise<void> {
    await Promise.allSettled(this.queue.splice(0).map((entry) => entry.answer));
  }

  /** Throws the page's failure; the checkpoints taken before it stay. */
  private async takeOldest(): Promise<void> {
    this.committed = (await this.queue.shift()!.answer) ?? this.committed;
  }
}

export interface IngestWindowPorts {
  client: ClientConfig;
  optimizely: OptimizelyPort;
  store: StateStore;
  crm: CrmPort;
  /** Called after every page the CRM accepted; a retried attempt resumes from the last one. */
  heartbeat?: (checkpoint: WindowCheckpoint) => void;
  resumeFrom?: WindowCheckpoint;
  /** The run applied feedback events are recorded under. */
  runId?: string;
  /** Pages per CRM commit (default PAGES_PER_CRM_COMMIT). */
  pagesPerCommit?: number;
  /** Pages handed to the ingester whose answer is not taken yet, at most (default MAX_UNANSWERED_PAGES; 1: each page waits for its answer). */
  unanswered?: number;
  /**
   * Where the pages are applied: by default on this thread against `store` and `crm`; the worker
   * passes its response ingestion thread (src/responses/ingest-thread), so reading the next page and
   * applying this one use two cores.
   */
  openIngester?: OpenWindowIngester;
  /**
   * The activity's cancellation (also fired when its heartbeat times out): once it fires no further
   * page is handed in and the watermark stays, because a retried attempt may already be applying the
   * same pages from the last checkpoint.
   */
  signal?: AbortSignal;
  /** Rows one getter is read for over the window, at most (CLOSED_LOOP_MAX_ROWS_PER_WINDOW but in tests). */
  maxRowsPerGetter?: number;
}

/**
 * Reads every response getter over one window, page by page, applies each page to the CRM, and
 * advances the watermark to the window's end only once the CRM has accepted all of it.
 */
export async function ingestWindow(ports: IngestWindowPorts, window: ResponseWindow): Promise<ResponseCounts> {
  const { client, store } = ports;
  const setup = { client, window, counts: ports.resumeFrom?.counts ?? emptyCounts(), runId: ports.runId };
  const pagesPerCommit = ports.pagesPerCommit ?? PAGES_PER_CRM_COMMIT;
  // Each getter's check sees its pages in order, whatever order their answers come back in (a busy
  // getter has two pages on the wire: window-pages.ts), so a server that does not page by startRow,
  // or answers full pages without end, is refused at its turn. A getter's pages past a refused one
  // are never yielded, and at most one is read past it.
  const paging = RESPONSE_GETTERS.map((getter) => new ClosedLoopPagingCheck(getter, window, ports.maxRowsPerGetter));
  const checkedInOrder = RESPONSE_GETTERS.map((): Promise<unknown> => Promise.resolve());
  const readPage = (at: PagePosition): Promise<readonly Row[]> => {
    const getter = RESPONSE_GETTERS[at.getterIndex] as ResponseGetter;
    // The client asks a read again itself on a passing fault; a failure resumes from the last checkpoint.
    const rows = ports.optimizely.closedLoop[getter]({ ...window, startRow: at.startRow, numberOfRows: CLOSED_LOOP_MAX_ROWS });
    const checked = Promise.all([rows, checkedInOrder[at.getterIndex]]).then(([page]) => {
      paging[at.getterIndex]!.check(at.startRow, page);
      return page;
    });
    // The next page's check waits for this one's, failed or not.
    checkedInOrder[at.getterIndex] = checked.catch(() => undefined);
    return checked;
  };
  const from: PagePosition = { getterIndex: ports.resumeFrom?.getterIndex ?? 0, startRow: ports.resumeFrom?.startRow ?? 0 };
  // A copy: the keepalive re-sends the last checkpoint.
  const start = from.getterIndex < RESPONSE_GETTERS.length ? from : WINDOW_END;
  // The answers to the pages handed in and not taken yet, oldest first: the reading side goes on
  // reading, decoding and classifying while the ingester applies and commits the pages before.
  const answers = new PendingAnswers(Math.max(1, ports.unanswered ?? MAX_UNANSWERED_PAGES), {
    ...start,
    counts: addCounts(emptyCounts(), setup.counts),
  });
  const open: OpenWindowIngester = ports.openIngester ?? ((s) => localWindowIngester({ store, crm: ports.crm }, s));
  // Opened with the first page that has rows: most getters of a quiet window answer none.
  let ingester: WindowIngester | undefined;
  // Pages read since the last commit, and those of them handed to the ingester (the ones with rows).
  let sinceCommit = 0;
  let held = 0;
  try {
    // The next pages are read while this one is applied (window-pages.ts: a bounded look-ahead).
    for await (const { at, rows, next } of windowPages(readPage, from, RESPONSE_GETTERS.length)) {
      ports.signal?.throwIfAborted();
      sinceCommit += 1;
      const commitAt = !next || sinceCommit >= pagesPerCommit ? (next ?? WINDOW_END) : undefined;
      if (rows.length > 0 || (commitAt && held > 0)) {
        ingester ??= open(setup);
        held += 1;
        answers.push(ingester.ingest(at, rows, commitAt));
        await answers.take();
      } else if (commitAt) {
        // Only empty pages since the last commit: nothing to apply, and the counts are those of the last.
        await answers.takeAll();
        answers.committed = { ...commitAt, counts: answers.committed.counts };
      }
      if (commitAt) [sinceCommit, held] = [0, 0];
      // Every page beats; the checkpoint moves only past pages the CRM has accepted.
      ports.heartbeat?.(answers.committed);
    }
    await answers.takeAll();
    ports.heartbeat?.(answers.committed);
  } finally {
    // A failed page leaves no page of this window being applied (nor a read running: windowPages).
    await answers.drain();
    // Only drops the window's state; a failure here must not hide the page's own.
    await ingester?.close().catch(() => undefined);
  }
  ports.signal?.throwIfAborted();
  await store.watermarks.advance({ client: client.key, kind: RESPONSES_WATERMARK, at: new Date(window.until).toISOString() });
  return answers.committed.counts;
}
