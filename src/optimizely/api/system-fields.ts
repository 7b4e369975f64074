// The read-only system fields Optimizely lists after a list's custom fields in getAttributeNames,
// named per locale (API notes §3.1). The simulator answers with them; the pre-flight check refuses a
// mapping that would write one, since an addAll3 naming one faults after the clear.

export type SystemField = 'created' | 'modified' | 'optinSource' | 'optinDate';

export const SYSTEM_FIELDS: Readonly<Record<'en' | 'de', readonly (readonly [name: string, field: SystemField])[]>> = {
  en: [
    ['Created', 'created'],
    ['Modified', 'modified'],
    ['Opt-in Source', 'optinSource'],
    ['Opt-in Date', 'optinDate'],
  ],
  de: [
    ['Erstellt am', 'created'],
    ['Geändert am', 'modified'],
    ['Opt-in-Quelle', 'optinSource'],
    ['Opt-in-Datum', 'optinDate'],
  ],
};

/** Every system field name in every locale. */
export const SYSTEM_FIELD_NAMES: ReadonlySet<string> = new Set([...SYSTEM_FIELDS.en, ...SYSTEM_FIELDS.de].map(([name]) => name));
