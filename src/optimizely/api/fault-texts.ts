// Fault strings as the real service writes them (API notes §8.2) and as the simulator writes them
// where the real text is unknown (marked "guess"). The client matches on these, the simulator emits
// them: one place for both. They are also the client's allow-list: of a fault text, only the
// template found in it reaches an error message (client/redact-fault-text.ts), so a template must
// never hold recipient data or credentials.
export const FAULT_PREFIX = 'broadmail.api.soap11.impl.WebserviceImplException: ';
export const INVALID_SESSION_PREFIX = 'optivo.core.util.DontLogMeException: broadmail.api.soap11.impl.InvalidWebserviceSessionException: ';

export const FAULT_TEXTS = {
  invalidCredentials: 'Invalid credentials.',
  /** Substring that identifies an expired or unknown session. */
  invalidSession: 'Invalid sessionId',
  /** Also a prefix of the "does not exists" (sic) variant of setAttributes / getAttributes. */
  recipientMissing: 'Recipient does not exist',
  /** Sic: "exists" on setAttributes / getAttributes. */
  recipientMissingAttributes: 'Recipient does not exists',
  batchUpdateFailed: 'Error updating users in userlist',
  noUnsubscribe: 'No unsubscribe found',
  // Guesses (API notes §12.4): the real texts are unknown.
  unknownList: 'Recipient list does not exist',
  unknownAttribute: 'Unknown attribute name',
  arrayLengthMismatch: 'Array lengths do not match',
  batchLimit: 'Too many elements, the maximum per call is',
  unknownOperation: 'No such operation',
  malformedRequest: 'Malformed request',
  invalidArgument: 'Invalid argument',
  tooManyConnections: 'Too many concurrent connections for this client',
  /** The simulator's per-client session cap (the real limit, if any, is unknown). */
  tooManySessions: 'Too many open sessions for this client',
  injected: 'Simulated internal error',
  /** Guess: a call refused because of one recipient's values (per-recipient problems are usually result codes). */
  recipientRefused: 'Recipient data rejected',
  /** The simulator's injected permanent refusal of a whole call (not about its recipients). */
  injectedPermanent: 'Simulated permanent refusal',
  notFound: 'Not found',
} as const;
