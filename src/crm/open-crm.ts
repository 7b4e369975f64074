import { CrmConfigError } from '../errors/crm-config-error';
import type { CrmConfig, PostgresCrmConfig } from './crm-config';
import type { CrmPort } from './crm-port';
import { openCsvCrm } from './csv/csv-crm';
import { openPostgresCrm } from './sql/postgres-crm';
import { openSqliteCrm } from './sql/sqlite-crm';

/** The PostgreSQL URL of a CRM configuration; `env` is passed in because only config code reads process.env. */
export function resolveCrmUrl(config: PostgresCrmConfig, env: Readonly<Record<string, string | undefined>>): string {
  if (config.url !== undefined) return config.url;
  const url = config.urlEnv === undefined ? undefined : env[config.urlEnv];
  if (url === undefined || url === '') throw new CrmConfigError(`environment variable ${config.urlEnv ?? '(none)'} is not set`);
  return url;
}

/** Opens the CRM port the configuration describes. */
export function openCrm(config: CrmConfig, env: Readonly<Record<string, string | undefined>> = {}): CrmPort {
  switch (config.kind) {
    case 'sqlite':
      return openSqliteCrm(config);
    case 'postgres':
      return openPostgresCrm(config, resolveCrmUrl(config, env));
    case 'csv':
      return openCsvCrm(config);
  }
}
