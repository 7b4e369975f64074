// addAll3 / add2 per-recipient result codes (API notes §3.3).
export const RESULT_CODES = {
  added: 0,
  invalid: 1,
  unsubscribed: 2,
  blocklisted: 3,
  bouncedOut: 4,
  alreadyInList: 5,
  filtered: 6,
  error: 7,
} as const;

export type ResultCode = (typeof RESULT_CODES)[keyof typeof RESULT_CODES];
