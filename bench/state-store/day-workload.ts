import type { LedgerEntry, SnapshotRow } from '../../src/store';

/** A simulated CRM list: recipient i's row at version v (a changed recipient gets the next version). */
export function listRow(i: number, version = 0): SnapshotRow {
  return {
    recipientId: `user${i}@example.test`,
    email: `user${i}@example.test`,
    entityType: 'contact',
    entityId: `c-${i}`,
    technicalFields: { 'opt-in-id': '42', description: 'newsletter', 'media-type': 'email' },
    attributes: { firstName: 'Zoë', lastName: 'Łukasiewicz', salutation: 'Ms', version },
  };
}

/** The list of one day: recipient ids in selection order with their row version. */
export interface ListDay {
  members: Array<[number, number]>;
}

export function firstDay(recipients: number): ListDay {
  return { members: Array.from({ length: recipients }, (_, i): [number, number] => [i, 0]) };
}

/**
 * The next day with `churn` of the list changed: a third leave, a third join (new ids at the end of
 * the selection), a third change an attribute. Deterministic (every k-th recipient), so both layouts
 * see the same days.
 */
export function nextDay(day: ListDay, churn: number, nextId: number): ListDay {
  const touch = Math.round((day.members.length * churn * 2) / 3);
  const every = Math.max(1, Math.floor(day.members.length / Math.max(1, touch)));
  const members: Array<[number, number]> = [];
  let left = 0;
  let touched = 0;
  day.members.forEach(([id, version], k) => {
    const now = touch > 0 && k % every === 0 && touched < touch;
    if (now) touched += 1;
    // Every other touched recipient leaves, the others change; as many join as left.
    if (now && touched % 2 === 1) return void (left += 1);
    members.push([id, now ? version + 1 : version]);
  });
  for (let j = 0; j < left; j += 1) members.push([nextId + j, 0]);
  return { members };
}

/** A selection's 2% rows excluded every day (no consent), unchanged between days. */
export function exclusions(runId: string, recipients: number): LedgerEntry[] {
  return Array.from({ length: Math.floor(recipients / 50) }, (_, k) => ({
    runId,
    listKey: 'newsletter',
    outcome: 'excluded',
    rowNumber: k * 50 + 1,
    reason: 'consent_missing',
    field: null,
    recipientId: `nocons${k}@example.test`,
    entityType: 'contact',
    entityId: `n-${k}`,
  }));
}
