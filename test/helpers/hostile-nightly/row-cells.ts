import {
  CONSENTS,
  CONSENT_TIMES,
  DESCRIPTIONS,
  ENTITY_IDS,
  ENTITY_TYPES,
  FIRST_NAMES,
  MEDIA,
  OPT_OUT_VALUES,
  PEOPLE,
  SPELLINGS,
} from './crm-tables';
import type { CrmRow } from './scenario';

// The cells of a generated row as the CRM writes them, and whether its line is written malformed.

/** The row's address cell as written. */
export const addressCell = (row: CrmRow) => SPELLINGS[row.spelling]!.spell(PEOPLE[row.person]!);

/** A first name with a stray quote: written unquoted, the line cannot be read (quote_in_unquoted_field). */
export const STRAY_QUOTE_NAME = 'Jo"e';

/**
 * Whether the row's line is written malformed: unquoted, its first name holding a stray quote. Only a
 * row whose other cells need no quoting (no delimiter, quote or line break), so the line has exactly
 * the header's fields and its lenient reading finds every cell where it belongs.
 */
export function isMalformedLine(row: CrmRow): boolean {
  return row.strayQuote === true && plainCells(row).every((cell) => !/[",\r\n]/u.test(cell));
}

function plainCells(row: CrmRow): string[] {
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

/** The row's cells in the header's order (crm-files.ts). */
export function rowCells(row: CrmRow): string[] {
  const cells = plainCells(row);
  if (isMalformedLine(row)) cells[6] = STRAY_QUOTE_NAME;
  return cells;
}
