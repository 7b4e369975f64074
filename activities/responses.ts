import { UNRESOLVED_OPT_OUTS } from '../src/feedback/feedback-tally';
import { cancellationSignal, log } from '@temporalio/activity';
import { clientByKey } from '../src/config/client-by-key';
import { CLOSED_LOOP_RETENTION_MS } from '../src/optimizely/api/closed-loop-columns';
import { ingestWindow, type WindowCheckpoint } from '../src/responses/ingest-window';
import { addCounts, emptyCounts, flattenCounts, totalCounts, type ResponseCounts } from '../src/responses/response-counts';
import {
  RESPONSES_LAG_MARGIN_MS,
  RESPONSES_OVERLAP_MS,
  RESPONSES_WATERMARK,
  RESPONSES_WINDOW_MS,
} from '../src/responses/response-settings';
import { planResponseWindows } from '../src/responses/response-windows';
import { watermarkAhead } from '../src/feedback/watermark-ahead';
import { readCheckpoint, windowCheckpointSchema } from './checkpoints';
import { withKeepalive } from './keepalive';
import type { ActivityDependencies } from './deps';
import type { ResponseActivities } from './activity-interfaces';
import type {
  FinishResponseIngestInput,
  IngestResponseWindowInput,
  IngestResponseWindowOutput,
  PlanResponseIngestInput,
  PlanResponseIngestOutput,
} from './responses-types';

/** Response data (bounces, unsubscribes, opens, clicks) from Optimizely's ClosedLoop getters into the CRM. */
export function createResponseActivities(deps: ActivityDependencies): ResponseActivities {
  const now = () => deps.now().toISOString();
  const clientOf = (key: string) => clientByKey(deps.config, key);
  return {
    async planResponseIngest(input: PlanResponseIngestInput): Promise<PlanResponseIngestOutput> {
      clientOf(input.client);
      const serverNow = await deps.optimizely(input.client).closedLoop.getCurrentTime();
      const previousWatermark = await deps.store.watermarks.get(input.client, RESPONSES_WATERMARK);
      // A mark ahead of the server's time now came from a wrong answer of it: read back as on a first run (watermark-ahead.ts).
      const ahead = watermarkAhead(previousWatermark, serverNow, RESPONSES_OVERLAP_MS);
      const plan = planResponseWindows({
        watermark: ahead ? undefined : previousWatermark,
        serverNow,
        overlapMs: RESPONSES_OVERLAP_MS,
        retentionMs: CLOSED_LOOP_RETENTION_MS,
        lagMarginMs: RESPONSES_LAG_MARGIN_MS,
        windowMs: input.windowMs ?? RESPONSES_WINDOW_MS,
      });
      if (ahead) {
        log.warn("Response watermark is ahead of Optimizely's time now: reading back to the retention limit", {
          client: input.client,
          watermark: previousWatermark,
          serverNow: new Date(serverNow).toISOString(),
        });
        // The windows only move the mark forward: set back to where this run reads from.
        await deps.store.watermarks.reset({ client: input.client, kind: RESPONSES_WATERMARK, at: new Date(plan.since).toISOString() });
      }
      const existing = await deps.store.runs.get(input.runId);
      await deps.store.runs.upsert({
        runId: input.runId,
        kind: 'responses',
        client: input.client,
        listKey: null,
        status: 'running',
        startedAt: existing?.startedAt ?? now(),
        endedAt: null,
        counts: existing?.counts ?? {},
        snapshot: null,
      });
      const lag = { client: input.client, watermark: previousWatermark, lostBeforeMs: plan.lostBeforeMs, windows: plan.windows.length };
      if (plan.lostBeforeMs > 0)
        log.warn('Response data expired before it was read', { ...lag, lostHours: Math.round(plan.lostBeforeMs / 36e5) });
      else if (plan.lagging) log.warn('Response ingestion is lagging: data expires soon', lag);
      return { ...plan, ...(previousWatermark ? { previousWatermark } : {}) };
    },

    async ingestResponseWindow(input: IngestResponseWindowInput): Promise<IngestResponseWindowOutput> {
      const checkpoint = readCheckpoint(windowCheckpointSchema, 'response window');
      // Counts from an older deploy may lack an outcome added since: start from zeros and add them in.
      const resumeFrom: WindowCheckpoint | undefined = checkpoint && {
        ...checkpoint,
        counts: addCounts(emptyCounts(), checkpoint.counts as ResponseCounts),
      };
      const counts = await withKeepalive<WindowCheckpoint, Awaited<ReturnType<typeof ingestWindow>>>(
        (beat) =>
          ingestWindow(
            {
              client: clientOf(input.client),
              optimizely: deps.optimizely(input.client),
              store: deps.store,
              crm: deps.crm,
              heartbeat: beat,
              signal: cancellationSignal(),
              runId: input.runId,
              ...(resumeFrom ? { resumeFrom } : {}),
              ...(deps.responseThread ? { openIngester: deps.responseThread.openWindow } : {}),
            },
            { since: input.since, until: input.until },
          ),
        resumeFrom,
      );
      const watermark = new Date(input.until).toISOString();
      const unresolvedOptOut = totalCounts(counts).unresolvedOptOut;
      if (unresolvedOptOut > 0)
        log.warn(UNRESOLVED_OPT_OUTS, {
          client: input.client,
          rows: unresolvedOptOut,
        });
      log.info('Response window ingested', { client: input.client, watermark, resumed: resumeFrom !== undefined, ...totalCounts(counts) });
      return { counts, watermark };
    },

    async finishResponseIngest(input: FinishResponseIngestInput): Promise<void> {
      const run = await deps.store.runs.get(input.runId);
      const counts = {
        ...flattenCounts(input.counts),
        windows: input.windows,
        lagging: input.lagging ? 1 : 0,
        lostBeforeMs: input.lostBeforeMs,
      };
      await deps.store.runs.upsert({
        runId: input.runId,
        kind: 'responses',
        client: input.client,
        listKey: null,
        status: input.status,
        startedAt: run?.startedAt ?? now(),
        endedAt: now(),
        counts,
        snapshot: null,
      });
    },
  };
}
