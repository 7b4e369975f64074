import fc from 'fast-check';
import { parseConfig } from '../../../src/config/load-config';
import { demoConfig } from '../../../src/demo/demo-config';
import { listRules } from '../../../src/sync/config-lookup';

// Every look-up of a list's CRM selection goes through configuredList (own keys only): a list key that
// names an inherited member (Object.prototype's `constructor`, `toString`, `__proto__`, …) must not find
// that member and read it as a selection.
describe('listRules reads the CRM selection by own keys only', () => {
  const parsed = parseConfig(demoConfig(), 'demo', '/tmp');
  const list = parsed.clients[0]!.lists[0]!;
  const inheritedKeys = [...Object.getOwnPropertyNames(Object.prototype), 'inherited'];
  // The selections inherit a member under every such key that looks like a selection with attributes.
  const decoy = { attributes: { email: 'Email' }, query: 'select 1' };
  // Under the plain key and the client's own `<client>/<list>` key alike.
  const inherited = Object.fromEntries(
    inheritedKeys.flatMap((key) => [
      [key, decoy],
      [`demo/${key}`, decoy],
    ]),
  );
  const lists = Object.assign(Object.create(inherited) as typeof parsed.crm.lists, parsed.crm.lists);
  const config = { ...parsed, crm: { ...parsed.crm, lists } } as typeof parsed;

  it('gives no attributes for a list key that is only inherited', () => {
    fc.assert(
      fc.property(fc.constantFrom(...inheritedKeys), (key) => {
        expect(listRules(config, 'demo', { ...list, key }).attributes).toEqual({});
      }),
    );
  });

  it('gives the configured attributes for a configured key', () => {
    expect(listRules(config, 'demo', list).attributes).toEqual(parsed.crm.lists[list.key]!.attributes);
  });
});
