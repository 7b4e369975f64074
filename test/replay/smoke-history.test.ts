import { Worker } from '@temporalio/worker';
import { loadHistory, replayHistory } from '../helpers/replay';

describe('smokeWorkflow history', () => {
  it('replays the committed history without a determinism violation', async () => {
    await expect(replayHistory('smoke.json')).resolves.toBeUndefined();
  });

  it('reports a failure when the history no longer matches the workflow code', async () => {
    const history = loadHistory('smoke.json');
    history.events[0].workflowExecutionStartedEventAttributes.workflowType.name = 'noSuchWorkflow';
    await expect(Worker.runReplayHistory({ workflowsPath: require.resolve('../../workflows') }, history)).rejects.toThrow();
  });
});
