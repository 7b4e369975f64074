// Fault strings echo the call (reference 8.2): session id, mandator and user in brackets, recipient
// ids and attribute values in quotes. Errors end up in workflow histories, which must carry no
// recipient data and no credentials, so the text is reduced to its shape before it enters a message.
import { FAULT_PREFIX, INVALID_SESSION_PREFIX } from '../api/fault-texts';

const RULES: [RegExp, string][] = [
  [/^\[[^\]]*\]\s*/g, '[…] '],
  [/(caused by: )\[[^\]]*\]/g, '$1[…]'],
  [/(Invalid sessionId:\s*)\S+/g, '$1…'],
  [/((?:recipientIds?|attributeValues|address|emailAddress)=)'[^']*'/g, "$1'…'"],
  [/(Recipients )[^ ]+( do not exist)/g, '$1…$2'],
  [/[^\s'",;=[\]()<>]+@[^\s'",;=[\]()<>]+/g, '…@…'],
];

/** The fault text without the Java exception prefixes and without ids, addresses or values. */
export function redactFaultText(faultString: string): string {
  let text = faultString.replace(INVALID_SESSION_PREFIX, '').replace(FAULT_PREFIX, '');
  for (const [pattern, replacement] of RULES) text = text.replace(pattern, replacement);
  return text.length > 500 ? `${text.slice(0, 500)}…` : text;
}
