import type { ClientConfig } from '../config/config-schema';
import type { CrmPort } from '../crm/crm-port';
import { CLOSED_LOOP_MAX_ROWS } from '../optimizely/api/closed-loop-columns';
import type { OptimizelyPort } from '../optimizely/client/optimizely-port';
import { retryRead } from '../optimizely/client/retry-read';
import type { StateStore } from '../store/state-store';
import { suppressionRecorder } from '../feedback/record-suppressions';
import { applyResponsePage } from './apply-response-page';
import { emptyCounts, type ResponseCounts } from './response-counts';
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
}

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
  try {
    while (at && reading) {
      const rows = await reading;
      // The next page is read while this one is applied: at most one page ahead, so memory stays two pages.
      const next = pageAfter(at, rows.length);
      reading = next && readPage(next);
      void reading?.catch(() => undefined); // awaited on the next turn, or in `finally` if this page fails
      const getter = RESPONSE_GETTERS[at.getterIndex] as ResponseGetter;
      try {
        await applyResponsePage(
          rows.map((row) => readResponseRow(getter, row)),
          pagePorts,
          counts,
        );
      } finally {
        // Before the heartbeat moves past the page, and whether or not the CRM accepted it.
        await suppressions.flush();
      }
      ports.heartbeat?.({ ...(next ?? { getterIndex: RESPONSE_GETTERS.length, startRow: 0 }), counts });
      at = next;
    }
  } finally {
    // A failed page leaves no read running past the activity.
    await reading?.catch(() => undefined);
  }
  await store.watermarks.advance({ client: client.key, kind: RESPONSES_WATERMARK, at: new Date(window.until).toISOString() });
  return counts;
}
