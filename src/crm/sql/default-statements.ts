// The statements of the default CRM schema (docs/crm.md, "Default schema"); the demo CRM uses it.
// Each is portable between SQLite (≥ 3.24, upsert) and PostgreSQL (≥ 9.5). The adapter reads the
// affected-row count of `bounce`, `unsubscribe` and `response` to tell "applied" from "already",
// so each must change nothing when the CRM already says so.

export const DEFAULT_STATEMENTS = {
  /** Returns a row when the entity exists. */
  entityExists: 'SELECT 1 FROM crm_entities WHERE entity_type = :entityType AND entity_id = :entityId',
  /** Records a bounce; a later hard bounce upgrades a soft one, an older one changes nothing. */
  bounce: [
    'INSERT INTO bounces (entity_type, entity_id, hard, bounced_at)',
    'VALUES (:entityType, :entityId, :hard, :occurredAt)',
    'ON CONFLICT (entity_type, entity_id) DO UPDATE SET hard = 1, bounced_at = excluded.bounced_at',
    `WHERE bounces.hard = 0 AND excluded.hard = 1 AND ${notOlder('bounces.bounced_at', 'excluded.bounced_at')}`,
  ].join(' '),
  /**
   * Withdraws the advertising consent of the list (opt-in id + media type), unless the CRM changed
   * that consent after the unsubscribe: a re-grant since then stands.
   */
  unsubscribe: [
    'INSERT INTO consents (entity_type, entity_id, opt_in_id, media_type, status, changed_at)',
    "VALUES (:entityType, :entityId, :optInId, :mediaType, 'withdrawn', :occurredAt)",
    "ON CONFLICT (entity_type, entity_id, opt_in_id, media_type) DO UPDATE SET status = 'withdrawn',",
    `changed_at = excluded.changed_at WHERE consents.status <> 'withdrawn' AND ${notOlder('consents.changed_at', 'excluded.changed_at')}`,
  ].join(' '),
  /** Returns the column `campaign_id` for a mailing the CRM knows as a campaign. */
  campaignForMailing: 'SELECT id AS campaign_id FROM campaigns WHERE mailing_id = :mailingId',
  /** Records one open or click once. */
  response: [
    'INSERT INTO campaign_responses (campaign_id, kind, recipient_id, entity_type, entity_id, occurred_at, url)',
    'VALUES (:campaignId, :kind, :recipientId, :entityType, :entityId, :occurredAt, :url)',
    'ON CONFLICT (campaign_id, kind, recipient_id, occurred_at, url) DO NOTHING',
  ].join(' '),
} as const;

/**
 * True when the event (`event`) is not older than the CRM's last change (`crm`), to the second. Both
 * are ISO 8601 UTC text (`YYYY-MM-DDTHH:MM:SS[.fff]Z`); the first 19 characters compare in time order
 * on SQLite and PostgreSQL alike, whatever the fraction digits. A tie applies the withdrawal.
 */
function notOlder(crm: string, event: string): string {
  return `substr(${crm}, 1, 19) <= substr(${event}, 1, 19)`;
}

/** The configured statements: the per-event ones (all with defaults) and the optional multi-row `responseBatch` (response-batch.ts). */
export type StatementName = DefaultStatementName | 'responseBatch';

/** The per-event statements, each with a default. */
export type DefaultStatementName = keyof typeof DEFAULT_STATEMENTS;
