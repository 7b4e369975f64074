import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Reads a hand-written envelope from test/fixtures/soap. */
export function soapFixture(name: string): string {
  return readFileSync(join(__dirname, '../../fixtures/soap', name), 'utf8');
}
