import fc from 'fast-check';
import { parseConfig } from '../../../src/config/load-config';
import { demoConfig } from '../../../src/demo/demo-config';
import { ConfigError } from '../../../src/errors/config-error';

// Two clients with one feedback folder: the first client's run took every bounce and unsubscribe file
// dropped there as its own (judged against its own sent ledger, moved to processed/ or quarantine/),
// and the client whose export job dropped it never read it. Refused, however the folder is spelled.

const BASE = '/etc/campaign-sync';
/** Spellings of the folder /etc/campaign-sync/drop, relative to the configuration file or not. */
const SAME = ['drop', './drop', 'drop/', 'x/../drop', `${BASE}/drop`, `${BASE}//drop/`, '../campaign-sync/drop'];
/** Folders inside or around it. */
const NESTED = ['drop/brand-b', `${BASE}/drop/processed`, '.', BASE];
/** Other folders. */
const OTHER = ['drop-b', `${BASE}/drop2`, '/srv/drop', 'brand-b/drop'];

function problems(folders: [string, string]): string[] {
  const raw = demoConfig() as { clients: Array<Record<string, unknown>>; crm: { lists: Record<string, object> } };
  const second: Record<string, unknown> = { ...structuredClone(raw.clients[0]!), key: 'brand-b', mandatorId: 4321 };
  raw.clients.push(second);
  for (const entry of Object.values(raw.crm.lists)) Object.assign(entry, { sharedBy: ['demo', 'brand-b'] });
  raw.clients[0]!.feedbackFolder = folders[0];
  second.feedbackFolder = folders[1];
  try {
    parseConfig(raw, 'test.json', BASE);
    return [];
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    return error.problems;
  }
}

describe('one feedback folder per client', () => {
  it('refuses a folder another client reads, or one inside or around it, naming both settings; loads others', () => {
    fc.assert(
      fc.property(fc.constantFrom(...SAME), fc.constantFrom(...SAME, ...NESTED, ...OTHER), (first, second) => {
        const found = problems([first, second]);
        if (OTHER.includes(second)) expect(found).toEqual([]);
        else
          expect(found).toEqual([
            expect.stringMatching(/^clients\.1\.feedbackFolder: client brand-b's .*client demo's \(clients\.0\.feedbackFolder\)/),
          ]);
      }),
    );
  });
});
