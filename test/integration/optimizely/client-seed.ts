// The seed the client tests run the simulator with (`startHarness({ seed: SEED })`), and a batch builder.
import { FIELDS } from '../../helpers/raw-soap';
import { CREDENTIALS } from '../../helpers/simulator-harness';

export const LIST = 100;

export const SEED = {
  clients: [
    {
      ...CREDENTIALS,
      optinProcesses: [{ id: 11, type: 'double' as const }],
      lists: [
        { id: LIST, name: 'Newsletter', type: 'regular' as const, fields: FIELDS },
        { id: 101, name: 'Offers', type: 'optin' as const, fields: FIELDS },
      ],
      unsubscribes: ['gone@example.com'],
      blocklist: ['*@blocked.example'],
      bounces: [{ recipientId: 'bouncy@example.com', hard: 3 }],
    },
  ],
};

/** An addAll3 input for ids that are also the addresses, with firstname set to the id's local part. */
export function batchOf(recipientIds: string[], listId = LIST) {
  return {
    listId,
    optinProcessId: 0,
    recipientIds,
    addresses: recipientIds,
    attributeNames: ['firstname', 'entity-id'],
    attributeValues: recipientIds.map((id, i) => [id.split('@')[0] ?? null, i % 2 === 0 ? `E${i}` : null]),
  };
}
