import { ApplicationFailure, ActivityFailure, ChildWorkflowFailure, RetryState } from '@temporalio/common';
import { failureReason } from '../../workflows/failure-reason';

describe('failureReason', () => {
  it('names the innermost cause of a child workflow failure', () => {
    const root = ApplicationFailure.nonRetryable('list newsletter failed the pre-flight check: lacks "nickname"', 'ListPreflightError');
    const activity = new ActivityFailure('Activity task failed', 'preflightList', '1', RetryState.NON_RETRYABLE_FAILURE, 'worker', root);
    const child = new ChildWorkflowFailure(
      'default',
      { workflowId: 'w', runId: 'r' },
      'listSyncWorkflow',
      RetryState.NON_RETRYABLE_FAILURE,
      activity,
    );
    expect(failureReason(child)).toBe('list newsletter failed the pre-flight check: lacks "nickname"');
  });

  it('keeps an error without a cause as it is, and what is not an error as text', () => {
    expect(failureReason(new Error('boom'))).toBe('Error: boom');
    expect(failureReason('plain')).toBe('plain');
  });
});
