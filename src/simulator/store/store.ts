import { createClientStatements } from './clients';
import type { Db } from './database';
import { createEventStatements } from './events';
import { createRecipientStatements } from './recipients';
import { createSuppressionStatements } from './suppression';

/** All prepared statements of the simulator, grouped by what they touch. */
export function createStore(db: Db) {
  return {
    db,
    clients: createClientStatements(db),
    recipients: createRecipientStatements(db),
    suppression: createSuppressionStatements(db),
    events: createEventStatements(db),
  };
}

export type Store = ReturnType<typeof createStore>;
