// The multi-row `responseBatch` statement (response-batch.ts, docs/crm.md) for the default schema,
// one per dialect: their JSON functions differ. Neither is a default: a CRM opts in by configuring
// `statements.responseBatch`, and without it every open and click runs the per-event `response`.
// Each records the events in array order, as `response` would one after the other, and returns the
// parameters of each event it recorded (ON CONFLICT DO NOTHING returns only the rows inserted).

const COLUMNS = 'campaign_id, kind, recipient_id, entity_type, entity_id, occurred_at, url';
const CONFLICT = 'ON CONFLICT (campaign_id, kind, recipient_id, occurred_at, url) DO NOTHING';
const RETURNED =
  'RETURNING campaign_id AS "campaignId", kind, recipient_id AS "recipientId", entity_type AS "entityType", entity_id AS "entityId", occurred_at AS "occurredAt", url';
const FIELDS = ['campaignId', 'kind', 'recipientId', 'entityType', 'entityId', 'occurredAt', 'url'];

export const RESPONSE_BATCH_STATEMENTS = {
  /** SQLite ≥ 3.38 (json_each, ->>, RETURNING); `WHERE true` keeps the upsert from reading as a join's ON. */
  sqlite: [
    `INSERT INTO campaign_responses (${COLUMNS})`,
    `SELECT ${FIELDS.map((f) => `e.value ->> '${f}'`).join(', ')}`,
    'FROM json_each(:events) AS e WHERE true ORDER BY e.key',
    CONFLICT,
    RETURNED,
  ].join(' '),
  /** PostgreSQL ≥ 9.5 (jsonb, WITH ORDINALITY, ON CONFLICT). */
  postgres: [
    `INSERT INTO campaign_responses (${COLUMNS})`,
    `SELECT ${FIELDS.map((f) => `e ->> '${f}'`).join(', ')}`,
    'FROM jsonb_array_elements(CAST(:events AS jsonb)) WITH ORDINALITY AS x(e, n) ORDER BY n',
    CONFLICT,
    RETURNED,
  ].join(' '),
} as const;
