import { crmConfigSchema } from '../../../src/crm/crm-config';
import { resolveCrmUrl } from '../../../src/crm/open-crm';
import { DEFAULT_STATEMENTS } from '../../../src/crm/sql/default-statements';
import { RESPONSE_BATCH_STATEMENTS } from '../../../src/crm/sql/response-batch-statements';
import { CrmConfigError } from '../../../src/errors/crm-config-error';

const lists = { newsletter: { query: 'SELECT 1' } };

describe('crmConfigSchema', () => {
  it('fills the default statements and attribute mapping', () => {
    const config = crmConfigSchema.parse({ kind: 'sqlite', file: 'crm.db', lists });
    expect(config.kind === 'sqlite' && config.statements).toEqual(DEFAULT_STATEMENTS);
    expect(config.kind === 'sqlite' && config.lists['newsletter']?.attributes).toEqual({});
  });

  it('refuses an Optimizely field name the request writer could not send', () => {
    const result = crmConfigSchema.safeParse({
      kind: 'sqlite',
      file: 'crm.db',
      lists: { newsletter: { query: 'SELECT 1', attributes: { first_name: 'first\u0000name' } } },
    });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]).toMatchObject({
      path: ['lists', 'newsletter', 'attributes', 'first_name'],
      message: 'holds a character XML 1.0 cannot carry',
    });
  });

  it.each([
    [{ first_name: 'name', last_name: 'Name' }, 'last_name', 'maps to Optimizely field "Name", already sent as column first_name'],
    [{ crm_entity: 'entity-id' }, 'crm_entity', 'maps to Optimizely field "entity-id", already sent as the technical field entity-id'],
    [{ kind: 'Opt-In-Id' }, 'kind', 'maps to Optimizely field "Opt-In-Id", already sent as the technical field opt-in-id'],
  ])('refuses a mapping that sends one Optimizely field twice (%j)', (mapping, column, message) => {
    const result = crmConfigSchema.safeParse({
      kind: 'sqlite',
      file: 'crm.db',
      lists: { newsletter: { query: 'SELECT 1', attributes: mapping } },
    });
    expect(result.error?.issues).toEqual([expect.objectContaining({ path: ['lists', 'newsletter', 'attributes', column], message })]);
  });

  it('keeps an overridden statement beside the other defaults', () => {
    const config = crmConfigSchema.parse({ kind: 'sqlite', file: 'crm.db', lists, statements: { bounce: 'UPDATE x SET b = 1' } });
    expect(config.kind === 'sqlite' && config.statements.bounce).toBe('UPDATE x SET b = 1');
    expect(config.kind === 'sqlite' && config.statements.unsubscribe).toBe(DEFAULT_STATEMENTS.unsubscribe);
  });

  it('takes a multi-row responseBatch statement with exactly the :events parameter, and none by default', () => {
    const none = crmConfigSchema.parse({ kind: 'sqlite', file: 'crm.db', lists });
    expect(none.kind === 'sqlite' && none.statements.responseBatch).toBeUndefined();
    for (const kind of ['sqlite', 'postgres'] as const) {
      const config = crmConfigSchema.parse({
        kind,
        ...(kind === 'sqlite' ? { file: 'crm.db' } : { url: 'postgres://x' }),
        lists,
        statements: { responseBatch: RESPONSE_BATCH_STATEMENTS[kind] },
      });
      expect(config.kind !== 'csv' && config.statements.responseBatch).toBe(RESPONSE_BATCH_STATEMENTS[kind]);
    }
    for (const [sql, found] of [
      ['INSERT INTO r SELECT :entityId, :events', '; found :entityId'],
      ['INSERT INTO r SELECT 1', ''],
      ["INSERT INTO r SELECT ':events' -- :events", ''],
    ]) {
      const result = crmConfigSchema.safeParse({ kind: 'sqlite', file: 'crm.db', lists, statements: { responseBatch: sql } });
      expect(result.error?.issues).toEqual([
        expect.objectContaining({
          path: ['statements', 'responseBatch'],
          message: `takes exactly one parameter, :events (the events as a JSON array)${found}`,
        }),
      ]);
    }
  });

  it('requires exactly one of url and urlEnv for PostgreSQL', () => {
    expect(crmConfigSchema.safeParse({ kind: 'postgres', lists }).success).toBe(false);
    expect(crmConfigSchema.safeParse({ kind: 'postgres', url: 'postgres://x', urlEnv: 'CRM_URL', lists }).success).toBe(false);
    expect(crmConfigSchema.safeParse({ kind: 'postgres', urlEnv: 'CRM_URL', lists }).success).toBe(true);
  });

  it('defaults the CSV format to comma, UTF-8, double quotes', () => {
    const config = crmConfigSchema.parse({ kind: 'csv', outbox: 'out', lists: { newsletter: { file: 'n.csv' } } });
    expect(config.kind === 'csv' && config.format).toEqual({ delimiter: ',', encoding: 'utf8', bom: false, quote: '"', escape: '"' });
  });

  it('rejects an unknown kind and a malformed list key', () => {
    expect(crmConfigSchema.safeParse({ kind: 'oracle', lists }).success).toBe(false);
    expect(crmConfigSchema.safeParse({ kind: 'sqlite', file: 'f', lists: { 'News Letter': { query: 'x' } } }).success).toBe(false);
  });
});

describe('resolveCrmUrl', () => {
  const config = crmConfigSchema.parse({ kind: 'postgres', urlEnv: 'CRM_URL', lists });
  it('reads the URL from the named variable', () => {
    expect(config.kind === 'postgres' && resolveCrmUrl(config, { CRM_URL: 'postgres://h/db' })).toBe('postgres://h/db');
  });

  it('fails with CrmConfigError when the variable is unset', () => {
    expect(() => config.kind === 'postgres' && resolveCrmUrl(config, {})).toThrow(CrmConfigError);
  });
});
