import type { ClientConfig } from '../config/config-schema';
import type { CrmPort, ResponseEvent } from '../crm/crm-port';
import { resolveSentIds, type SentResolution } from '../feedback/feedback-events';
import type { LedgerStore } from '../store/state-store';
import type { SentEntity } from '../store/types';

// Caches live for one activity execution: a window's opens and clicks repeat the same recipients
// and mailings. The ledger is asked once per page for the recipients not cached yet.
const ENTITY_CACHE_LIMIT = 50_000;

/** An open or click row that passed its checks (classify-response-page.ts). */
export interface Engagement {
  kind: 'open' | 'click';
  recipientId: string;
  mailingId: string;
  /** UTC ISO 8601. */
  occurredAt: string;
  /** The row's list id, 0 when it has none. */
  listId: number;
  /** A click's URL. */
  url: string;
}

/** Looks up what the CRM and the ledger know, once per mailing and per recipient. */
export class ResponseLookups {
  private readonly campaigns = new Map<string, Promise<string | undefined>>();
  private readonly entities = new Map<string, SentEntity[]>();
  /** The keys of our lists with an Optimizely list id: few ids, asked once per open or click. */
  private readonly listKeys = new Map<number, ReadonlySet<string>>();

  constructor(private readonly ports: { client: ClientConfig; ledger: Pick<LedgerStore, 'sentEntitiesOf'>; crm: CrmPort }) {}

  /** The CRM campaign of a mailing, or undefined when the CRM does not know it as one. */
  campaignFor(mailingId: string): Promise<string | undefined> {
    let campaign = this.campaigns.get(mailingId);
    if (!campaign) {
      campaign = mailingId ? this.ports.crm.campaignForMailing(mailingId) : Promise.resolve(undefined);
      this.campaigns.set(mailingId, campaign);
    }
    return campaign;
  }

  /**
   * The sent entities of each id (see LedgerStore.sentEntities), from the cache or one ledger query
   * for all the ids not cached: one query per page rather than one per new recipient.
   */
  async sentFor(recipientIds: readonly string[]): Promise<Map<string, SentEntity[]>> {
    const found = new Map<string, SentEntity[]>();
    const missing: string[] = [];
    for (const id of new Set(recipientIds)) {
      const cached = this.entities.get(id);
      if (cached) found.set(id, cached);
      else missing.push(id);
    }
    if (missing.length === 0) return found;
    const looked = await this.ports.ledger.sentEntitiesOf({ recipientIds: missing, client: this.ports.client.key });
    if (this.entities.size + looked.size > ENTITY_CACHE_LIMIT) this.entities.clear();
    for (const [id, sent] of looked) {
      this.entities.set(id, sent);
      found.set(id, sent);
    }
    return found;
  }

  /**
   * What reported bounce and unsubscribe ids resolved to: each the first of its forms the ledger
   * knows and what it was sent as there (resolveSentIds, as the feedback import maps them), through
   * the same cache.
   */
  resolveSentIds(reportedIds: readonly string[]): Promise<Map<string, SentResolution | undefined>> {
    return resolveSentIds(reportedIds, (ids) => this.sentFor(ids));
  }

  private listKeysOf(listId: number): ReadonlySet<string> {
    let keys = this.listKeys.get(listId);
    if (!keys) {
      keys = new Set(this.ports.client.lists.filter((l) => l.listId === listId).map((l) => l.key));
      this.listKeys.set(listId, keys);
    }
    return keys;
  }

  /** Opens and clicks of a row, one per CRM entity the recipient was sent as (`sent`); empty when never sent. */
  responseEvents(row: Engagement, sent: readonly SentEntity[]): ResponseEvent[] {
    // Sent as one entity (most recipients): that one, whichever list the row names.
    if (sent.length === 1) return [responseEvent(row, sent[0] as SentEntity)];
    // The entity sent on the mailing's list, when the row names one we synchronise; else every entity.
    const listKeys = this.listKeysOf(row.listId);
    const onList = sent.filter((s) => listKeys.has(s.listKey));
    const unique = new Map<string, SentEntity>();
    for (const entity of onList.length > 0 ? onList : sent) unique.set(`${entity.entityType}:${entity.entityId}`, entity);
    return [...unique.values()].map((entity) => responseEvent(row, entity));
  }
}

/** The open or click of `row` for one entity it was sent as. */
function responseEvent(row: Engagement, entity: SentEntity): ResponseEvent {
  // Every event has `url` (undefined for an open): one object shape for opens and clicks, so the
  // code that reads events is compiled once for it, not again when the other kind comes through.
  return {
    kind: row.kind,
    mailingId: row.mailingId,
    recipientId: row.recipientId,
    entityType: entity.entityType,
    entityId: entity.entityId,
    occurredAt: row.occurredAt,
    url: row.kind === 'click' ? row.url : undefined,
  };
}
