import { activityInfo } from '@temporalio/activity';

export interface DescribeStackInput {
  requestedBy: string;
}

export interface DescribeStackOutput {
  taskQueue: string;
}

/** The smoke test's activity: answers from inside a real worker with the queue it polls. */
export function createStackActivities() {
  return {
    async describeStack(_input: DescribeStackInput): Promise<DescribeStackOutput> {
      return { taskQueue: activityInfo().taskQueue };
    },
  };
}
