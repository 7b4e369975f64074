import {
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
  WorkflowUpdateRPCTimeoutOrCancelledError,
  type Client,
  type WorkflowHandle,
} from '@temporalio/client';
import { ApplicationFailure, type UpdateDefinition } from '@temporalio/common';
import { ACTION_REFUSED, type OperatorAnswer } from '../../workflows/operator-messages';
import { ActionRefusedError } from '../errors/action-refused-error';
import { NoWorkerAnswerError } from '../errors/no-worker-answer-error';
import { NotFoundError } from '../errors/not-found-error';

/** How long an operator waits for a workflow's answer before being told no worker is answering. */
export const ANSWER_DEADLINE_MS = 10_000;

/**
 * Sends an operator Update and returns the workflow's answer. A refusal becomes ActionRefusedError
 * with the workflow's reason; no answer within the deadline becomes NoWorkerAnswerError (the Update
 * may still be delivered when a worker polls again: `status` shows whether it was).
 */
export async function askWorkflow<M>(
  temporal: Client,
  handle: WorkflowHandle,
  update: UpdateDefinition<OperatorAnswer, [M]>,
  message: M,
  deadlineMs = ANSWER_DEADLINE_MS,
): Promise<OperatorAnswer> {
  try {
    return await temporal.withDeadline(Date.now() + deadlineMs, () => handle.executeUpdate(update, { args: [message] }));
  } catch (error) {
    throw answerError(error, handle.workflowId, update.name, deadlineMs);
  }
}

function answerError(error: unknown, workflowId: string, action: string, deadlineMs: number): unknown {
  if (error instanceof WorkflowUpdateFailedError && error.cause instanceof ApplicationFailure && error.cause.type === ACTION_REFUSED) {
    return new ActionRefusedError(workflowId, action, error.cause.message, { cause: error });
  }
  if (error instanceof WorkflowNotFoundError)
    return new NotFoundError('open workflow', workflowId, 'it closed before it could answer', { cause: error });
  if (error instanceof WorkflowUpdateRPCTimeoutOrCancelledError || isDeadlineExceeded(error)) {
    return new NoWorkerAnswerError(workflowId, `${action}`, deadlineMs, { cause: error });
  }
  return error;
}

/** gRPC DEADLINE_EXCEEDED (code 4), as the client surfaces it for a query or an Update. */
export function isDeadlineExceeded(error: unknown): boolean {
  for (let e = error; e instanceof Error; e = (e as { cause?: unknown }).cause) {
    if ((e as { code?: unknown }).code === 4 || /deadline exceeded/i.test(e.message)) return true;
  }
  return false;
}
