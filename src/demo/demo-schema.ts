// The default CRM schema (docs/crm.md): what the default statements and the demo selections expect.
// Portable between SQLite and PostgreSQL, so the same DDL builds the demo CRM in both.

export const DEMO_TABLES = [
  'CREATE TABLE accounts (id TEXT PRIMARY KEY, name TEXT NOT NULL, email TEXT, city TEXT)',
  'CREATE TABLE contacts (id TEXT PRIMARY KEY, account_id TEXT, salutation TEXT, first_name TEXT, last_name TEXT, email TEXT, city TEXT)',
  'CREATE TABLE leads (id TEXT PRIMARY KEY, salutation TEXT, first_name TEXT, last_name TEXT, email TEXT, company TEXT, city TEXT)',
  [
    'CREATE TABLE consents (entity_type TEXT NOT NULL, entity_id TEXT NOT NULL, opt_in_id INTEGER NOT NULL,',
    'media_type TEXT NOT NULL, status TEXT NOT NULL, changed_at TEXT NOT NULL,',
    'PRIMARY KEY (entity_type, entity_id, opt_in_id, media_type))',
  ].join(' '),
  [
    'CREATE TABLE bounces (entity_type TEXT NOT NULL, entity_id TEXT NOT NULL, hard INTEGER NOT NULL,',
    'bounced_at TEXT NOT NULL, PRIMARY KEY (entity_type, entity_id))',
  ].join(' '),
  'CREATE TABLE marketing_lists (id INTEGER PRIMARY KEY, list_key TEXT NOT NULL UNIQUE, name TEXT NOT NULL, opt_in_id INTEGER NOT NULL)',
  [
    'CREATE TABLE marketing_list_members (list_id INTEGER NOT NULL, entity_type TEXT NOT NULL, entity_id TEXT NOT NULL,',
    'PRIMARY KEY (list_id, entity_type, entity_id))',
  ].join(' '),
  'CREATE TABLE reports (list_key TEXT PRIMARY KEY, name TEXT NOT NULL, query TEXT NOT NULL)',
  'CREATE TABLE campaigns (id TEXT PRIMARY KEY, name TEXT NOT NULL, mailing_id TEXT UNIQUE)',
  [
    'CREATE TABLE campaign_responses (campaign_id TEXT NOT NULL, kind TEXT NOT NULL, recipient_id TEXT NOT NULL,',
    "entity_type TEXT NOT NULL, entity_id TEXT NOT NULL, occurred_at TEXT NOT NULL, url TEXT NOT NULL DEFAULT '',",
    'PRIMARY KEY (campaign_id, kind, recipient_id, occurred_at, url))',
  ].join(' '),
] as const;

/** Every entity the feedback statements may name, whatever table it lives in. */
export const DEMO_VIEWS = [
  [
    "CREATE VIEW crm_entities AS SELECT 'contact' AS entity_type, id AS entity_id FROM contacts",
    "UNION ALL SELECT 'lead', id FROM leads UNION ALL SELECT 'account', id FROM accounts",
  ].join(' '),
] as const;

/** Table names in load order, with their columns, for copying the demo CRM between databases. */
export const DEMO_TABLE_COLUMNS: Readonly<Record<string, readonly string[]>> = {
  accounts: ['id', 'name', 'email', 'city'],
  contacts: ['id', 'account_id', 'salutation', 'first_name', 'last_name', 'email', 'city'],
  leads: ['id', 'salutation', 'first_name', 'last_name', 'email', 'company', 'city'],
  consents: ['entity_type', 'entity_id', 'opt_in_id', 'media_type', 'status', 'changed_at'],
  bounces: ['entity_type', 'entity_id', 'hard', 'bounced_at'],
  marketing_lists: ['id', 'list_key', 'name', 'opt_in_id'],
  marketing_list_members: ['list_id', 'entity_type', 'entity_id'],
  reports: ['list_key', 'name', 'query'],
  campaigns: ['id', 'name', 'mailing_id'],
  campaign_responses: ['campaign_id', 'kind', 'recipient_id', 'entity_type', 'entity_id', 'occurred_at', 'url'],
};
