// Maps a SOAP fault or a bare HTTP status to the error class the retry policies key on. The fault
// texts are the ones in ../api/fault-texts.ts, shared with the simulator.
import { OptimizelyArgumentError } from '../../errors/optimizely-argument-error';
import { OptimizelyAuthError } from '../../errors/optimizely-auth-error';
import { OptimizelyFaultError, type OptimizelyErrorContext } from '../../errors/optimizely-fault-error';
import { OptimizelySessionError } from '../../errors/optimizely-session-error';
import { OptimizelyTransientError } from '../../errors/optimizely-transient-error';
import { FAULT_TEXTS } from '../api/fault-texts';
import { redactFaultText } from './redact-fault-text';

type ErrorClass = new (reason: string, context: OptimizelyErrorContext) => OptimizelyFaultError;

const ARGUMENT_TEXTS: readonly string[] = [
  FAULT_TEXTS.recipientMissing,
  FAULT_TEXTS.recipientMissingAttributes,
  FAULT_TEXTS.batchUpdateFailed,
  FAULT_TEXTS.noUnsubscribe,
  FAULT_TEXTS.unknownList,
  FAULT_TEXTS.unknownAttribute,
  FAULT_TEXTS.arrayLengthMismatch,
  FAULT_TEXTS.batchLimit,
  FAULT_TEXTS.unknownOperation,
  FAULT_TEXTS.malformedRequest,
  FAULT_TEXTS.invalidArgument,
  FAULT_TEXTS.notFound,
];

/** The class for a fault; first match wins, unknown server faults stay the retryable base class. */
function classFor(faultCode: string, faultString: string): ErrorClass {
  if (faultString.includes(FAULT_TEXTS.invalidSession)) return OptimizelySessionError;
  if (faultString.includes(FAULT_TEXTS.invalidCredentials)) return OptimizelyAuthError;
  if (faultString.includes(FAULT_TEXTS.tooManyConnections)) return OptimizelyTransientError;
  if (ARGUMENT_TEXTS.some((text) => faultString.includes(text))) return OptimizelyArgumentError;
  // SOAP 1.1: a Client fault means the message itself was wrong and must not be resent unchanged.
  if (/(^|:)Client(\.|$)/.test(faultCode)) return OptimizelyArgumentError;
  return OptimizelyFaultError;
}

export function faultToError(
  fault: { faultCode: string; faultString: string },
  context: OptimizelyErrorContext,
): OptimizelyFaultError {
  const ErrorClass = classFor(fault.faultCode, fault.faultString);
  return new ErrorClass(`fault ${fault.faultCode}: ${redactFaultText(fault.faultString)}`, { ...context, faultCode: fault.faultCode });
}

/** An HTTP answer that carried no SOAP fault: 401/403 are refusals, 408/429/5xx may pass. */
export function statusToError(status: number, context: OptimizelyErrorContext): OptimizelyFaultError {
  const reason = `HTTP ${status} without a SOAP fault`;
  if (status === 401 || status === 403) return new OptimizelyAuthError(reason, { ...context, httpStatus: status });
  if (status === 408 || status === 429 || status >= 500) return new OptimizelyTransientError(reason, { ...context, httpStatus: status });
  return new OptimizelyFaultError(reason, { ...context, httpStatus: status });
}
