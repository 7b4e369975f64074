/** Where a failure happened and what the server said, without recipient data or credentials. */
export interface OptimizelyErrorContext {
  /** Service name as in the API table, e.g. 'Recipient'. */
  service?: string;
  operation?: string;
  /** What the call was about, e.g. `list 4711` (ids from the configuration, never recipient data). */
  subject?: string;
  /** SOAP faultcode, e.g. 'soapenv:Server.userException'. */
  faultCode?: string;
  httpStatus?: number;
  cause?: unknown;
}

/**
 * Base of every error the Optimizely client throws. Thrown as itself for a SOAP fault that no rule
 * recognises; such faults stay retryable because nothing says they are permanent. The message holds
 * the fault text with recipient ids, addresses and session ids redacted, so it may enter a workflow
 * history.
 */
export class OptimizelyFaultError extends Error {
  /** Transient: a retry may succeed. */
  static readonly retryable: boolean = true;

  override readonly name: string = 'OptimizelyFaultError';
  readonly service?: string;
  readonly operation?: string;
  readonly subject?: string;
  readonly faultCode?: string;
  readonly httpStatus?: number;

  constructor(reason: string, context: OptimizelyErrorContext = {}) {
    const about = context.subject ? `${context.subject}: ` : '';
    const where = context.operation ? `${context.service ?? '?'}.${context.operation}: ${about}` : about;
    super(`${where}${reason}`, context.cause === undefined ? undefined : { cause: context.cause });
    this.service = context.service;
    this.operation = context.operation;
    this.subject = context.subject;
    this.faultCode = context.faultCode;
    this.httpStatus = context.httpStatus;
  }
}
