import { RESULT_CODES } from '../optimizely/api/result-codes';

// addAll3's per-recipient codes in words, for people reading a report or a `why` answer.
const WORDS: Record<string, string> = {
  added: 'added',
  invalid: 'invalid address',
  unsubscribed: 'unsubscribed',
  blocklisted: 'blocklisted',
  bouncedOut: 'bounced out',
  alreadyInList: 'already in the list',
  filtered: 'filtered',
  error: 'error',
};

const BY_CODE = new Map(Object.entries(RESULT_CODES).map(([name, code]) => [String(code), WORDS[name] ?? name]));

export function resultCodeText(code: number | string): string {
  return `${code} (${BY_CODE.get(String(code)) ?? 'unknown'})`;
}
