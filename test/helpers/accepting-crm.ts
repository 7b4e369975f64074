import type { ClientConfig } from '../../src/config/config-schema';
import type { CrmPort } from '../../src/crm/crm-port';

/** One client with the demo's newsletter list: all a window's ingestion needs of the configuration. */
export const NEWSLETTER_CLIENT = {
  key: 'demo',
  lists: [{ key: 'newsletter', listId: 100, optInId: '11', mediaType: 'email' }],
} as unknown as ClientConfig;

/** A CRM that exports nothing and takes every feedback and response event: for tests of the reading side. */
export function acceptingCrm(): CrmPort {
  return {
    exportSelection: async function* () {},
    applyFeedback: async () => [],
    applyResponses: async (events: readonly unknown[]) => events.map((_, index) => ({ index, outcome: 'applied' as const })),
    campaignForMailing: async () => undefined,
    close: async () => undefined,
  } as unknown as CrmPort;
}
