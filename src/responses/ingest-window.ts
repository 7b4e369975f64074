import type { ClientConfig } from '../config/config-schema';
import type { CrmPort } from '../crm/crm-port';
import { CLOSED_LOOP_MAX_ROWS } from '../optimizely/api/closed-loop-columns';
import type { OptimizelyPort } from '../optimizely/client/optimizely-port';
import { retryRead } from '../optimizely/client/retry-read';
import type { StateStore } from '../store/state-store';
import { addCounts, emptyCounts, type ResponseCounts } from './response-counts';
import { RESPONSE_GETTERS, type ResponseGetter } from './response-rows';
import { RESPONSES_WATERMARK } from './response-settings';
import type { ResponseWindow } from './response-windows';
import {
  localWindowIngester,
  WINDOW_END,
  type OpenWindowIngester,
  type PagePosition,
  type WindowCheckpoint,
  type WindowIngester,
} from './window-ingester';

export type { WindowCheckpoint } from './window-ingester';

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
  /**
   * Where the pages are applied: by default on this thread against `store` and `crm`; the worker
   * passes its response ingestion thread (src/responses/ingest-thread), so reading the next page and
   * applying this one use two cores.
   */
  openIngester?: OpenWindowIngester;
}

/** The page after a page of `rowCount` rows: the getter's next page when it was full, else the next getter's first. */
function pageAfter(at: PagePosition, rowCount: number): PagePosition | undefined {
  if (rowCount >= CLOSED_LOOP_MAX_ROWS) return { getterIndex: at.getterIndex, startRow: at.startRow + CLOSED_LOOP_MAX_ROWS };
  return at.getterIndex + 1 < RESPONSE_GETTERS.length ? { getterIndex: at.getterIndex + 1, startRow: 0 } : undefined;
}

/**
 * Reads every response getter over one window, page by page, applies each page to the CRM, and
 * advances the watermark to the window's end only once the CRM has accepted all of it.
 */
export async function ingestWindow(ports: IngestWindowPorts, window: ResponseWindow): Promise<ResponseCounts> {
  const { client, store } = ports;
  const setup = {
    client,
    window,
    counts: ports.resumeFrom?.counts ?? emptyCounts(),
    runId: ports.runId,
    pagesPerCommit: ports.pagesPerCommit,
  };
  const readPage = (at: PagePosition) => {
    const getter = RESPONSE_GETTERS[at.getterIndex] as ResponseGetter;
    return retryRead(() => ports.optimizely.closedLoop[getter]({ ...window, startRow: at.startRow, numberOfRows: CLOSED_LOOP_MAX_ROWS }));
  };
  let at: PagePosition | undefined = { getterIndex: ports.resumeFrom?.getterIndex ?? 0, startRow: ports.resumeFrom?.startRow ?? 0 };
  if (at.getterIndex >= RESPONSE_GETTERS.length) at = undefined;
  // A copy: the keepalive re-sends the last checkpoint.
  let committed: WindowCheckpoint = { ...(at ?? WINDOW_END), counts: addCounts(emptyCounts(), setup.counts) };
  const open: OpenWindowIngester = ports.openIngester ?? ((s) => localWindowIngester({ store, crm: ports.crm }, s));
  // A resumed attempt whose checkpoint is past the last page only advances the watermark.
  const ingester: WindowIngester | undefined = at && open(setup);
  let reading = at && readPage(at);
  try {
    while (at && reading && ingester) {
      const rows = await reading;
      // The next page is read while this one is applied: at most one page ahead.
      const next = pageAfter(at, rows.length);
      reading = next && readPage(next);
      void reading?.catch(() => undefined); // awaited on the next turn, or in `finally` if this page fails
      committed = (await ingester.ingest(at, rows, next)) ?? committed;
      // Every page beats; the checkpoint moves only past pages the CRM has accepted.
      ports.heartbeat?.(committed);
      at = next;
    }
  } finally {
    // A failed page leaves no read running past the activity.
    await reading?.catch(() => undefined);
    // Only drops the window's state; a failure here must not hide the page's own.
    await ingester?.close().catch(() => undefined);
  }
  await store.watermarks.advance({ client: client.key, kind: RESPONSES_WATERMARK, at: new Date(window.until).toISOString() });
  return committed.counts;
}
