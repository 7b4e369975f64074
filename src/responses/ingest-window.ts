import type { ClientConfig } from '../config/config-schema';
import type { CrmPort } from '../crm/crm-port';
import { CLOSED_LOOP_MAX_ROWS } from '../optimizely/api/closed-loop-columns';
import type { OptimizelyPort } from '../optimizely/client/optimizely-port';
import { retryRead } from '../optimizely/client/retry-read';
import type { StateStore } from '../store/state-store';
import { suppressionRecorder } from '../feedback/record-suppressions';
import { commitPages } from './apply-response-page';
import { preparePage, type PreparedPage } from './prepare-response-page';
import { addCounts, emptyCounts, type ResponseCounts } from './response-counts';
import { ResponseLookups } from './response-mapping';
import { readResponseRow, RESPONSE_GETTERS, type ResponseGetter } from './response-rows';
import { RESPONSES_WATERMARK } from './response-settings';
import type { ResponseWindow } from './response-windows';

/** Where a window's reading stands: the next page to read and what the pages before it came to. */
export interface WindowCheckpoint {
  getterIndex: number;
  startRow: number;
  counts: ResponseCounts;
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
}

/**
 * Pages whose CRM writes go in one commit: a commit is durable and costs the CRM a sync to disk, so
 * one per page was a large part of ingestion. Memory stays ten pages' events (about 3 MB).
 */
const PAGES_PER_CRM_COMMIT = 10;

/** A page of one getter: what a checkpoint records. */
type PagePosition = Pick<WindowCheckpoint, 'getterIndex' | 'startRow'>;

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
  const { client, store, crm } = ports;
  const counts = ports.resumeFrom?.counts ?? emptyCounts();
  // Event times are judged against Optimizely's clock (the window's end), not the worker's.
  const suppressions = suppressionRecorder(store.suppressions, client.key, 'responses');
  const pagePorts = {
    client,
    crm,
    lookups: new ResponseLookups({ client, crm, ledger: store.ledger }),
    seen: new Set<string>(),
    pendingKeys: new Set<string>(),
    nowMs: window.until,
    intake: store.feedbackIntake,
    runId: ports.runId,
    suppressions,
  };
  const readPage = (at: PagePosition) => {
    const getter = RESPONSE_GETTERS[at.getterIndex] as ResponseGetter;
    return retryRead(() => ports.optimizely.closedLoop[getter]({ ...window, startRow: at.startRow, numberOfRows: CLOSED_LOOP_MAX_ROWS }));
  };
  let at: PagePosition | undefined = { getterIndex: ports.resumeFrom?.getterIndex ?? 0, startRow: ports.resumeFrom?.startRow ?? 0 };
  if (at.getterIndex >= RESPONSE_GETTERS.length) at = undefined;
  let reading = at && readPage(at);
  let prepared: PreparedPage[] = [];
  // A copy: the keepalive re-sends the last checkpoint, and the live counts already hold pages not committed.
  const checkpoint = (position: PagePosition): WindowCheckpoint => ({ ...position, counts: addCounts(emptyCounts(), counts) });
  let committed = checkpoint(at ?? { getterIndex: RESPONSE_GETTERS.length, startRow: 0 });
  try {
    while (at && reading) {
      const rows = await reading;
      // The next page is read while this one is worked on: at most one page ahead.
      const next = pageAfter(at, rows.length);
      reading = next && readPage(next);
      void reading?.catch(() => undefined); // awaited on the next turn, or in `finally` if this page fails
      const getter = RESPONSE_GETTERS[at.getterIndex] as ResponseGetter;
      try {
        prepared.push(
          await preparePage(
            rows.map((row) => readResponseRow(getter, row)),
            pagePorts,
            counts,
          ),
        );
      } finally {
        // Whether or not the CRM will accept the page: the suppression ledger does not wait for it.
        await suppressions.flush();
      }
      if (!next || prepared.length >= (ports.pagesPerCommit ?? PAGES_PER_CRM_COMMIT)) {
        await commitPages(prepared, pagePorts, counts);
        prepared = [];
        committed = checkpoint(next ?? { getterIndex: RESPONSE_GETTERS.length, startRow: 0 });
      }
      // Every page beats; the checkpoint moves only past pages the CRM has accepted.
      ports.heartbeat?.(committed);
      at = next;
    }
  } finally {
    // A failed page leaves no read running past the activity.
    await reading?.catch(() => undefined);
  }
  await store.watermarks.advance({ client: client.key, kind: RESPONSES_WATERMARK, at: new Date(window.until).toISOString() });
  return counts;
}
