// Maps a SOAP fault or a bare HTTP status to the error class the retry policies key on. The fault
// texts are the ones in ../api/fault-texts.ts, shared with the simulator. Only the bounded start of
// a fault text is searched, and only its known template and an allow-listed fault code reach the
// message (see redact-fault-text.ts).
import { OptimizelyArgumentError } from '../../errors/optimizely-argument-error';
import { OptimizelyAuthError } from '../../errors/optimizely-auth-error';
import { OptimizelyFaultError, type OptimizelyErrorContext } from '../../errors/optimizely-fault-error';
import { OptimizelySessionError } from '../../errors/optimizely-session-error';
import { OptimizelyTransientError } from '../../errors/optimizely-transient-error';
import { FAULT_TEXTS } from '../api/fault-texts';
import { redactFaultCode } from './redact-fault-code';
import { boundFaultText, knownFaultTemplate, redactFaultText } from './redact-fault-text';

type ErrorClass = new (reason: string, context: OptimizelyErrorContext) => OptimizelyFaultError;

const CLASS_BY_TEMPLATE: ReadonlyMap<string, ErrorClass> = new Map<string, ErrorClass>([
  [FAULT_TEXTS.invalidSession, OptimizelySessionError],
  [FAULT_TEXTS.invalidCredentials, OptimizelyAuthError],
  [FAULT_TEXTS.tooManyConnections, OptimizelyTransientError],
  [FAULT_TEXTS.tooManySessions, OptimizelyTransientError],
  ...[
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
    FAULT_TEXTS.recipientRefused,
    FAULT_TEXTS.injectedPermanent,
  ].map((text): [string, ErrorClass] => [text, OptimizelyArgumentError]),
]);

/**
 * The class for a fault. A fault whose text no template matches stays the retryable base class:
 * Axis reports passing server trouble (a database timeout, a restart) as userExceptions with texts
 * nobody documented, and the activity's retry policy bounds how often it is asked again. Reading
 * such a fault costs bounded work, so a broken endpoint cannot stall the worker between retries.
 */
function classFor(faultCode: string, template: string | undefined): ErrorClass {
  const known = template === undefined ? undefined : CLASS_BY_TEMPLATE.get(template);
  if (known) return known;
  // SOAP 1.1: a Client fault means the message itself was wrong and must not be resent unchanged.
  if (/(^|:)Client(\.|$)/.test(faultCode)) return OptimizelyArgumentError;
  return OptimizelyFaultError;
}

export function faultToError(fault: { faultCode: string; faultString: string }, context: OptimizelyErrorContext): OptimizelyFaultError {
  const faultCode = redactFaultCode(fault.faultCode);
  const ErrorClass = classFor(faultCode, knownFaultTemplate(boundFaultText(fault.faultString)));
  return new ErrorClass(`fault ${faultCode}: ${redactFaultText(fault.faultString)}`, { ...context, faultCode });
}

/** An HTTP answer that carried no SOAP fault (`what` says what it carried): 401/403 are refusals, 408/429/5xx may pass. */
export function statusToError(status: number, context: OptimizelyErrorContext, what = 'without a SOAP fault'): OptimizelyFaultError {
  const reason = `HTTP ${status} ${what}`;
  if (status === 401 || status === 403) return new OptimizelyAuthError(reason, { ...context, httpStatus: status });
  if (status === 408 || status === 429 || status >= 500) return new OptimizelyTransientError(reason, { ...context, httpStatus: status });
  return new OptimizelyFaultError(reason, { ...context, httpStatus: status });
}
