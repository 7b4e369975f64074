import { configuredList, selectionKeyOf } from '../crm/crm-config';
import { fieldNameKey } from '../optimizely/api/field-name-key';
import { TECHNICAL_FIELDS } from '../sync/recipient-batch';
import type { ConfigIssue } from './selection-readers';

// The Optimizely fields a list's requests set themselves: the address (the list's `emailField`,
// written as addAll3's address and, on a list whose id is not its address, by the reconcile's
// setAttributesInBatch), the recipient id (`idField`) and the technical fields. A CRM attribute mapped
// onto one of them would send a second value for it: onto the address field, the reconcile wrote the
// attribute's value as the recipient's address (the later value of one call wins), and an add may
// keep it too; onto the id field, the recipient is found by another id. So such a mapping is refused
// when the configuration is read, in every spelling fieldNameKey takes for the same field. (The
// technical fields are refused by the mapping's own check in crm-config.ts.)

interface ReservedFieldsConfig {
  clients: ReadonlyArray<{ key: string; lists: ReadonlyArray<{ key: string; emailField: string; idField: string }> }>;
  crm: { lists: Readonly<Record<string, { attributes: Readonly<Record<string, string>> }>> };
}

/** Every mapping onto a list's address or id field, and every address or id field that is a technical field. */
export function reservedFieldIssues(config: ReservedFieldsConfig): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  config.clients.forEach((client, c) =>
    client.lists.forEach((list, l) => {
      const where = `list ${list.key} of client ${client.key}`;
      issues.push(...technicalAddressIssues(list, ['clients', c, 'lists', l], where));
      const entryKey = selectionKeyOf(config.crm.lists, client.key, list.key);
      const entry = entryKey === undefined ? undefined : configuredList(config.crm.lists, entryKey);
      if (entryKey === undefined || entry === undefined) return;
      for (const [column, field] of Object.entries(entry.attributes)) {
        const role = roleOf(fieldNameKey(field), list);
        if (role === undefined) continue;
        issues.push({
          path: ['crm', 'lists', entryKey, 'attributes', column],
          message:
            `maps to Optimizely field "${field}", which ${where} sets itself as ${role}: ` +
            `the column's value would overwrite it; map the column to another field`,
        });
      }
    }),
  );
  return issues;
}

/** What the field of this key is to the list (its address, its recipient id or both), or undefined. */
function roleOf(key: string, list: { emailField: string; idField: string }): string | undefined {
  const address = key === fieldNameKey(list.emailField);
  const id = key === fieldNameKey(list.idField);
  if (address && id) return `the recipient's address and id (emailField "${list.emailField}", idField "${list.idField}")`;
  if (address) return `the recipient's address (emailField "${list.emailField}")`;
  if (id) return `the recipient id (idField "${list.idField}")`;
  return undefined;
}

const TECHNICAL_KEYS = new Map(TECHNICAL_FIELDS.map((field) => [fieldNameKey(field), field]));

/** A list whose address or id field is a technical field: every call would carry two values for it. */
function technicalAddressIssues(list: { emailField: string; idField: string }, path: Array<string | number>, where: string): ConfigIssue[] {
  return (['emailField', 'idField'] as const).flatMap((setting) => {
    const technical = TECHNICAL_KEYS.get(fieldNameKey(list[setting]));
    if (technical === undefined) return [];
    return [
      {
        path: [...path, setting],
        message: `${where}: "${list[setting]}" is the technical field ${technical}, which the sync sends with every recipient; name the list's own ${setting === 'emailField' ? 'address' : 'id'} field`,
      },
    ];
  });
}
