import { UNRESOLVED_OPT_OUTS } from '../src/feedback/feedback-tally';
import { activityInfo, cancellationSignal, log } from '@temporalio/activity';
import { importFeedback } from '../src/feedback/import-feedback';
import { feedbackOutput } from '../src/feedback/feedback-output';
import { runDir } from '../src/sync/run-dir';
import { systemClock } from '../src/clock';
import { clientByKey } from '../src/config/client-by-key';
import type { ActivityDependencies } from './deps';
import { withKeepalive } from './keepalive';
import type { ImportFeedbackInput, ImportFeedbackOutput } from './feedback-types';

/** Bounces and unsubscribes from Optimizely into the CRM, before any list is exported. */
export function createFeedbackActivities(deps: ActivityDependencies) {
  return {
    async importFeedback(input: ImportFeedbackInput): Promise<ImportFeedbackOutput> {
      const client = clientByKey(deps.config, input.client);
      // The wall clock, not deps.now: compared with the suppression ledger's recorded_at, which the
      // store stamps with wall time.
      const startedAt = systemClock().toISOString();
      // Stable across this activity's retries: they reuse what the first attempt fetched from ClosedLoop.
      const { workflowExecution, activityId } = activityInfo();
      const invocation = workflowExecution ? `${workflowExecution.runId}/${activityId}` : undefined;
      const result = await withKeepalive<unknown, Awaited<ReturnType<typeof importFeedback>>>((beat) =>
        importFeedback({
          client,
          optimizely: deps.optimizely(input.client),
          store: deps.store,
          crm: deps.crm,
          runDir: runDir(deps.config.dataDir, input.client, input.runId),
          runId: input.runId,
          now: deps.now,
          retentionRunDays: deps.config.retention.runDays,
          heartbeat: beat,
          invocation,
          // Heard through the keepalive's heartbeats (sent at least every 5 s, src/worker.ts): a cancel, or
          // the attempt's own timeout, stops it before its next page, file or batch of rows.
          signal: cancellationSignal(),
        }),
      );
      const rejectedLines = [...result.bounces.rejectedLines, ...result.unsubscribes.rejectedLines];
      if (rejectedLines.length > 0) log.warn('Feedback rows rejected', { client: input.client, lines: rejectedLines });
      if (result.dropped.quarantined.length > 0)
        log.warn('Feedback files quarantined', { client: input.client, files: result.dropped.quarantined });
      if (result.dropped.changing.length > 0)
        log.warn('Feedback files changed while read, left for the next run', { client: input.client, files: result.dropped.changing });
      // The suppression ledger is written before the CRM (and whatever the CRM does): its recording time
      // is when the opt-out took effect for every later export.
      const consentLatencyMinutes = await deps.store.suppressions.latencyMinutes(input.client, startedAt);
      const output = { ...feedbackOutput(result), consentLatencyMinutes };
      if ((output.unresolvedOptOut ?? 0) > 0)
        log.warn(UNRESOLVED_OPT_OUTS, {
          client: input.client,
          rows: output.unresolvedOptOut,
        });
      log.info('Feedback imported', { client: input.client, ...output, files: output.files.length });
      return output;
    },
  };
}
