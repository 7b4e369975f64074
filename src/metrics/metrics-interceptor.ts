import type { ActivityInterceptorsFactory } from '@temporalio/worker';
import { systemClock, type Clock } from '../clock';
import { recordActivity } from './record-activity';
import type { SyncMetrics } from './sync-metrics';

/** A worker-side activity interceptor that feeds completed activities into the metrics. */
export function metricsInterceptor(metrics: SyncMetrics, now: Clock = systemClock): ActivityInterceptorsFactory {
  return (ctx) => ({
    inbound: {
      async execute(input, next) {
        const output = await next(input);
        try {
          const { activityType, workflowExecution } = ctx.info;
          recordActivity(metrics, {
            activityType,
            workflowId: workflowExecution?.workflowId ?? '',
            input: input.args[0],
            output,
            now: now(),
          });
        } catch (error) {
          // Metrics must never fail an activity that succeeded.
          ctx.log.warn('metrics not recorded', { error: String(error) });
        }
        return output;
      },
    },
  });
}
