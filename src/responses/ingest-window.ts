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
import { readResponseRow, RESPONSE_GETTERS } from './response-rows';
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
    ledger: store.ledger,
    lookups: new ResponseLookups({ client, crm, ledger: store.ledger }),
    seen: new Set<string>(),
    nowMs: window.until,
    intake: store.feedbackIntake,
    runId: ports.runId,
    suppressions,
  };
  for (let g = ports.resumeFrom?.getterIndex ?? 0; g < RESPONSE_GETTERS.length; g += 1) {
    const getter = RESPONSE_GETTERS[g] as (typeof RESPONSE_GETTERS)[number];
    let startRow = g === ports.resumeFrom?.getterIndex ? ports.resumeFrom.startRow : 0;
    for (;;) {
      const rows = await retryRead(() => ports.optimizely.closedLoop[getter]({ ...window, startRow, numberOfRows: CLOSED_LOOP_MAX_ROWS }));
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
      const last = rows.length < CLOSED_LOOP_MAX_ROWS;
      startRow += CLOSED_LOOP_MAX_ROWS;
      ports.heartbeat?.(last ? { getterIndex: g + 1, startRow: 0, counts } : { getterIndex: g, startRow, counts });
      if (last) break;
    }
  }
  await store.watermarks.advance({ client: client.key, kind: RESPONSES_WATERMARK, at: new Date(window.until).toISOString() });
  return counts;
}
