import type { ClientConfig } from '../config/config-schema';
import type { CrmPort, ResponseEvent } from '../crm/crm-port';
import type { LedgerStore } from '../store/state-store';
import type { SentEntity } from '../store/types';
import type { ResponseRow } from './response-rows';

// Caches live for one activity execution: a window's opens and clicks repeat the same recipients
// and mailings, and a ledger query per row would dominate the run.
const ENTITY_CACHE_LIMIT = 50_000;

/** Looks up what the CRM and the ledger know, once per mailing and per recipient. */
export class ResponseLookups {
  private readonly campaigns = new Map<string, Promise<string | undefined>>();
  private readonly entities = new Map<string, SentEntity[]>();

  constructor(private readonly ports: { client: ClientConfig; ledger: LedgerStore; crm: CrmPort }) {}

  /** The CRM campaign of a mailing, or undefined when the CRM does not know it as one. */
  campaignFor(mailingId: string): Promise<string | undefined> {
    let campaign = this.campaigns.get(mailingId);
    if (!campaign) {
      campaign = mailingId ? this.ports.crm.campaignForMailing(mailingId) : Promise.resolve(undefined);
      this.campaigns.set(mailingId, campaign);
    }
    return campaign;
  }

  /** Opens and clicks of a row, one per CRM entity the recipient was sent as; empty when never sent. */
  async responseEvents(row: ResponseRow): Promise<ResponseEvent[]> {
    const sent = await this.sentEntities(row.recipientId);
    // The entity sent on the mailing's list, when the row names one we synchronise; else every entity.
    const listId = Number(row.recipientListId) || 0;
    const listKeys = new Set(this.ports.client.lists.filter((l) => l.listId === listId).map((l) => l.key));
    const onList = sent.filter((s) => listKeys.has(s.listKey));
    const unique = new Map<string, SentEntity>();
    for (const entity of onList.length > 0 ? onList : sent) unique.set(`${entity.entityType}:${entity.entityId}`, entity);
    const occurredAt = new Date(Date.parse(row.timestamp)).toISOString();
    return [...unique.values()].map((entity) => ({
      kind: row.kind === 'click' ? 'click' : 'open',
      mailingId: row.mailingId,
      recipientId: row.recipientId,
      entityType: entity.entityType,
      entityId: entity.entityId,
      occurredAt,
      ...(row.kind === 'click' ? { url: row.linkUrl } : {}),
    }));
  }

  private async sentEntities(recipientId: string): Promise<SentEntity[]> {
    const cached = this.entities.get(recipientId);
    if (cached) return cached;
    const sent = await this.ports.ledger.sentEntities({ recipientId, client: this.ports.client.key });
    if (this.entities.size >= ENTITY_CACHE_LIMIT) this.entities.clear();
    this.entities.set(recipientId, sent);
    return sent;
  }
}
