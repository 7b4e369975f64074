import type { ClientConfig } from '../config/config-schema';
import type { FeedbackEvent } from '../crm/crm-port';
import type { RunConsent, SentEntity } from '../store/types';
import { bounceSeverity } from './bounce-category';
import type { ValidFeedbackRow } from './feedback-row';
import { normaliseEmail } from '../validation/email-rule';
import { foldedForMatching, suppressionKey } from '../validation/suppressions';

export type FeedbackKind = FeedbackEvent['kind'];
type FeedbackEventRow = Pick<ValidFeedbackRow, 'recipientId' | 'listId' | 'occurredAt' | 'category'>;

/** Asks the ledger what each of many ids was sent as. */
export type SentLookup = (recipientIds: readonly string[]) => Promise<ReadonlyMap<string, readonly SentEntity[]>>;

/** What a reported recipient id resolved to: the id the ledger knows it under, and what it was sent as there. */
export interface SentResolution {
  /** The id as we sent it: the first of the reported id's forms (sentIdForms) the ledger knows. */
  sentId: string;
  sent: SentEntity[];
}

/**
 * Per reported recipient id, the first of its forms (sentIdForms) the ledger knows and what it was
 * sent as under it; undefined when none. The one place a reported id is mapped to the ledger: the
 * feedback import and response ingestion both go through it, and key the event by `sentId`
 * (appliedEventKey). The ids as reported are asked first, all at once; only the misses' other forms
 * are asked, in a second ask, so an id reported as sent costs what it did before.
 */
export async function resolveSentIds(reported: readonly string[], lookup: SentLookup): Promise<Map<string, SentResolution | undefined>> {
  const exact = await lookup([...new Set(reported)]);
  const result = new Map<string, SentResolution | undefined>();
  const misses: string[] = [];
  for (const id of new Set(reported)) {
    const sent = exact.get(id) ?? [];
    if (sent.length > 0) result.set(id, { sentId: id, sent: [...sent] });
    else misses.push(id);
  }
  if (misses.length === 0) return result;
  const formsOf = new Map(misses.map((id) => [id, sentIdForms(id).filter((form) => form !== id)]));
  const others = await lookup([...new Set([...formsOf.values()].flat())]);
  for (const [id, forms] of formsOf) {
    const hit = forms.find((form) => (others.get(form) ?? []).length > 0);
    result.set(id, hit === undefined ? undefined : { sentId: hit, sent: [...(others.get(hit) ?? [])] });
  }
  return result;
}

// Unicode Cc and Cf, as foldedForMatching removes them: controls, zero-width characters, bidi marks.
const INVISIBLE = /[\p{Cc}\p{Cf}]/gu;

/**
 * The forms a reported recipient id may have been sent under, the id as reported first: the export
 * sends addresses normalised (domain lower-cased, the local part too unless a list says otherwise),
 * so `Anna@X.COM` reported back, or a variant of it, finds the entity `anna@x.com` was sent as. A
 * variant that only looks different (full width, invisible characters, padding, an FQDN's trailing
 * dot: foldedForMatching) is tried folded with its letter case kept, for a list that keeps the
 * local part's case, then as suppressionKey gives it. Only a miss asks for the next form. The least
 * folded form comes first: the export may send two people under ids that fold alike (`ABC1`,
 * `ＡＢＣ１`), so ` ＡＢ\u200BＣ１ ` is tried trimmed and without its invisible characters, and finds
 * `ＡＢＣ１`, before folded (full width too), which would find `ABC1`.
 */
export function sentIdForms(reported: string): string[] {
  const trimmed = reported.trim();
  const visible = trimmed.replace(INVISIBLE, '').trim();
  const asIs = normaliseEmail(reported, { lowercaseLocalPart: false, idnDomains: 'punycode' });
  const unfolded = foldedForMatching(reported);
  // An opaque id (a CRM id, not an address) is sent as the CRM has it: folded, its case kept.
  const folded = normaliseEmail(unfolded, { lowercaseLocalPart: false, idnDomains: 'punycode' }) ?? unfolded;
  return [
    ...new Set([
      reported,
      ...(trimmed ? [trimmed] : []),
      ...(visible ? [visible] : []),
      ...(asIs ? [asIs] : []),
      ...(folded ? [folded] : []),
      suppressionKey(reported),
    ]),
  ];
}

/** What an opt-out of one row comes to: its CRM events, and whether part of it could not be resolved. */
export interface FeedbackMapping {
  events: FeedbackEvent[];
  /**
   * The row may concern a list the person was sent on whose Optimizely list id or consent nobody
   * knows (a list since removed from the configuration, sent by a run recorded before migrations 14
   * and 15): that part is not applied, not guessed, and the row is counted `unresolvedOptOut`.
   */
  unresolved: boolean;
}

/** The list an entity was sent on: its Optimizely list id and consent as the run recorded them, else as configured today. */
interface SentOn {
  listId: number | undefined;
  consent: RunConsent | undefined;
}

function sentOn(entity: SentEntity, client: ClientConfig): SentOn {
  const list = client.lists.find((l) => l.key === entity.listKey);
  return {
    listId: entity.listId ?? list?.listId,
    consent: entity.consent ?? (list ? { optInId: list.optInId, mediaType: list.mediaType } : undefined),
  };
}

/** Whether an opt-out of `kind` from `listId` concerns an entity sent on `on`; undefined when nobody knows. */
function concerns(kind: FeedbackKind, listId: number, on: SentOn): boolean | undefined {
  if (kind === 'bounce' || listId === 0) return true;
  return on.listId === undefined ? undefined : on.listId === listId;
}

/**
 * Maps one feedback row to CRM events through what its recipient id was sent as (resolveSentIds):
 * the entity it was last sent as, per list. An unsubscribe from list 0 (client-wide) withdraws the
 * consent of every list the recipient was sent to; one from a list withdraws that list's consent
 * only. The consent withdrawn is the one the run that sent the recipient recorded (a reload may have
 * given the list another `optInId` or `mediaType` since: withdrawing today's would take a consent
 * the person never gave us to mail under, and leave the one they withdrew); for a run recorded
 * before the consent was (migration 14) it is unknown, and the list's consent today is withdrawn,
 * as before. The list an unsubscribe names is matched the same way: the Optimizely list id the run
 * recorded (migration 15), else the configured list's. A list removed from the configuration still
 * counts (an opt-out is not undone by an operator's edit): its recipients' runs say which list and
 * consent they were sent under; where they do not, that part is `unresolved`, never guessed. A
 * bounce concerns the entity, whichever list it came through (its consent, when unknown, is blank:
 * the CRM reads it for unsubscribes only). Empty when we never sent the recipient. The row is
 * checked before (feedback-row.ts): its list id is an integer and its time a real one.
 */
export function feedbackMappingOf(
  kind: FeedbackKind,
  row: FeedbackEventRow,
  client: ClientConfig,
  sent: readonly SentEntity[],
): FeedbackMapping {
  const events = new Map<string, FeedbackEvent>();
  const doubtful: Array<{ entity: SentEntity; consent: RunConsent | undefined }> = [];
  for (const entity of sent) {
    const on = sentOn(entity, client);
    const concerned = concerns(kind, row.listId, on);
    if (concerned === false) continue;
    if (concerned === undefined || (on.consent === undefined && kind === 'unsubscribe')) {
      doubtful.push({ entity, consent: on.consent });
      continue;
    }
    const consent = on.consent ?? UNKNOWN_CONSENT;
    const key =
      kind === 'bounce'
        ? `${entity.entityType}:${entity.entityId}`
        : `${entity.entityType}:${entity.entityId}:${consent.optInId}:${consent.mediaType}`;
    if (!events.has(key)) events.set(key, feedbackEvent(kind, row, entity, consent));
  }
  // A doubt is settled when the withdrawal it might stand for is made anyway (same entity, same consent).
  const unresolved = doubtful.some(
    ({ entity, consent }) =>
      consent === undefined || !events.has(`${entity.entityType}:${entity.entityId}:${consent.optInId}:${consent.mediaType}`),
  );
  return { events: [...events.values()], unresolved };
}

/** A bounce's consent when no run or list says it: the CRM reads a bounce's entity, not its consent. */
const UNKNOWN_CONSENT: RunConsent = { optInId: '', mediaType: '' };

function feedbackEvent(kind: FeedbackKind, row: FeedbackEventRow, entity: SentEntity, consent: RunConsent): FeedbackEvent {
  return {
    kind,
    recipientId: row.recipientId,
    entityType: entity.entityType,
    entityId: entity.entityId,
    optInId: consent.optInId,
    mediaType: consent.mediaType,
    occurredAt: row.occurredAt,
    // Out-bounces are recipients Optimizely stopped mailing: the CRM marks them bounced either way;
    // soft only for a category that reads `softbounce` (any case or spacing), hard otherwise.
    // Undefined for an unsubscribe: one object shape for both kinds (see responseEvent).
    hard: kind === 'bounce' ? bounceSeverity(row.category) === 'hard' : undefined,
  };
}

/** The CRM events of one feedback row (feedbackMappingOf), without what could not be resolved. */
export function feedbackEventsOf(
  kind: FeedbackKind,
  row: FeedbackEventRow,
  client: ClientConfig,
  sent: readonly SentEntity[],
): FeedbackEvent[] {
  return feedbackMappingOf(kind, row, client, sent).events;
}
