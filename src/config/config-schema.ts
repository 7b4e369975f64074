import { z } from 'zod';
import { clientSelectionKey, crmConfigSchema, selectionOf } from '../crm/crm-config';
import { SENT_COLUMNS } from '../validation/sendability';
import { sendabilityPolicySchema } from '../validation/sendability-policy';
import { boundedDurationSchema, durationSchema } from './duration';
import { optimizelyAccount } from './optimizely-account';
import { parseReadyBy, timeZoneProblem } from './ready-by';
import { skippedTimeProblem } from './skipped-local-time';
import { feedbackColumnsSchema } from './feedback-columns-schema';
import { reservedFieldIssues } from './reserved-fields';
import { selectionSharingIssues } from './selection-readers';
import { ENV_NAME, ENV_NAME_MESSAGE } from './env-name';
import { inlineSecretIssues } from './inline-secrets';

// The one schema of campaign-sync's configuration file. Secrets are references (an environment
// variable or a file), never values, so the file itself can be committed and reviewed.

/**
 * Client and list keys go into Temporal ids (`ready-by:<client>:<HH:MM>@<zone>:scheduled-<time>`,
 * `list-sync:<client>:<list>`), which the server limits to 1,000 characters: a longer key loaded, and
 * its schedule was refused at `apply`, or created and then failed to start its run every night.
 */
export const KEY_MAX = 100;
const key = z
  .string()
  .max(KEY_MAX, `at most ${KEY_MAX} characters (it is part of Temporal's ids)`)
  .regex(/^[a-z0-9][a-z0-9_-]*$/, 'lower-case letters, digits, - and _');

export const secretRefSchema = z.union(
  [z.strictObject({ env: z.string().regex(ENV_NAME, ENV_NAME_MESSAGE) }), z.strictObject({ file: z.string().min(1) })],
  // Never the value itself (it may be the secret pasted in): what a reference looks like.
  { error: 'a secret reference, {"env": "VAR"} or {"file": "path"}; the secret itself never goes in this file' },
);

/** When a run is held for an operator instead of clearing the list. */
const guardSchema = z.strictObject({
  /** Hold when the snapshot is smaller than the last good run's by more than this. */
  maxShrinkPercent: z.number().min(0).max(100).default(20),
  /** Hold when more than this share of the selection's rows was excluded. */
  maxExcludedPercent: z.number().min(0).max(100).default(50),
  /** An empty export is held unless this is set (a list that may legitimately be empty). */
  allowEmpty: z.boolean().default(false),
  /**
   * Strategy `reconcile` only: hold when the diff would remove more than this share of the live list
   * (its recipients read before any change). A CRM that loses consents in bulk is held like a shrink.
   */
  maxRemovePercent: z.number().min(0).max(100).default(10),
  /**
   * Hold when more than this share of the recipients kept since the last good run (strategy
   * reconcile: kept on the live list) lost a mapped attribute's value: emptied, or garbled (U+FFFD, a
   * decoding error, a placeholder like `NULL`, `?` for every accented letter). Per attribute
   * (docs/daily-sync.md, "Attribute values").
   */
  maxBlankedPercent: z.number().min(0).max(100).default(5),
  /** Strategy `reconcile` only: hold when the diff would update the values of more than this share of the recipients it keeps. */
  maxUpdatePercent: z.number().min(0).max(100).default(20),
  /**
   * The two attribute rules above hold only when at least this many recipients are concerned: on a
   * small list one changed city is a large share of it, and a handful of values cannot make a list
   * worse the way a night of emptied names does. 0 holds on the share alone.
   */
  minAttributeChanges: z.number().int().min(0).default(10),
  /** Reject a held run when nobody approved it by then. */
  approvalTimeout: durationSchema.default(12 * 3_600_000),
  /**
   * A held run approved longer than this after its export is exported again (and guarded again,
   * against the approved export) before the clear: consents withdrawn in the CRM during the hold are
   * not sent (docs/daily-sync.md, "A long hold").
   */
  reexportAfter: durationSchema.default(15 * 60_000),
});

// Rows are compared by their lower-cased entity type: `Contact` here would match no row at all.
const entityType = z
  .string()
  .trim()
  .min(1)
  .transform((type) => type.toLowerCase());

/** What an e-mail domain written in Unicode becomes (docs/crm.md, "E-mail rule"). */
const idnDomainsSchema = z.enum(['reject', 'punycode']);

/**
 * A list relates to exactly one advertising consent and one medium, compared with each CRM row's
 * value exactly (trimmed). A value that reads as several (`11,12`, `11 12`, `11|12`), as a pattern
 * (`*`, `1%`, `1?`) or holds an invisible character matches no CRM row as meant, or worse the one row
 * whose cell is that very text: refused, never split or guessed.
 */
const NOT_ONE_TOKEN = /[\s,;|*%?\p{Cc}\p{Cf}]/u;
function oneToken(what: string) {
  return z
    .string()
    .trim()
    .min(1)
    .refine(
      (value) => !NOT_ONE_TOKEN.test(value),
      `${what}: one value without blanks, separators (, ; |), wildcards (* % ?) or invisible characters`,
    );
}

export const syncListSchema = z.strictObject({
  key,
  /** The Optimizely recipient list this synchronised list fills. */
  listId: z.int().positive(),
  /** Optimizely's opt-in process for adds; 0 is none (regular lists). */
  optinProcessId: z.int().min(0).default(0),
  /** The one advertising consent of this list (the CRM's opt-in id). */
  optInId: z.union([oneToken('the one advertising consent (the CRM opt-in id)'), z.int()]).transform(String),
  mediaType: oneToken('one media type').default('email'),
  entityTypes: z.array(entityType).min(1).default(['contact', 'lead', 'account']),
  /** Which entity's row wins when several share a recipient id; earlier wins. */
  entityPreference: z.array(entityType).default(['contact', 'lead', 'account']),
  lowercaseLocalPart: z.boolean().default(true),
  /** An e-mail domain in Unicode (`münchen.de`): `reject` (excluded as `idn_domain`) or `punycode` (converted, counted); the client's when unset. */
  idnDomains: idnDomainsSchema.optional(),
  /**
   * A CRM consent granted after an unsubscribe at Optimizely is a re-subscription, which needs an
   * opt-in process: excluded as `resubscribe_needs_optin` unless this is set. Regular lists only.
   */
  allowResubscribe: z.boolean().default(false),
  /** The Optimizely field holding the recipient id; `plan` reads the live list by it. */
  idField: z.string().min(1).default('email'),
  /** The Optimizely field holding the e-mail address (the same as `idField` for lists keyed by address). */
  emailField: z.string().min(1).default('email'),
  enabled: z.boolean().default(true),
  guard: guardSchema.prefault({}),
  /**
   * A list sync that fails after its clear refills the last good run's recipients (minus everyone
   * suppressed since) only if that run started at most this many days ago; otherwise the list is
   * left incomplete and says so (docs/daily-sync.md, "What can go wrong after the clear").
   */
  restoreMaxAgeDays: z.int().min(1).max(90).default(7),
  /**
   * `refresh` (default): clear the list and refill it from the export. `reconcile`: read the live list
   * and apply the difference (remove leavers, add joiners, update the changed); the list is never
   * cleared (docs/daily-sync.md, "Two strategies").
   */
  strategy: z.enum(['refresh', 'reconcile']).default('refresh'),
  /**
   * Strategy `reconcile`: besides the count check after every run, read the list back in full and
   * compare its ids with the export when the last full read-back is older than this many days.
   */
  fullVerifyEveryDays: z.int().min(1).max(90).default(7),
  /** Values the refill could not send: strip or exclude, and per-field length limits (docs/crm.md, "Sendability"). */
  sendability: sendabilityPolicySchema.prefault({}),
  /**
   * "HH:MM <IANA time zone>": the list must be ready (a verified refill since the previous deadline)
   * by then every day, or an incident opens (docs/operations.md, "Alerts"). No deadline when absent.
   */
  readyBy: z.string().optional(),
});

const scheduleSchema = z
  .strictObject({
    /** Local time of the daily run, HH:MM. */
    time: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'HH:MM, 24-hour'),
    /** An IANA time zone, spelled as the database spells it (Temporal's schedules look it up by name). */
    timeZone: z
      .string()
      .default('UTC')
      .superRefine((zone, ctx) => {
        const problem = timeZoneProblem(zone);
        if (problem !== undefined) ctx.addIssue({ code: 'custom', message: problem });
      }),
    /** Response ingestion on its own, more often than daily; off when absent. */
    responsesEvery: boundedDurationSchema({ minMs: 60_000, maxMs: 86_400_000 }).optional(),
  })
  .superRefine((schedule, ctx) => {
    // Temporal starts nothing on a night the time does not exist (src/config/skipped-local-time.ts).
    if (timeZoneProblem(schedule.timeZone) !== undefined) return;
    const [hour, minute] = schedule.time.split(':').map(Number) as [number, number];
    const problem = skippedTimeProblem(hour, minute, schedule.timeZone);
    if (problem !== undefined) ctx.addIssue({ code: 'custom', path: ['time'], message: problem });
  });

/** Where incident notices go (docs/operations.md, "Notifications"); the URLs are secrets. */
const alertsSchema = z.strictObject({
  channels: z
    .array(z.strictObject({ kind: z.enum(['webhook', 'slack']), url: secretRefSchema }))
    .max(10)
    .default([]),
  /** The whole delivery to one channel, connection to answer. */
  timeout: boundedDurationSchema({ maxMs: 600_000 }).default(10_000),
});

export const clientSchema = z
  .strictObject({
    key,
    /** Base URL of the SOAP API; `/soap11/Rpc<Service>` is appended. */
    endpoint: z.url({ protocol: /^https?$/, error: 'an http or https URL' }),
    mandatorId: z.int().positive(),
    username: z.string().min(1),
    password: secretRefSchema,
    /** SOAP calls in flight for this client; Optimizely allows 40. */
    concurrency: z.int().min(1).max(40).default(8),
    /** List syncs of this client running at once. */
    listParallelism: z.int().min(1).max(20).default(2),
    /** A folder where an Optimizely export job drops bounces.csv / unsubscribes.csv, read besides SOAP. */
    feedbackFolder: z.string().min(1).optional(),
    /**
     * The export job's own header names for the feedback columns, when they differ (e.g.
     * `{ "recipientListId": "listId" }`); every other column keeps its documented name.
     */
    feedbackColumns: feedbackColumnsSchema.optional(),
    schedule: scheduleSchema.optional(),
    /** Incident notices to webhooks; none when absent. */
    alerts: alertsSchema.optional(),
    /** Consent-propagation objective: hours from an opt-out at Optimizely to the CRM and to every list (docs/operations.md, "Consent latency"). */
    consentLatencyObjectiveHours: z
      .number()
      .positive()
      .max(24 * 90)
      .default(26),
    /** The IDN policy of the client's lists that set none: `reject` (default) or `punycode`. */
    idnDomains: idnDomainsSchema.default('reject'),
    lists: z.array(syncListSchema).min(1),
    // A list without its own IDN policy takes the client's, so every list carries one after parsing.
  })
  .transform((client) => ({
    ...client,
    lists: client.lists.map((list) => ({ ...list, idnDomains: list.idnDomains ?? client.idnDomains })),
  }));

const storeSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('sqlite'), file: z.string().min(1) }),
  z.strictObject({ kind: z.literal('postgres'), url: secretRefSchema, poolSize: z.int().min(1).max(100).optional() }),
]);

/** How long the state store keeps what each run leaves behind; pruned at the end of every daily run. */
const retentionSchema = z.strictObject({
  /** Snapshots (the exported recipients of a run): only needed until the run has ended. */
  snapshotDays: z.int().min(1).max(3650).default(7),
  /** Runs with their ledger entries, sent batches and steps: what `why` and `report` look back on. */
  runDays: z.int().min(1).max(3650).default(90),
});

/**
 * How each Optimizely client's call budget (`concurrency`, and 10 concurrent reads) is held: `local`
 * counts in each worker process, `distributed` leases it from the state store so all workers
 * together stay within it; `auto` is distributed on PostgreSQL and local on SQLite (one host).
 */
const optimizelyBudgetSchema = z.strictObject({
  mode: z.enum(['auto', 'local', 'distributed']).default('auto'),
  /** A dead worker's slots return after this; a live one renews its lease every second (at most a quarter of it). */
  lease: boundedDurationSchema({ minMs: 2_000, maxMs: 600_000 }).default(30_000),
});

export const configSchema = z
  .strictObject({
    /** Run artefacts (feedback CSV files, snapshots on disk) live here. */
    dataDir: z.string().min(1).default('.data'),
    clients: z.array(clientSchema).min(1),
    crm: crmConfigSchema,
    store: storeSchema,
    retention: retentionSchema.default({ snapshotDays: 7, runDays: 90 }),
    optimizelyBudget: optimizelyBudgetSchema.prefault({}),
  })
  .superRefine((config, ctx) => {
    const clientKeys = new Set<string>();
    // Optimizely list (account and list id) → the synchronised list filling it, across all clients.
    const listOwners = new Map<string, { client: string; list: string }>();
    config.clients.forEach((client, c) => {
      if (clientKeys.has(client.key))
        ctx.addIssue({ code: 'custom', path: ['clients', c, 'key'], message: `duplicate client key ${client.key}` });
      clientKeys.add(client.key);
      const listKeys = new Set<string>();
      const account = optimizelyAccount(client);
      client.lists.forEach((list, l) => {
        const path = ['clients', c, 'lists', l];
        if (listKeys.has(list.key)) ctx.addIssue({ code: 'custom', path: [...path, 'key'], message: `duplicate list key ${list.key}` });
        listKeys.add(list.key);
        const readyBy = list.readyBy === undefined ? undefined : parseReadyBy(list.readyBy);
        if (readyBy && !readyBy.ok)
          ctx.addIssue({ code: 'custom', path: [...path, 'readyBy'], message: `list ${list.key}: readyBy ${readyBy.problem}` });
        // The deadline check is a schedule at that local time: on a night it does not exist, no check.
        const skipped = readyBy?.ok ? skippedTimeProblem(readyBy.value.hour, readyBy.value.minute, readyBy.value.timeZone) : undefined;
        if (skipped !== undefined)
          ctx.addIssue({ code: 'custom', path: [...path, 'readyBy'], message: `list ${list.key}: readyBy ${skipped}` });
        // Two syncs of one Optimizely list would clear and refill it in turn, each under its own consent;
        // also when they are lists of two clients that reach one Optimizely account.
        const owner = listOwners.get(`${account} ${list.listId}`);
        if (owner !== undefined)
          ctx.addIssue({ code: 'custom', path: [...path, 'listId'], message: listTaken(list.listId, owner, client.key) });
        else listOwners.set(`${account} ${list.listId}`, { client: client.key, list: list.key });
        if (list.allowResubscribe && list.optinProcessId > 0) {
          ctx.addIssue({
            code: 'custom',
            path: [...path, 'allowResubscribe'],
            message: `list ${list.key} has an opt-in process (optinProcessId ${list.optinProcessId}): a re-subscription must go through it, allowResubscribe is for regular lists only`,
          });
        }
        // The one look-up (own keys only: a list named `constructor` must not find Object's constructor).
        const selection = selectionOf(config.crm.lists, client.key, list.key);
        if (!selection) {
          ctx.addIssue({
            code: 'custom',
            path: [...path, 'key'],
            message: `no CRM selection for list ${list.key} under crm.lists (crm.lists["${clientSelectionKey(client.key, list.key)}"] or crm.lists.${list.key})`,
          });
          return;
        }
        const sent = new Set<string>([...SENT_COLUMNS, ...Object.keys(selection.attributes)]);
        for (const column of Object.keys(list.sendability.maxLengths).filter((c) => !sent.has(c))) {
          ctx.addIssue({
            code: 'custom',
            path: [...path, 'sendability', 'maxLengths', column],
            message: `${column} is not a column sent for list ${list.key}`,
          });
        }
      });
    });
    for (const issue of selectionSharingIssues(config)) ctx.addIssue({ code: 'custom', ...issue });
    for (const issue of reservedFieldIssues(config)) ctx.addIssue({ code: 'custom', ...issue });
    for (const issue of inlineSecretIssues(config)) ctx.addIssue({ code: 'custom', ...issue });
  });

/** The refusal of a list id another synchronised list fills already, naming that list (and its client when another). */
function listTaken(listId: number, owner: { client: string; list: string }, client: string): string {
  if (owner.client === client) return `list ${listId} is already synchronised by ${owner.list}`;
  return `list ${listId} is already synchronised by ${owner.list} of client ${owner.client}, which reaches the same Optimizely account (mandatorId and endpoint)`;
}

export type CampaignSyncConfig = z.infer<typeof configSchema>;
export type ClientConfig = z.infer<typeof clientSchema>;
export type OptimizelyBudgetConfig = z.infer<typeof optimizelyBudgetSchema>;
export type SyncListConfig = z.infer<typeof syncListSchema>;
export type SecretRef = z.infer<typeof secretRefSchema>;
