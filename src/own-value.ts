/**
 * A record's value under `key` if the record holds that key itself, else undefined. Keys that come
 * from outside (CRM column names, list keys, element names, header values) must never find a member
 * of the object prototype (`constructor`, `toString`, `__proto__`).
 */
export function ownValue<V>(record: Readonly<Record<string, V>>, key: string): V | undefined {
  return Object.hasOwn(record, key) ? record[key] : undefined;
}
