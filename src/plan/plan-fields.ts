import type { Cell, Row } from '../optimizely/client/optimizely-port';
import { attributeNamesFor, TECHNICAL_FIELDS } from '../sync/recipient-batch';
import type { Recipient } from '../validation/recipient';

/**
 * The fields a plan reads from the live list and compares: the address (the e-mail field) and every
 * field the refill sends (technical fields, then the mapped attributes), in the refill's order.
 */
export interface PlanFields {
  idField: string;
  emailField: string;
  /** Names requested from getAllAdvancedFlat: the id field, the e-mail field when it is another one, the sent fields. */
  readNames: string[];
  /** Names of the compared values: the e-mail field, then the sent fields. */
  names: string[];
  /** A live row's id and compared values; undefined when the row has no id. */
  liveValues(row: Row): { recipientId: string; values: Cell[] } | undefined;
  /** A recipient's compared values, as the refill would send them. */
  desiredValues(recipient: Recipient): Cell[];
}

export function planFields(list: { idField: string; emailField: string }, attributeMapping: Record<string, string>): PlanFields {
  const sent = attributeNamesFor(attributeMapping);
  const mapped = sent.slice(TECHNICAL_FIELDS.length);
  const keyedByAddress = list.idField === list.emailField;
  const readNames = keyedByAddress ? [list.idField, ...sent] : [list.idField, list.emailField, ...sent];
  const skip = keyedByAddress ? 1 : 2;
  return {
    idField: list.idField,
    emailField: list.emailField,
    readNames,
    names: [list.emailField, ...sent],
    liveValues(row) {
      const id = row[0];
      if (id === null || id === undefined || id === '') return undefined;
      const address = keyedByAddress ? id : (row[1] ?? null);
      return { recipientId: id, values: [address, ...row.slice(skip)] };
    },
    desiredValues: (r) => {
      const values: Cell[] = [r.email, r.optInId, r.description, r.mediaType, r.entityType, r.entityId];
      // A loop, not a map callback: per recipient, and under tsx a callback declared in the call is renamed per call.
      for (const field of mapped) values.push(r.attributes[field] ?? null);
      return values;
    },
  };
}
