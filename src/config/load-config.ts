import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { ConfigError } from '../errors/config-error';
import { controlCharacterProblems } from './control-characters';
import { findDuplicateJsonKeys } from './json-duplicate-keys';
import { locateJsonSyntaxError } from './json-syntax-error';
import { configSchema, type CampaignSyncConfig, type SecretRef } from './config-schema';
import { sameSourceProblems } from './selection-readers';
import { sharedFeedbackFolderProblems } from './shared-folders';

/** Reads and validates a JSON configuration file; relative paths in it are relative to the file. */
export function loadConfig(file: string): CampaignSyncConfig {
  let text: string;
  try {
    text = readFileSync(file, 'utf8').replace(/^\uFEFF/, '');
  } catch (cause) {
    throw new ConfigError(file, [`cannot read it: ${(cause as NodeJS.ErrnoException).code ?? (cause as Error).message}`]);
  }
  const raw = parseJson(text, file);
  refuseDuplicateKeys(text, file);
  return parseConfig(raw, file, dirname(resolve(file)));
}

/** A key given twice in one object: JSON.parse keeps the last, and which one was meant is a guess. */
function refuseDuplicateKeys(text: string, file: string): void {
  const duplicates = findDuplicateJsonKeys(text);
  if (duplicates.length === 0) return;
  throw new ConfigError(
    file,
    duplicates.map(
      ({ path, firstLine, line }) =>
        `${path.join('.')}: given twice in one object (lines ${firstLine} and ${line}); which one is meant would be a guess, so keep one`,
    ),
  );
}

/** JSON.parse, with a syntax error reported by position only: the text around it may be a secret. */
function parseJson(text: string, file: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    const at = locateJsonSyntaxError(text);
    const where = at ? ` at line ${at.line}, column ${at.column} (${at.problem})` : '';
    throw new ConfigError(file, [`cannot read it as JSON: syntax error${where}`]);
  }
}

/** Validates a configuration object, listing every problem with its path. */
export function parseConfig(raw: unknown, source: string, baseDir: string): CampaignSyncConfig {
  // Alone, before the schema: its messages quote keys and names, which would print the characters.
  const controls = controlCharacterProblems(raw);
  if (controls.length > 0) throw new ConfigError(source, controls);
  const parsed = configSchema.safeParse(raw);
  if (!parsed.success) {
    throw new ConfigError(
      source,
      parsed.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`),
    );
  }
  const resolved = resolvePaths(parsed.data, baseDir);
  // Folders compare only once resolved against the file: `./drop` and `/etc/cs/drop` may be one.
  const shared = [...sharedFeedbackFolderProblems(resolved), ...sameSourceProblems(resolved)];
  if (shared.length > 0) throw new ConfigError(source, shared);
  return resolved;
}

function resolvePaths(config: CampaignSyncConfig, baseDir: string): CampaignSyncConfig {
  const at = (path: string) => (isAbsolute(path) ? path : resolve(baseDir, path));
  const crm = { ...config.crm };
  if (crm.kind === 'sqlite') crm.file = at(crm.file);
  if (crm.kind === 'csv') {
    crm.outbox = at(crm.outbox);
    crm.lists = Object.fromEntries(Object.entries(crm.lists).map(([k, l]) => [k, { ...l, file: at(l.file) }]));
  }
  const secret = (ref: SecretRef): SecretRef => ('file' in ref ? { file: at(ref.file) } : ref);
  const store =
    config.store.kind === 'sqlite' ? { ...config.store, file: at(config.store.file) } : { ...config.store, url: secret(config.store.url) };
  const clients = config.clients.map((c) => ({
    ...c,
    password: secret(c.password),
    feedbackFolder: c.feedbackFolder && at(c.feedbackFolder),
    alerts: c.alerts && { ...c.alerts, channels: c.alerts.channels.map((channel) => ({ ...channel, url: secret(channel.url) })) },
  }));
  return { ...config, dataDir: at(config.dataDir), crm, store, clients };
}

/** Reads a secret at the moment it is needed, so it never sits in a long-lived object or a log. */
export function readSecret(ref: SecretRef, env: NodeJS.ProcessEnv = process.env): string {
  if ('env' in ref) {
    const value = env[ref.env];
    if (!value) throw new ConfigError('environment', [`${ref.env} is not set (referenced as a secret)`]);
    return value;
  }
  try {
    return readFileSync(ref.file, 'utf8').trim();
  } catch {
    throw new ConfigError(ref.file, ['the secret file cannot be read']);
  }
}
