import { parseConfig } from '../../../src/config/load-config';
import type { CrmPort, CrmRow } from '../../../src/crm/crm-port';
import { demoConfig } from '../../../src/demo/demo-config';
import { listAttributes, listRules } from '../../../src/sync/config-lookup';
import { checkSelectionColumns } from '../../../src/sync/preflight/check-selection-columns';
import { preflightList } from '../../../src/sync/preflight/preflight-list';
import { exportAndValidate } from '../../../src/validation/export-and-validate';
import { createFakeOptimizely } from '../../helpers/fake-optimizely';
import type { DemoConfigObject } from '../../helpers/sync-stack';

// Every path that reads a list's CRM selection (the export, the pre-flight's column check and field
// names, the refill's and reconcile's attribute mapping: listAttributes) reads the client's own
// `crm.lists["<client>/<list>"]` when it is given, and the plain entry otherwise.

function twoBrands() {
  const raw: DemoConfigObject = demoConfig();
  const brandB = { ...structuredClone(raw.clients[0]), key: 'brand-b', mandatorId: 4321 };
  (raw.clients as unknown[]).push(brandB);
  const lists = raw.crm.lists as Record<string, { query: string; attributes: Record<string, string> }>;
  lists['brand-b/newsletter'] = { query: 'SELECT 1 AS brand_b', attributes: { shoe_size: 'shoe-size' } };
  // A query of its own: one query under two clients' keys is the sharing refused at start (one-source-per-client).
  lists['brand-b/offers'] = { ...structuredClone(lists.offers!), query: `${lists.offers!.query} -- brand b` };
  return parseConfig(raw, 'two brands', '/tmp');
}

/** A CRM that records which selection key it was asked for and returns no rows. */
function recordingCrm(asked: string[]): CrmPort {
  return {
    exportSelection: (key: string) => {
      asked.push(key);
      return (async function* (): AsyncGenerator<CrmRow> {})();
    },
  } as unknown as CrmPort;
}

describe('a client reads its own CRM selection', () => {
  const config = twoBrands();
  const list = (client: string) => config.clients.find((c) => c.key === client)!.lists.find((l) => l.key === 'newsletter')!;

  it('gives each client the rules and attributes of its selection', () => {
    expect(listRules(config, 'brand-b', list('brand-b'))).toMatchObject({
      selectionKey: 'brand-b/newsletter',
      attributes: { shoe_size: 'shoe-size' },
    });
    expect(listRules(config, 'demo', list('demo'))).toMatchObject({
      selectionKey: 'newsletter',
      attributes: config.crm.lists.newsletter!.attributes,
    });
    expect(listAttributes(config, 'brand-b', 'newsletter')).toEqual({ shoe_size: 'shoe-size' });
  });

  it('exports and checks columns under the selection key', async () => {
    const asked: string[] = [];
    const sink = { write: () => undefined };
    await exportAndValidate({
      crm: recordingCrm(asked),
      rules: listRules(config, 'brand-b', list('brand-b')),
      accepted: sink,
      excluded: sink,
    });
    await checkSelectionColumns(recordingCrm(asked), listRules(config, 'brand-b', list('brand-b')));
    await exportAndValidate({ crm: recordingCrm(asked), rules: listRules(config, 'demo', list('demo')), accepted: sink, excluded: sink });
    expect(asked).toEqual(['brand-b/newsletter', 'brand-b/newsletter', 'newsletter']);
  });

  it("asks Optimizely for the fields of the client's own mapping in the pre-flight", async () => {
    const optimizely = createFakeOptimizely();
    optimizely.addList({ id: 100, name: 'Newsletter', fields: ['email'] });
    const found = await preflightList(config, { client: 'brand-b', listKey: 'newsletter' }, optimizely);
    expect(found.problems.join(' ')).toContain('"shoe-size"');
    expect(found.problems.join(' ')).not.toContain('firstname');
  });
});
