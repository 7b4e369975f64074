// Fault strings echo the call (reference 8.2): session id, mandator and user in brackets, recipient
// ids and attribute values in quotes, and a hostile or broken endpoint may put anything there.
// Errors end up in workflow histories, which must carry no recipient data and no credentials, so
// nothing of the text is kept except a known template from ../api/fault-texts.ts: an allow-list,
// not a list of shapes to hide. Work is bounded: the text is cut to FAULT_SCAN_CAP characters before
// anything searches it, and the only searches are substring look-ups of the fixed templates.
import { FAULT_PREFIX, FAULT_TEXTS, INVALID_SESSION_PREFIX } from '../api/fault-texts';

/** Characters of a fault text that are ever searched; the rest is never looked at. */
export const FAULT_SCAN_CAP = 4096;

/** Marks text that was dropped beside a known template. */
export const WITHHELD = '…';

/** What an unrecognised fault text becomes: nothing of it survives. */
export const UNRECOGNISED_FAULT = 'unrecognised fault text (withheld)';

// Longest first, so that of two templates starting at one place the longer wins: "Recipient does not
// exist" is a prefix of "Recipient does not exists".
const TEMPLATES: readonly string[] = Object.values(FAULT_TEXTS).sort((a, b) => b.length - a.length);

/** The first FAULT_SCAN_CAP characters: the only part of a fault text anything may search. */
export function boundFaultText(faultString: string): string {
  return faultString.length > FAULT_SCAN_CAP ? faultString.slice(0, FAULT_SCAN_CAP) : faultString;
}

/**
 * The known template that starts first in the (bounded) text, if any. The service writes its own
 * message first and echoes the call's arguments after it (`… for call: recipientId='…'`), and those
 * are CRM values: one holding a template's words ("Too many concurrent connections for this client")
 * must not turn a refusal of that recipient into a retryable fault, or a passing fault into a refusal.
 */
export function knownFaultTemplate(boundedText: string): string | undefined {
  let first: { template: string; at: number } | undefined;
  for (const template of TEMPLATES) {
    const at = boundedText.indexOf(template);
    if (at !== -1 && (first === undefined || at < first.at)) first = { template, at };
  }
  // A rejected session is the one fault on which the client sends a write again (the server refused
  // it before reading it): only the service's own session exception says so, never the words in
  // another message or an echo (`commit failed after 412 rows; Invalid sessionId`), where a resent
  // write could apply twice. Such a text is no known fault at all, rather than whatever follows.
  if (first?.template === FAULT_TEXTS.invalidSession && !startsMessage(boundedText, first.at)) return undefined;
  return first?.template;
}

/** Where a Java exception's message starts: `…InvalidWebserviceSessionException: Invalid sessionId: <id>` (API notes §8.2). */
const EXCEPTION_NAME_END = 'Exception: ';

/** Whether text at `at` starts the service's message: the text's start or right after an exception's name. */
function startsMessage(text: string, at: number): boolean {
  return at === 0 || text.slice(Math.max(0, at - EXCEPTION_NAME_END.length), at) === EXCEPTION_NAME_END;
}

/** The known template alone, with "…" where other text was dropped, or UNRECOGNISED_FAULT. */
export function redactFaultText(faultString: string): string {
  const bounded = boundFaultText(faultString);
  const template = knownFaultTemplate(bounded);
  if (template === undefined) return UNRECOGNISED_FAULT;
  return isTemplateOnly(bounded, template) ? template : `${template} ${WITHHELD}`;
}

/** True when nothing but a known exception prefix surrounds the template. */
function isTemplateOnly(text: string, template: string): boolean {
  return KNOWN_PREFIXES.some((prefix) => text === `${prefix}${template}`);
}

const KNOWN_PREFIXES: readonly string[] = ['', FAULT_PREFIX, INVALID_SESSION_PREFIX];
