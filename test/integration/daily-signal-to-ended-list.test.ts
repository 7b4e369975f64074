import { WorkflowFailedError } from '@temporalio/client';
import { historyText } from '../helpers/history-text';
import { signalToEndedList } from '../helpers/signal-to-ended-list';
import { taskQueueFor } from '../helpers/temporal-env';
import { useWorkflowTestEnv } from '../helpers/workflow-test-env';

// A pauseList or resumeList signal to the daily run is forwarded to the list's sync while the daily
// run's status says it runs. A signal delivered in the same workflow task as the list sync's end is
// handled first (the SDK runs signal handlers before it resolves the child), so the forward went to a
// workflow that had ended: its failure, thrown from the signal handler, failed the whole daily run
// ("Unable to signal external workflow because it was not found"), and the lists still queued never
// ran. Made certain here: no worker polls while the list sync ends and the signal is sent.

describe('an operator signal to a list whose sync has just ended', () => {
  const temporal = useWorkflowTestEnv();

  it.each(['pauseList', 'resumeList'] as const)(
    '%s: the daily run goes on with the other lists and fails for the ended one alone',
    async (signal) => {
      const { workflowId, outcome, calls } = await signalToEndedList(temporal, taskQueueFor(`signal to ended list ${signal}`), signal);
      expect(outcome).not.toHaveProperty('stuck');
      // A daily run with a failed list fails at its end, naming the list: the ended newsletter, nothing else.
      const failed = (outcome as { error?: WorkflowFailedError }).error;
      expect(failed).toBeInstanceOf(WorkflowFailedError);
      expect(failed?.cause?.message).toBe('List syncs failed: newsletter');
      expect(calls).toContain('export:offers');
      expect(await historyText(temporal.env.client, workflowId)).toContain('daily-signal-to-ended-list');
    },
  );
});
