import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeStateStoreContract } from '../../helpers/store-contract';

describe('SQLite state store', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cs-store-'));
  let n = 0;
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  describeStateStoreContract({ freshConfig: async () => ({ kind: 'sqlite', file: join(dir, `store-${++n}.sqlite`) }) });
});
