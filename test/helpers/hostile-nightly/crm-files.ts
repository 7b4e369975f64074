import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'csv-stringify/sync';
import type { DemoConfigObject } from '../sync-stack';
import {
  CONSENTS,
  CONSENT_TIMES,
  DESCRIPTIONS,
  ENTITY_IDS,
  ENTITY_TYPES,
  FIRST_NAMES,
  MEDIA,
  OPT_OUT_VALUES,
  type IdnPolicy,
} from './crm-tables';
import { addressCell, type ListKey } from './nightly-model';
import type { CrmRow } from './scenario';

// The CSV exchange CRM of the hostile nightly property: one file per list, each holding every row
// (every consent of every person, like an unfiltered CRM report), the address as the recipient id.

const HEADER = [
  'email',
  'opt_in_id',
  'description',
  'media_type',
  'entity_type',
  'entity_id',
  'first_name',
  'consent_withdrawn',
  'bounced',
  'unsubscribed',
  'consent_granted_at',
];

export const crmFileOf = (dir: string, list: ListKey) => join(dir, `${list}.csv`);

/** The cells of a row as the CRM writes them. */
export function rowCells(row: CrmRow): string[] {
  return [
    addressCell(row),
    CONSENTS[row.consent]!.text,
    DESCRIPTIONS[row.description]![0],
    MEDIA[row.medium]!.text,
    ENTITY_TYPES[row.entityType]![0],
    ENTITY_IDS[row.entityId]![0],
    FIRST_NAMES[row.firstName]!,
    ...row.optOuts.map((v) => OPT_OUT_VALUES[v]!),
    CONSENT_TIMES[row.consentTime]!,
  ];
}

export function writeCrmFiles(dir: string, rows: readonly CrmRow[]): void {
  const text = stringify([HEADER, ...rows.map(rowCells)], { quoted: true });
  for (const list of ['newsletter', 'offers'] as const) writeFileSync(crmFileOf(dir, list), text);
}

/**
 * The stack's configuration for a scenario: the CSV CRM, the lists it syncs, its IDN policy, and a
 * guard that never holds (hostile rows exclude most of a small list; holding is not what is tested).
 */
export function hostileNightlyConfig(lists: readonly ListKey[], idnDomains: IdnPolicy, strategy: 'refresh' | 'reconcile') {
  return (raw: DemoConfigObject, dir: string): void => {
    writeCrmFiles(dir, []);
    const selection = (list: ListKey) => ({ file: crmFileOf(dir, list), attributes: { first_name: 'firstname' } });
    raw.crm = { kind: 'csv', outbox: join(dir, 'outbox'), lists: { newsletter: selection('newsletter'), offers: selection('offers') } };
    raw.clients[0].idnDomains = idnDomains;
    for (const list of raw.clients[0].lists as DemoConfigObject[]) {
      list.enabled = lists.includes(list.key);
      list.strategy = strategy;
      list.guard = {
        maxShrinkPercent: 100,
        maxExcludedPercent: 100,
        allowEmpty: true,
        maxBlankedPercent: 100,
        maxRemovePercent: 100,
        maxUpdatePercent: 100,
      };
    }
  };
}
