import type { LedgerStore } from '../store/state-store';
import type { SentEntity } from '../store/types';

// Lives for one window (one activity execution): a window's opens and clicks repeat the same
// recipients. The ledger is asked once per page for the recipients not cached yet.
const ENTITY_CACHE_LIMIT = 50_000;

/** What the ledger says each recipient id was sent as, asked once per page for the ids not cached. */
export class SentEntityCache {
  private readonly entities = new Map<string, SentEntity[]>();

  constructor(private readonly ports: { clientKey: string; ledger: Pick<LedgerStore, 'sentEntitiesOf'> }) {}

  /**
   * The sent entities of each id (see LedgerStore.sentEntities), from the cache or one ledger query
   * for all the ids not cached: every id asked is a key of the answer, never-sent ones with [].
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
    const looked = await this.ports.ledger.sentEntitiesOf({ recipientIds: missing, client: this.ports.clientKey });
    if (this.entities.size + looked.size > ENTITY_CACHE_LIMIT) this.entities.clear();
    for (const id of missing) {
      const sent = looked.get(id) ?? [];
      this.entities.set(id, sent);
      found.set(id, sent);
    }
    return found;
  }
}
