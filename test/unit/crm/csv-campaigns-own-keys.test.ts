import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { crmConfigSchema, type CsvCrmConfig } from '../../../src/crm/crm-config';
import { openCsvCrm } from '../../../src/crm/csv/csv-crm';

// A CSV CRM's campaigns are the configuration's `campaigns` (Optimizely mailing id → CRM campaign).
// The mailing id comes from Optimizely's answers, which are hostile until checked: one named like a
// property every object has (`constructor`, `toString`, `__proto__`) found that property, a function
// or Object.prototype, so its opens and clicks were written to the outbox under a "campaign" that
// is the text of a function, and a dropped file's ids of such names counted as campaign mailings.

const INHERITED = Object.getOwnPropertyNames(Object.prototype);

let outbox: string;
beforeEach(() => {
  outbox = mkdtempSync(join(tmpdir(), 'cs-csv-campaigns-'));
});
afterEach(() => rmSync(outbox, { recursive: true, force: true }));

function csvCrm() {
  const config = crmConfigSchema.parse({
    kind: 'csv',
    outbox,
    campaigns: { '1001': 'CMP-1' },
    lists: { newsletter: { file: join(outbox, 'none.csv'), attributes: {} } },
  }) as CsvCrmConfig;
  return openCsvCrm(config);
}

describe('CSV CRM campaigns', () => {
  it('know only the configured mailing ids, never a property every object has', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...INHERITED), fc.constantFrom('open' as const, 'click' as const), async (mailingId, kind) => {
        const crm = csvCrm();
        expect(await crm.campaignForMailing(mailingId)).toBeUndefined();
        const event = {
          kind,
          mailingId,
          recipientId: 'a@b.de',
          entityType: 'contact',
          entityId: 'C1',
          occurredAt: '2026-11-01T10:00:00Z',
          ...(kind === 'click' ? { url: 'https://x.de/' } : {}),
        };
        expect((await crm.applyResponses([event])).map((r) => r.outcome)).toEqual(['no_campaign']);
        expect(readdirSync(outbox).filter((name) => name.startsWith('responses'))).toEqual([]);
        expect(await crm.campaignForMailing('1001')).toBe('CMP-1');
      }),
      { numRuns: 40 },
    );
  });
});
