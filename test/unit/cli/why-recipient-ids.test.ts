import fc from 'fast-check';
import { lookups } from '../../../src/cli/commands/why';
import { aRun, aSent } from '../../helpers/store-builders';
import { useCliOnDemoStore } from '../../helpers/cli-on-demo-store';

// `why` answers for the recipient ids the ledger holds: a list keyed by a CRM id (no address) and an
// address whose local part kept its case (the export lower-cases only the domain unless told to).

const { cli } = useCliOnDemoStore('cli-why-ids', async (store) => {
  await store.runs.upsert(aRun({ client: 'demo', listKey: 'newsletter', status: 'completed' }));
  await store.ledger.record([
    aSent('CRM-000123', 0, { entityType: 'contact', entityId: 'C77' }),
    aSent('Anna.Berg@example.com', 0, { entityType: 'contact', entityId: 'C78' }),
  ]);
});

describe('why and recipient ids', () => {
  it('finds a recipient by a recipient id that is no address and no entity id', async () => {
    const { code, out } = await cli(['why', 'CRM-000123']);
    expect(code).toBe(0);
    expect(out).toContain('C77');
  });

  it('finds an address whose local part kept its case, typed with the domain in any case', async () => {
    const { code, out } = await cli(['why', ' Anna.Berg@EXAMPLE.com ']);
    expect(code).toBe(0);
    expect(out).toContain('C78');
  });

  it('looks up what was typed, trimmed, among its candidates (property)', () => {
    const client = { key: 'demo', lists: [{ entityTypes: ['contact', 'lead'] }] } as never;
    fc.assert(
      fc.property(fc.string({ maxLength: 20 }), fc.string({ maxLength: 20 }), (local, domain) => {
        for (const typed of [`${local}@${domain}`, local]) {
          const subject = typed.trim();
          const ids = lookups({ client }, ` ${typed} `, undefined).flatMap((l) => ('recipientId' in l ? [l.recipientId] : []));
          if (subject.includes('@') || !/^[a-z_]+:./.test(subject)) expect(ids).toContain(subject);
        }
      }),
    );
  });
});
