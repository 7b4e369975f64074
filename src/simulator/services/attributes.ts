// Attribute names and values of a list. Custom fields are stored as strings (the simulator does not
// type them); system fields are read-only and named per locale (API notes §3.1).
import { FAULT_TEXTS } from '../../optimizely/api/fault-texts';
import { SYSTEM_FIELDS, type SystemField } from '../../optimizely/api/system-fields';
import type { CallContext } from '../context';
import type { ListRow } from '../store/clients';
import type { RecipientRow } from '../store/recipients';
import { callFault, forCall } from './call-text';

const SYSTEM_BY_NAME = new Map<string, SystemField>([...SYSTEM_FIELDS.en, ...SYSTEM_FIELDS.de]);

/** Custom fields, then the localized system fields ('de' German, anything else English). */
export function attributeNames(list: ListRow, locale: string | null): string[] {
  const names = SYSTEM_FIELDS[locale?.toLowerCase().startsWith('de') ? 'de' : 'en'];
  return [...list.fields, ...names.map(([name]) => name)];
}

/** Faults on names that are neither custom nor system fields of the list. */
export function checkReadableNames(call: CallContext, list: ListRow, names: (string | null)[]): string[] {
  return names.map((name) => {
    if (name === null || (!list.fields.includes(name) && !SYSTEM_BY_NAME.has(name))) throw unknownAttribute(call, list, name);
    return name;
  });
}

/** Faults on names that are not custom fields (system fields cannot be written). */
export function checkWritableNames(call: CallContext, list: ListRow, names: (string | null)[]): string[] {
  return names.map((name) => {
    if (name === null || !list.fields.includes(name)) throw unknownAttribute(call, list, name);
    return name;
  });
}

function unknownAttribute(call: CallContext, list: ListRow, name: string | null) {
  return callFault(call, `${FAULT_TEXTS.unknownAttribute} ${forCall({ recipientListId: list.listId, attributeName: name ?? 'null' })}`);
}

/** Formats a time as the API's type rules require: ISO-8601 with offset (API notes §1.4). */
export function formatTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, '+00:00');
}

/** Reads one attribute: id field = recipient id, e-mail field = address, system fields computed. */
export function readAttribute(list: ListRow, r: RecipientRow, attrs: Record<string, string | null>, name: string): string | null {
  if (name === list.idField) return r.recipientId;
  if (name === list.emailField) return r.address;
  const system = list.fields.includes(name) ? undefined : SYSTEM_BY_NAME.get(name);
  if (system === 'created') return formatTime(r.created);
  if (system === 'modified') return formatTime(r.modified);
  if (system === 'optinSource') return r.optinProcessId === 0 ? null : 'api';
  if (system === 'optinDate') return r.optinState === 'active' && r.optinProcessId !== 0 ? formatTime(r.created) : null;
  return attrs[name] ?? null;
}

export function readAttributes(list: ListRow, r: RecipientRow, names: string[]): (string | null)[] {
  const attrs = JSON.parse(r.attrs) as Record<string, string | null>;
  return names.map((name) => readAttribute(list, r, attrs, name));
}
