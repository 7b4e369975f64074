// One SOAP call end to end: session, concurrency permit, envelope, HTTP, decoding, fault mapping,
// and the single re-login + retry on "Invalid sessionId".
import type { OptimizelyErrorContext, OptimizelyFaultError } from '../../errors/optimizely-fault-error';
import { OptimizelyResponseError } from '../../errors/optimizely-response-error';
import { OptimizelyResponseRejectedError } from '../../errors/optimizely-response-rejected-error';
import { OptimizelySessionError } from '../../errors/optimizely-session-error';
import { OptimizelyTransientError } from '../../errors/optimizely-transient-error';
import { responseCapBytes } from '../api/response-caps';
import { findOperation, isIdempotentRead, SOAP_NAMESPACE } from '../api/surface';
import type { OperationSpec } from '../api/types';
import type { ClientPermits } from './call-permits';
import { callSignal } from './call-signal';
import { readResponse } from './codec/response-reader';
import { writeRequest, type ParamNaming } from './codec/request-writer';
import type { SoapValue } from './codec/soap-value';
import { faultToError, statusToError } from './fault-to-error';
import { boundFaultText } from './redact-fault-text';
import type { SoapTransport } from './http-transport';
import type { CallOptions } from './optimizely-port';
import { ResponseRejection } from './response-rejection';
import { isRetryableFault, retryRead } from './retry-read';
import type { SessionManager } from './session-manager';

export interface SoapCallerOptions {
  baseUrl: string;
  transport: SoapTransport;
  /** The client's call budget and its read budget (local or shared by every worker). */
  permits: ClientPermits;
  timeoutMs: number;
  naming: ParamNaming;
  /** Wait before a read's second try within the call; 200 ms unless given. */
  readRetryDelayMs?: number;
}

/** For the service layer only: reads the bounded text of a fault before it is redacted into an error. */
export interface FaultReader {
  readFault?: (boundedFaultText: string) => void;
  /** Named in every error of the call (`list 4711`), so a refused answer says which list it was about. */
  subject?: string;
}

export class SoapCaller {
  private readonly urls = new Map<string, URL>();
  private sessions?: SessionManager;
  private closed = false;

  constructor(private readonly options: SoapCallerOptions) {}

  useSessions(sessions: SessionManager): void {
    this.sessions = sessions;
  }

  /** Refuses further calls; in-flight calls finish. */
  close(): void {
    this.closed = true;
  }

  /**
   * Calls an operation; the session id is supplied here, so `args` start after it. A read is asked
   * again (up to three tries in all) on a fault that may pass: one activity may make dozens of reads
   * (the unsubscribe check asks per 1,000 recipients), and without this one fault in any of them
   * failed the whole activity and all its reads were made again, so at a 10% fault rate a 20-read
   * activity rarely got through. A write is never retried here: its retry is the activity's.
   */
  async call(service: string, operation: string, args: readonly SoapValue[], options: CallOptions & FaultReader = {}): Promise<SoapValue> {
    const spec = findOperation(service, operation);
    if (!spec) throw new Error(`${service}.${operation} is not in the API table`);
    if (!isIdempotentRead(spec.name)) return this.callInSession(service, spec, args, options);
    return retryRead(() => this.callInSession(service, spec, args, options), {
      delayMs: this.options.readRetryDelayMs,
      retryOn: (error) => worthAskingAgain(error, options.signal),
    });
  }

  private async callInSession(
    service: string,
    spec: OperationSpec,
    args: readonly SoapValue[],
    options: CallOptions & FaultReader,
  ): Promise<SoapValue> {
    const sessions = this.sessions;
    if (spec.params[0]?.name !== 'sessionId' || !sessions) return this.exchange(service, spec, args, options);
    const firstId = await this.sessionWithin(sessions, { service, operation: spec.name, subject: options.subject }, options);
    try {
      return await this.exchange(service, spec, [firstId, ...args], options);
    } catch (error) {
      if (!(error instanceof OptimizelySessionError)) throw error;
      sessions.invalidate(firstId);
    }
    const secondId = await this.sessionWithin(sessions, { service, operation: spec.name, subject: options.subject }, options);
    return this.exchange(service, spec, [secondId, ...args], options);
  }

  /**
   * The session id, waited for within the call's own bounds. The login is shared by every caller and
   * runs under the client's timeout, so a call with a shorter `timeoutMs`, or whose caller gave up,
   * waited for a login that never finished as long as the client's timeout (60 s by default) before
   * its own clock even started. The login itself goes on for the callers still waiting.
   */
  private async sessionWithin(sessions: SessionManager, context: OptimizelyErrorContext, options: CallOptions): Promise<string> {
    const timeoutMs = options.timeoutMs ?? this.options.timeoutMs;
    const wait = callSignal(timeoutMs, options.signal);
    const given = new Promise<never>((_resolve, reject) =>
      wait.signal.addEventListener('abort', () => reject(wait.signal.reason), { once: true }),
    );
    try {
      return await Promise.race([sessions.sessionId(), given]);
    } catch (error) {
      if (options.signal?.aborted) throw options.signal.reason;
      if (!wait.timedOut()) throw error;
      const timedOut = new OptimizelyTransientError(`timed out after ${timeoutMs} ms waiting for the session's login`, {
        ...context,
        cause: error,
      });
      timedOut.timedOut = true;
      throw timedOut;
    } finally {
      wait.dispose();
    }
  }

  /** Calls an operation with exactly the given arguments (login, logout). */
  callRaw(service: string, operation: string, args: readonly SoapValue[], options: CallOptions = {}): Promise<SoapValue> {
    const spec = findOperation(service, operation);
    if (!spec) throw new Error(`${service}.${operation} is not in the API table`);
    return this.exchange(service, spec, args, options);
  }

  private async exchange(
    service: string,
    spec: OperationSpec,
    args: readonly SoapValue[],
    options: CallOptions & FaultReader,
  ): Promise<SoapValue> {
    const context = { service, operation: spec.name, subject: options.subject };
    if (this.closed) throw new Error(`${service}.${spec.name} called after the Optimizely client was closed`);
    const body = writeRequest({ service, namespace: SOAP_NAMESPACE(service), operation: spec, args, naming: this.options.naming });
    const release = await this.takeSlots(service, spec.name, options.signal);
    const timeoutMs = options.timeoutMs ?? this.options.timeoutMs;
    const attempt = callSignal(timeoutMs, anySignal(options.signal, this.options.permits.calls.revoked));
    let reply;
    try {
      reply = await this.options.transport.post(this.url(service), body, attempt.signal, responseCapBytes(spec), {
        // Sent again on a reset keep-alive connection only when asking twice cannot apply anything twice.
        resendOnStaleConnection: isIdempotentRead(spec.name),
      });
    } catch (cause) {
      if (options.signal?.aborted) throw options.signal.reason;
      if (cause instanceof ResponseRejection) throw rejectionToError(cause, context);
      const reason = attempt.timedOut() ? `timed out after ${timeoutMs} ms` : `connection failed (${errorCode(cause)})`;
      const error = new OptimizelyTransientError(reason, { ...context, cause });
      error.timedOut = attempt.timedOut();
      throw error;
    } finally {
      attempt.dispose();
      release();
    }
    let decoded;
    try {
      decoded = readResponse(reply.body, spec, context);
    } catch (error) {
      if (reply.status !== 200) throw statusToError(reply.status, { ...context, cause: error });
      throw error;
    }
    if (decoded.kind === 'fault') {
      options.readFault?.(boundFaultText(decoded.faultString));
      throw faultToError(decoded, { ...context, httpStatus: reply.status });
    }
    if (reply.status !== 200) throw statusToError(reply.status, context);
    return decoded.value;
  }

  /** A read slot first for the reads Optimizely limits to 10 at once, so no connection slot idles meanwhile. */
  private async takeSlots(service: string, operation: string, signal?: AbortSignal): Promise<() => void> {
    const { calls, reads } = this.options.permits;
    if (!isLimitedRead(service, operation)) return calls.acquire(signal);
    const releaseRead = await reads.acquire(signal);
    try {
      const releaseCall = await calls.acquire(signal);
      return () => {
        releaseCall();
        releaseRead();
      };
    } catch (error) {
      releaseRead();
      throw error;
    }
  }

  private url(service: string): URL {
    let url = this.urls.get(service);
    if (!url) {
      url = new URL(`${this.options.baseUrl}/soap11/Rpc${service}`);
      this.urls.set(service, url);
    }
    return url;
  }
}

/** `Recipient.getCount`: at most 10 concurrent per client, shared with REST (API reference, Recipient). */
export function isLimitedRead(service: string, operation: string): boolean {
  return service === 'Recipient' && operation === 'getCount';
}

/**
 * Whether a failed read is asked again within the call: a retryable fault, but not a rejected session
 * (call already logged in again once), not an answer that made no sense (the activity's retry asks
 * again later; a server answering nonsense seldom mends in a second), not a timeout (another would likely wait as long; the
 * activity's retry backs off instead) and not once the caller gave up.
 */
function worthAskingAgain(error: unknown, signal: AbortSignal | undefined): boolean {
  if (signal?.aborted || !isRetryableFault(error)) return false;
  if (error instanceof OptimizelySessionError || error instanceof OptimizelyResponseError) return false;
  return !(error instanceof OptimizelyTransientError && error.timedOut);
}

/**
 * A refused body at an error status is read as that status, as an unreadable body at it is: a proxy's
 * 503 page in Latin-1 or a 500 with a stack trace over the cap is the passing trouble the status
 * names, not an answer refused for good. Only a 200 answer refused is OptimizelyResponseRejectedError.
 */
function rejectionToError(rejection: ResponseRejection, context: OptimizelyErrorContext): OptimizelyFaultError {
  if (rejection.status !== 200)
    return statusToError(rejection.status, { ...context, cause: rejection }, `body refused (${rejection.message})`);
  if (rejection.cutShort) return new OptimizelyResponseError(rejection.message, { ...context, cause: rejection });
  return new OptimizelyResponseRejectedError(rejection.message, { ...context, cause: rejection });
}

function anySignal(...signals: (AbortSignal | undefined)[]): AbortSignal | undefined {
  const present = signals.filter((s): s is AbortSignal => s !== undefined);
  return present.length <= 1 ? present[0] : AbortSignal.any(present);
}

function errorCode(cause: unknown): string {
  const code = (cause as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' ? code : cause instanceof Error ? cause.message : 'unknown error';
}
