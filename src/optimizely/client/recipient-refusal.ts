// The one place that decides whether a refused addAll3 call was refused because of one of its
// recipients (the refill narrows the batch down and sends the others) or as a whole (the list sync
// fails, and the list is restored). Everything not listed here is about the call: credentials,
// session, unknown list or attribute, array lengths, batch limit, opt-in process, an unknown fault.
import { OptimizelyArgumentError } from '../../errors/optimizely-argument-error';
import { FAULT_TEXTS } from '../api/fault-texts';

/**
 * Server fault texts that name a recipient's data. The real service reports per-recipient problems
 * as result codes; a fault about one recipient's values is a guess kept to this single text.
 * `Invalid argument` is deliberately absent: the service uses it for the list or opt-in process id.
 */
const RECIPIENT_FAULT_TEXTS: readonly string[] = [FAULT_TEXTS.recipientRefused];

/**
 * The request writer refuses a value before anything is sent, naming its path. A path into the
 * per-recipient arrays is one recipient's value; `attributeNames[…]` or `listId` are the call's.
 */
const RECIPIENT_ENCODER_PATH = /cannot encode request: (?:recipientIds|addresses|attributeValues)\[\d+\]/;

/** True when a refused addAll3 call may succeed without some of its recipients. Permanent errors only. */
export function isRecipientLevelRefusal(error: unknown): boolean {
  if (!(error instanceof OptimizelyArgumentError)) return false;
  if (RECIPIENT_ENCODER_PATH.test(error.message)) return true;
  return RECIPIENT_FAULT_TEXTS.some((text) => error.message.includes(text));
}
