// TEST ONLY, bundled into the workflow code of crash tests (bundleWorkflows({ shortHeartbeats: true })):
// every heartbeated activity gets a 3 s heartbeat timeout instead of the production 30 s, so a killed
// worker's activity is handed to the next worker in seconds. Production workflow code has no such knob.
import type { ActivityInput, Next, WorkflowInterceptorsFactory, WorkflowOutboundCallsInterceptor } from '@temporalio/workflow';

export const TEST_HEARTBEAT_TIMEOUT = '3 seconds';

const outbound: WorkflowOutboundCallsInterceptor = {
  scheduleActivity(input: ActivityInput, next: Next<WorkflowOutboundCallsInterceptor, 'scheduleActivity'>) {
    if (input.options.heartbeatTimeout === undefined) return next(input);
    return next({ ...input, options: { ...input.options, heartbeatTimeout: TEST_HEARTBEAT_TIMEOUT } });
  },
};

export const interceptors: WorkflowInterceptorsFactory = () => ({ outbound: [outbound] });
