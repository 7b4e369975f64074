import type { CrmPort, CrmRow } from '../../../src/crm/crm-port';

/** A CRM port over rows held in memory; exports only (feedback is covered against real databases). */
export function inMemoryCrm(lists: Record<string, readonly CrmRow[]>): CrmPort {
  return {
    async *exportSelection(listKey) {
      yield* lists[listKey] ?? [];
    },
    applyFeedback: async () => [],
    applyResponses: async () => [],
    campaignForMailing: async () => undefined,
    close: async () => undefined,
  };
}

/** A valid newsletter row for a contact; override what a test is about. */
export function row(overrides: Record<string, unknown> = {}): CrmRow {
  return {
    recipient_id: 'anna@example.com',
    email: 'anna@example.com',
    opt_in_id: 11,
    description: 'Newsletter',
    media_type: 'email',
    entity_type: 'contact',
    entity_id: 'C1',
    first_name: 'Anna',
    ...overrides,
  };
}
