import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'csv-stringify/sync';
import type { DemoConfigObject } from '../sync-stack';
import type { IdnPolicy } from './crm-tables';
import { feedbackFolderOf } from './dropped-files';
import type { ListKey } from './nightly-model';
import { isMalformedLine, rowCells } from './row-cells';
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

/** Writes each list's file; `crAfterRow`: that row's line ends in a CR alone (an old Mac writer, two files joined). */
export function writeCrmFiles(dir: string, rows: readonly CrmRow[], crAfterRow?: number): void {
  // Every line quoted as csv-stringify writes it, but a malformed one as a careless writer does.
  const lines = rows.map((row) => (isMalformedLine(row) ? `${rowCells(row).join(',')}\n` : stringify([rowCells(row)], { quoted: true })));
  if (crAfterRow !== undefined) lines[crAfterRow] = lines[crAfterRow]!.replace(/\n$/u, '\r');
  const text = stringify([HEADER], { quoted: true }) + lines.join('');
  for (const list of ['newsletter', 'offers'] as const) writeFileSync(crmFileOf(dir, list), text);
}

/**
 * The stack's configuration for a scenario: the CSV CRM, the lists it syncs, its IDN policy, and a
 * guard that never holds (hostile rows exclude most of a small list; holding is not what is tested).
 */
export function hostileNightlyConfig(lists: readonly ListKey[], idnDomains: IdnPolicy, strategy: 'refresh' | 'reconcile') {
  return (raw: DemoConfigObject, dir: string): void => {
    writeCrmFiles(dir, []);
    // A malformed line is one row however small the file (the default 10% would fail a file of 5 rows).
    const selection = (list: ListKey) => ({
      file: crmFileOf(dir, list),
      attributes: { first_name: 'firstname' },
      maxMalformedPercent: 100,
    });
    raw.crm = { kind: 'csv', outbox: join(dir, 'outbox'), lists: { newsletter: selection('newsletter'), offers: selection('offers') } };
    raw.clients[0].idnDomains = idnDomains;
    mkdirSync(feedbackFolderOf(dir));
    raw.clients[0].feedbackFolder = feedbackFolderOf(dir);
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
