// SQLite schema of the simulator's state. Everything is per client (mandator_id). Attribute values
// are one JSON object per recipient: cheap to write in bulk and enough for the simulator's reads.
// Recipients are rows in insertion order with a unique index on (client, list, id), not a table
// clustered by id: an addAll3 of 1000 random ids then appends its rows to a few pages and touches
// only small index entries, where the clustered table moved ~350-byte rows on a thousand pages per
// call, a cost that grew with the list (at 500,000 recipients about half the simulator's CPU). A file
// created with the clustered table keeps it and works the same: every query names its order.
export const SCHEMA = `
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS clients (
  mandator_id INTEGER PRIMARY KEY, username TEXT NOT NULL, password TEXT NOT NULL,
  hard_threshold INTEGER NOT NULL, soft_threshold INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS lists (
  mandator_id INTEGER NOT NULL, list_id INTEGER NOT NULL, name TEXT NOT NULL, description TEXT NOT NULL,
  type TEXT NOT NULL, fields TEXT NOT NULL, id_field TEXT NOT NULL, email_field TEXT NOT NULL,
  is_test INTEGER NOT NULL, filter TEXT, PRIMARY KEY (mandator_id, list_id));
CREATE TABLE IF NOT EXISTS recipients (
  mandator_id INTEGER NOT NULL, list_id INTEGER NOT NULL, recipient_id TEXT NOT NULL, address TEXT NOT NULL,
  attrs TEXT NOT NULL, optin_state TEXT NOT NULL, optin_process_id INTEGER NOT NULL,
  created INTEGER NOT NULL, modified INTEGER NOT NULL,
  UNIQUE (mandator_id, list_id, recipient_id));
CREATE TABLE IF NOT EXISTS unsubscribes (
  mandator_id INTEGER NOT NULL, recipient_id TEXT NOT NULL, list_id INTEGER NOT NULL, created INTEGER NOT NULL,
  PRIMARY KEY (mandator_id, recipient_id)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS blocklist (
  mandator_id INTEGER NOT NULL, entry TEXT NOT NULL, reason TEXT NOT NULL, created INTEGER NOT NULL,
  PRIMARY KEY (mandator_id, entry)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS bounces (
  mandator_id INTEGER NOT NULL, recipient_id TEXT NOT NULL, hard INTEGER NOT NULL, soft INTEGER NOT NULL,
  PRIMARY KEY (mandator_id, recipient_id)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS optin_processes (
  mandator_id INTEGER NOT NULL, id INTEGER NOT NULL, name TEXT NOT NULL, type TEXT NOT NULL,
  description TEXT NOT NULL, PRIMARY KEY (mandator_id, id));
CREATE TABLE IF NOT EXISTS mailings (
  mandator_id INTEGER NOT NULL, mailing_id INTEGER NOT NULL, name TEXT NOT NULL, list_id INTEGER NOT NULL,
  start_time INTEGER NOT NULL, end_time INTEGER, PRIMARY KEY (mandator_id, mailing_id));
CREATE TABLE IF NOT EXISTS events (
  seq INTEGER PRIMARY KEY AUTOINCREMENT, mandator_id INTEGER NOT NULL, getter TEXT NOT NULL,
  recipient_id TEXT NOT NULL, mailing_id INTEGER, list_id INTEGER NOT NULL, event_time INTEGER NOT NULL,
  batch_time INTEGER NOT NULL, category TEXT, link_id INTEGER, link_url TEXT);
CREATE INDEX IF NOT EXISTS events_by_batch ON events (mandator_id, getter, batch_time, seq);
`;
