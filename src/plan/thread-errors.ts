import { ownValue } from '../own-value';
import { errorOfClassName } from '../errors/error-of-class-name';
import { OptimizelyArgumentError } from '../errors/optimizely-argument-error';
import { OptimizelyAuthError } from '../errors/optimizely-auth-error';
import { OptimizelyFaultError, type OptimizelyErrorContext } from '../errors/optimizely-fault-error';
import { OptimizelyResponseError } from '../errors/optimizely-response-error';
import { OptimizelyResponseRejectedError } from '../errors/optimizely-response-rejected-error';
import { OptimizelySessionError } from '../errors/optimizely-session-error';
import { OptimizelyTransientError } from '../errors/optimizely-transient-error';

// An error of the reading thread crosses to the main thread as plain data and is rebuilt there as
// the same class with the same name, message and context: the activity's retry decision (by error
// type) and every `instanceof` check see what an in-process read would have thrown. The message is
// already what the client put in it (recipient data redacted there), nothing is added.

/** An error as posted by the reading thread. */
export interface ThreadError {
  name: string;
  message: string;
  context: Omit<OptimizelyErrorContext, 'cause'>;
}

const CLASSES: Record<string, new (reason: string, context?: OptimizelyErrorContext) => OptimizelyFaultError> = {
  OptimizelyFaultError,
  OptimizelyResponseError,
  OptimizelyResponseRejectedError,
  OptimizelyTransientError,
  OptimizelySessionError,
  OptimizelyAuthError,
  OptimizelyArgumentError,
};

export function toThreadError(error: unknown): ThreadError {
  if (!(error instanceof Error)) return { name: 'Error', message: describe(error), context: {} };
  const { service, operation, subject, faultCode, httpStatus } = error as Partial<OptimizelyFaultError>;
  return { name: error.name, message: error.message, context: { service, operation, subject, faultCode, httpStatus } };
}

/** The posted error as its own class (an Optimizely error), else an Error of the same name and message. */
export function fromThreadError(posted: ThreadError): Error {
  const Class = ownValue(CLASSES, posted.name);
  if (!Class) return errorOfClassName(posted.name, posted.message);
  // Built without operation or subject so the constructor adds no prefix: the message already has it.
  const error = new Class(posted.message);
  return Object.assign(error, posted.context);
}

function describe(thrown: unknown): string {
  try {
    return String(thrown);
  } catch {
    return 'a thrown value that is not an Error';
  }
}
