import type { SqlDb } from '../../db/sql-db';
import type { SentEntity } from '../ledger-types';
import { newestSentEntities } from './ledger-span-find';

/**
 * `sentEntities` for many recipient ids: every requested id is a key of the result, with an empty
 * list when it was never sent. Response ingestion asks once per page instead of once per recipient;
 * on the span layout each id is still its own indexed query here, which one statement per page could
 * replace.
 */
export async function sentEntitiesOf(
  db: SqlDb,
  query: { recipientIds: readonly string[]; client?: string },
): Promise<Map<string, SentEntity[]>> {
  const result = new Map<string, SentEntity[]>();
  for (const recipientId of new Set(query.recipientIds))
    result.set(recipientId, await newestSentEntities(db, { recipientId, client: query.client }));
  return result;
}
