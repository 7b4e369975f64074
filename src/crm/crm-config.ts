import { ownValue } from '../own-value';
import { ENV_NAME, ENV_NAME_MESSAGE } from '../config/env-name';
import { z } from 'zod';
import { fieldNameKey } from '../optimizely/api/field-name-key';
import { isXmlText } from '../optimizely/client/codec/xml-escape';
import { TECHNICAL_FIELDS } from '../sync/recipient-batch';
import { CONSENT_COLUMNS, consentColumnNearMiss } from './selection-column-names';
import { DEFAULT_STATEMENTS } from './sql/default-statements';
import { compileNamedParameters } from './sql/named-parameters';
import { RESPONSE_BATCH_PARAMETER } from './sql/response-batch';

// The CRM adapter's part of the configuration. The full configuration (src/config) composes
// `crmConfigSchema`; this module stays free of process.env so it can be parsed anywhere. Every
// object of settings is strict, as the rest of the file is: a misspelt setting (`colums` for a CSV
// list's `columns`) silently took its default, so the file's opt-out column lost its mapping and its
// opt-outs were read by nobody. Records keyed by a column, list or mailing take any key.

/**
 * A key of `crm.lists`: a list key (read by every client's list of that key) or `<client key>/<list
 * key>` (that client's list only, taking precedence). Opt-in ids are numbered per Optimizely client,
 * so two clients reading one selection would fill one's list with the other's consents: refused at
 * start unless the entry's `sharedBy` says so (src/config/selection-readers.ts).
 */
const selectionKey = z
  .string()
  .regex(/^([a-z0-9][a-z0-9_-]*\/)?[a-z0-9][a-z0-9_-]*$/, 'a list key, or "<client key>/<list key>" for one client\'s list');
/** The clients meant to read one plain entry together (every client that reads it, no other). */
const sharedBy = z.array(z.string().min(1)).min(2).optional();

/** CRM column → Optimizely field name, sent beside the technical fields. */
/** An Optimizely field name travels in every addAll3 call: one the request writer refuses would fail every batch. */
const fieldName = z.string().min(1).refine(isXmlText, 'holds a character XML 1.0 cannot carry');
/**
 * Each Optimizely field once, and never a technical field: addAll3 carries one value per field name,
 * so two columns on one field (or one on `entity-id`) would send two values for it; Optimizely
 * refuses such a call for every batch, after the clear. Field names compare by fieldNameKey (case,
 * blanks around, width and invisible characters aside). The list's own address and id fields are
 * checked with the whole configuration (config-schema.ts), which knows which lists read the mapping.
 */
const attributes = z
  .record(z.string().min(1), fieldName)
  .default({})
  .superRefine((mapping, ctx) => {
    const seen = new Map<string, string>(TECHNICAL_FIELDS.map((f) => [fieldNameKey(f), `the technical field ${f}`]));
    for (const [column, field] of Object.entries(mapping)) {
      const taken = seen.get(fieldNameKey(field));
      if (taken !== undefined)
        ctx.addIssue({ code: 'custom', path: [column], message: `maps to Optimizely field "${field}", already sent as ${taken}` });
      seen.set(fieldNameKey(field), `column ${column}`);
    }
  });

const sqlListSchema = z.strictObject({
  /** The selection ("export format"): returns the required columns plus the mapped attributes. */
  query: z.string().min(1),
  attributes,
  sharedBy,
});

const statementsSchema = z.strictObject({
  entityExists: z.string().min(1).default(DEFAULT_STATEMENTS.entityExists),
  bounce: z.string().min(1).default(DEFAULT_STATEMENTS.bounce),
  unsubscribe: z.string().min(1).default(DEFAULT_STATEMENTS.unsubscribe),
  campaignForMailing: z.string().min(1).default(DEFAULT_STATEMENTS.campaignForMailing),
  response: z.string().min(1).default(DEFAULT_STATEMENTS.response),
  /**
   * Optional: records many opens and clicks in one statement (src/crm/sql/response-batch.ts,
   * docs/crm.md). Without it each runs `response` on its own (the default).
   */
  responseBatch: z
    .string()
    .min(1)
    .optional()
    .superRefine((sql, ctx) => {
      if (sql === undefined) return;
      const names = compileNamedParameters(sql, 'postgres').names;
      const others = names.filter((name) => name !== RESPONSE_BATCH_PARAMETER);
      if (others.length > 0 || names.length !== 1)
        ctx.addIssue({
          code: 'custom',
          message: `takes exactly one parameter, :${RESPONSE_BATCH_PARAMETER} (the events as a JSON array)${others.length > 0 ? `; found :${others.slice(0, 3).join(', :')}` : ''}`,
        });
    }),
});

const sqliteSchema = z.strictObject({
  kind: z.literal('sqlite'),
  file: z.string().min(1),
  lists: z.record(selectionKey, sqlListSchema),
  statements: statementsSchema.prefault({}),
});

const postgresSchema = z
  .strictObject({
    kind: z.literal('postgres'),
    /** Either the URL itself (tests, local use) or the name of the variable holding it. */
    url: z.string().min(1).optional(),
    /** A variable's name, not its value (src/config/inline-secrets.ts). */
    urlEnv: z.string().regex(ENV_NAME, ENV_NAME_MESSAGE).optional(),
    /** Rows fetched per cursor read. */
    chunkSize: z.int().min(1).max(100_000).default(1000),
    lists: z.record(selectionKey, sqlListSchema),
    statements: statementsSchema.prefault({}),
  })
  .refine((c) => (c.url === undefined) !== (c.urlEnv === undefined), {
    message: 'give exactly one of url and urlEnv',
    path: ['url'],
  });

const csvFormatSchema = z
  .strictObject({
    delimiter: z.string().min(1).max(2).default(','),
    encoding: z.enum(['utf8', 'latin1']).default('utf8'),
    /** Reading strips a leading BOM either way; writing adds one when true. */
    bom: z.boolean().default(false),
    quote: z.string().length(1).default('"'),
    escape: z.string().length(1).default('"'),
  })
  .superRefine((format, ctx) => {
    const problem = ambiguousFormat(format);
    if (problem !== undefined) ctx.addIssue({ code: 'custom', message: problem.message, path: [problem.field] });
  });

/**
 * Why a format cannot say where a field or a line ends, or undefined. A delimiter holding the quote
 * or escape character, or a line break (or a quote or escape that is one), makes every file in it
 * ambiguous both ways: a cell that holds it cannot be written so that it reads back (a delimiter of
 * `"` wrote files no reader takes; `\n` wrote every cell as a line of its own), and a selection file
 * in it is split where its writer did not mean to.
 */
function ambiguousFormat(format: {
  delimiter: string;
  quote: string;
  escape: string;
}): { message: string; field: 'delimiter' | 'quote' | 'escape' } | undefined {
  const lineBreak = (text: string) => /[\r\n]/.test(text);
  if (lineBreak(format.delimiter) || lineBreak(format.quote) || lineBreak(format.escape))
    return {
      field: 'delimiter',
      message: 'the delimiter, quote and escape must not be or hold a line break: lines could not be told apart',
    };
  if (format.delimiter.includes(format.quote) || format.delimiter.includes(format.escape))
    return {
      field: 'delimiter',
      message: 'the delimiter must not hold the quote or escape character: a field could not be told from the next',
    };
  // A letter or digit is part of values: as the quote or escape, `"00"` under escape `0` read as `0`
  // (an opt-out column read as not set); as a delimiter, an opt-in id `11` split in two. Blanks and
  // invisible characters as quote or escape cannot be seen in the file or the setting.
  for (const field of ['quote', 'escape'] as const)
    if (/[\p{L}\p{N}\p{M}\p{Z}\p{C}\s]/u.test(format[field]))
      return {
        field,
        message: `the ${field} must not be a letter, digit, mark, blank or invisible character: a value holding it would read as another value`,
      };
  if (/[\p{L}\p{N}\p{M}]/u.test(format.delimiter))
    return { field: 'delimiter', message: 'the delimiter must not hold a letter, digit or mark: a value holding it would be split' };
  return undefined;
}

const csvListSchema = z
  .strictObject({
    file: z.string().min(1),
    attributes,
    sharedBy,
    /**
     * The file's column name → ours (`{ "opt-in-id": "opt_in_id" }`); unmapped columns keep their
     * name. Without a `recipient_id` column the address is the recipient id.
     */
    columns: z.record(z.string().min(1), z.string().min(1)).default({}),
    /** The export fails (before the clear) when more than this share of the file's lines is malformed. */
    maxMalformedPercent: z.number().min(0).max(100).default(10),
    /**
     * A last line the file does not end with a line break: `exclude` (default) excludes it as
     * `cut_last_line`, since the file may have been cut in it; `read` reads it, for a writer that never
     * ends its last line. Its opt-outs count either way.
     */
    lastLineWithoutEnd: z.enum(['exclude', 'read']).default('exclude'),
  })
  .superRefine((list, ctx) => {
    const seen = new Map<string, string>();
    for (const [theirs, ours] of Object.entries(list.columns)) {
      // A file's consent column mapped to another name would have its opt-outs ignored: every row sent.
      const consent = CONSENT_COLUMNS.includes(theirs.trim()) ? theirs.trim() : consentColumnNearMiss(theirs);
      if (consent !== undefined && ours !== consent)
        ctx.addIssue({
          code: 'custom',
          path: ['columns', theirs],
          message: `the file's column "${theirs}" reads as ${consent} but is mapped to ${ours}: its opt-outs would be ignored; map it to ${consent}`,
        });
      const other = seen.get(ours);
      if (other !== undefined)
        ctx.addIssue({ code: 'custom', path: ['columns', theirs], message: `both ${other} and ${theirs} map to ${ours}` });
      seen.set(ours, theirs);
    }
  });

const csvSchema = z.strictObject({
  kind: z.literal('csv'),
  lists: z.record(selectionKey, csvListSchema),
  format: csvFormatSchema.prefault({}),
  /** Where feedback and response files for the CRM to import are written. */
  outbox: z.string().min(1),
  /** Optimizely mailing id → CRM campaign id: a file exchange cannot ask the CRM. */
  campaigns: z.record(z.string(), z.string()).default({}),
});

/** The CRM adapter configuration: one of SQLite, PostgreSQL or CSV exchange. */
export const crmConfigSchema = z.discriminatedUnion('kind', [sqliteSchema, postgresSchema, csvSchema]);

export type CrmConfig = z.infer<typeof crmConfigSchema>;
export type SqliteCrmConfig = z.infer<typeof sqliteSchema>;
export type PostgresCrmConfig = z.infer<typeof postgresSchema>;
export type CsvCrmConfig = z.infer<typeof csvSchema>;
export type CsvFormat = z.infer<typeof csvFormatSchema>;
export type CsvListConfig = z.infer<typeof csvListSchema>;
export type CrmStatements = z.infer<typeof statementsSchema>;
export type SqlListSelection = z.infer<typeof sqlListSchema>;

/**
 * The configured selection of a list, or undefined. Own keys only: a list key such as `constructor`
 * or `__proto__` (from an operator or a workflow argument) must not find the object prototype's.
 */
export function configuredList<L extends Readonly<Record<string, unknown>>>(lists: L, listKey: string): L[string] | undefined {
  return ownValue(lists, listKey) as L[string] | undefined;
}

/** The key `<client key>/<list key>` of one client's own selection in `crm.lists`. */
export function clientSelectionKey(clientKey: string, listKey: string): string {
  return `${clientKey}/${listKey}`;
}

/**
 * The key of `crm.lists` a client's list reads its selection under: the client's own
 * `<client key>/<list key>` when given, else the plain list key; undefined when neither is
 * configured. The one look-up of a list's selection: the export, the pre-flight, the refill's field
 * names, reconcile, plan and the configuration's own checks all go through it.
 */
export function selectionKeyOf(lists: Readonly<Record<string, unknown>>, clientKey: string, listKey: string): string | undefined {
  const own = clientSelectionKey(clientKey, listKey);
  if (configuredList(lists, own) !== undefined) return own;
  return configuredList(lists, listKey) !== undefined ? listKey : undefined;
}

/** The selection a client's list reads (selectionKeyOf), or undefined. */
export function selectionOf<L extends Readonly<Record<string, unknown>>>(
  lists: L,
  clientKey: string,
  listKey: string,
): L[string] | undefined {
  const key = selectionKeyOf(lists, clientKey, listKey);
  return key === undefined ? undefined : configuredList(lists, key);
}
