import { DeterminismViolationError } from '@temporalio/workflow';
import { loadHistory, replayHistory, replayLoadedHistory } from '../helpers/replay';

describe('smokeWorkflow history', () => {
  it('replays the committed history without a determinism violation', async () => {
    await expect(replayHistory('smoke.json')).resolves.toBeUndefined();
  });

  it('reports a determinism violation when the workflow calls another activity than recorded', async () => {
    const history = loadHistory('smoke.json');
    const scheduled = history.events.find(
      (e: { activityTaskScheduledEventAttributes?: unknown }) => e.activityTaskScheduledEventAttributes,
    );
    scheduled.activityTaskScheduledEventAttributes.activityType.name = 'someOtherActivity';
    // Through the same shared bundle as every committed history: the replay path itself can fail.
    await expect(replayLoadedHistory(history, 'smoke-altered')).rejects.toThrow(DeterminismViolationError);
  });
});
