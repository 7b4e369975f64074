import type { CrmPort, CrmRow } from '../../../../src/crm/crm-port';
import { parseConfig } from '../../../../src/config/load-config';
import { demoConfig } from '../../../../src/demo/demo-config';
import { checkLists } from '../../../../src/sync/preflight/check-lists';
import { TECHNICAL_FIELDS } from '../../../../src/sync/recipient-batch';
import { createFakeOptimizely } from '../../../helpers/fake-optimizely';
import type { DemoConfigObject } from '../../../helpers/sync-stack';

const FULL_ROW: CrmRow = {
  recipient_id: 'r',
  email: 'r@example.test',
  opt_in_id: '11',
  description: 'd',
  media_type: 'email',
  entity_type: 'contact',
  entity_id: '1',
  salutation: '',
  first_name: 'A',
  last_name: 'B',
  city: 'C',
};

/** A CRM whose selections return the given rows; reading stops at the first row. */
function crmWith(rows: Record<string, CrmRow[]>): CrmPort & { rowsRead: number } {
  const crm = {
    rowsRead: 0,
    async *exportSelection(listKey: string) {
      for (const row of rows[listKey] ?? []) {
        crm.rowsRead += 1;
        yield row;
      }
    },
  };
  return crm as unknown as CrmPort & { rowsRead: number };
}

function setUp(adjust: (raw: DemoConfigObject) => void = () => undefined) {
  const raw: DemoConfigObject = demoConfig();
  adjust(raw);
  const config = parseConfig(raw, 'check test', '/tmp');
  const optimizely = createFakeOptimizely();
  for (const id of [100, 200])
    optimizely.addList({ id, name: `list ${id}`, fields: [...TECHNICAL_FIELDS, 'salutation', 'firstname', 'lastname', 'city'] });
  const client = config.clients[0]!;
  return { config, client, optimizely };
}

describe('checkLists', () => {
  it('reads one row per selection and never more', async () => {
    const { config, client, optimizely } = setUp();
    const crm = crmWith({ newsletter: [FULL_ROW, FULL_ROW, FULL_ROW], offers: [FULL_ROW] });
    const results = await checkLists({ config, client, lists: client.lists, named: false, optimizely, crm });
    expect(results.map((r) => [r.listKey, r.ok, r.columnsChecked])).toEqual([
      ['newsletter', true, true],
      ['offers', true, true],
    ]);
    expect(crm.rowsRead).toBe(2);
  });

  it('passes an empty selection but says its columns were not seen', async () => {
    const { config, client, optimizely } = setUp();
    const [result] = await checkLists({ config, client, lists: client.lists.slice(0, 1), named: true, optimizely, crm: crmWith({}) });
    expect(result).toMatchObject({ ok: true, columnsChecked: false, problems: [] });
  });

  it('skips a disabled list unless it is named', async () => {
    const { config, client, optimizely } = setUp((raw) => (raw.clients[0].lists[1].enabled = false));
    const crm = crmWith({ newsletter: [FULL_ROW], offers: [{}] });
    const all = await checkLists({ config, client, lists: client.lists, named: false, optimizely, crm });
    expect(all[1]).toMatchObject({ listKey: 'offers', ok: true, skipped: 'disabled' });
    const named = await checkLists({ config, client, lists: client.lists.slice(1), named: true, optimizely, crm });
    expect(named[0]?.problems).toEqual([expect.stringContaining('CRM: selection of list "offers" lacks the columns recipient_id, email')]);
  });

  it('reports an Optimizely that cannot be asked and an unreadable selection as problems of the list', async () => {
    const { config, client, optimizely } = setUp();
    optimizely.failNext('RecipientList.getAllIds', new Error('connect ECONNREFUSED'));
    const crm = {
      exportSelection: () => ({ [Symbol.asyncIterator]: () => ({ next: () => Promise.reject(new Error('no such table: contacts')) }) }),
    } as unknown as CrmPort;
    const [result] = await checkLists({ config, client, lists: client.lists.slice(0, 1), named: true, optimizely, crm });
    expect(result?.problems).toEqual([
      'Optimizely could not be asked about list 100: connect ECONNREFUSED',
      'the CRM selection of list newsletter could not be read: no such table: contacts',
    ]);
  });
});
