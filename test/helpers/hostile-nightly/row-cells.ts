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
  type Person,
} from './crm-tables';
import type { CrmRow } from './scenario';

// The cells of a generated row as the CRM writes them, and whether its line is written malformed.

/** The row's address cell as written: its spelling of the person's address, in the plus form when the row says so. */
export const addressCell = (row: CrmRow) => SPELLINGS[row.spelling]!.spell(personAsWritten(row));

/** `anna.p0@…` as `anna.p0+news@…`: another recipient for sending, one person for opt-outs. */
export const PLUS_TAG = '+news';
export const plusForm = (address: string) => address.replace('@', `${PLUS_TAG}@`);

/** The person the row names, under the form of address it writes (plain or plus). */
export function personAsWritten(row: CrmRow): Person {
  const person = PEOPLE[row.person]!;
  return row.plus ? { ...person, address: plusForm(person.address) } : person;
}

/** The address a sendable row is sent under: the person's, in the row's form. */
export const formAddress = (row: CrmRow) => personAsWritten(row).address;

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
