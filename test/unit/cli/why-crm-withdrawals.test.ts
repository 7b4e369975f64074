import { suppressionKeyForms } from '../../../src/validation/suppressions';
import { useCliOnDemoStore } from '../../helpers/cli-on-demo-store';

// `why` lists the CRM withdrawals recorded for a person (docs/crm.md, "CRM withdrawals"): the lists of
// that consent leave the person out until the CRM grants it again at a later time, and before these
// lines `why` only said "not in the selection".

const HOSTILE_KEY = `mallory\u001b[2J${'x'.repeat(5000)}@example.com`;

const { cli } = useCliOnDemoStore('cli-why-crm-withdrawals', async (store) => {
  const scope = { client: 'demo', optInId: '11', mediaType: 'email' };
  await store.suppressions.recordCrmWithdrawals(scope, ['anna@example.com', 'c-42'], '2026-03-01T22:00:00Z');
  await store.suppressions.recordCrmWithdrawals({ ...scope, optInId: '12' }, ['anna@example.com'], '2026-03-02T22:00:00Z');
  await store.suppressions.recordCrmWithdrawals({ ...scope, optInId: '99' }, ['anna@example.com'], '2026-02-01T22:00:00Z');
  await store.suppressions.recordCrmWithdrawals({ ...scope, client: 'other' }, ['bob@example.com'], '2026-03-01T22:00:00Z');
  // As the export records it: under the value's suppression key forms.
  await store.suppressions.recordCrmWithdrawals(scope, suppressionKeyForms(HOSTILE_KEY), '2026-03-01T22:00:00Z');
});

describe('why and CRM withdrawals', () => {
  it("lists an address's withdrawals in any case, newest first, with the lists of each consent", async () => {
    const { code, out } = await cli(['why', ' Anna@EXAMPLE.com ']);
    expect(code).toBe(0);
    expect(out).toContain(
      'CRM withdrawals (sent again only once the CRM grants the consent at a later time):\n' +
        '  2026-03-02 22:00  consent 12 (email) withdrawn, as anna@example.com; lists offers\n' +
        '  2026-03-01 22:00  consent 11 (email) withdrawn, as anna@example.com; lists newsletter\n' +
        '  2026-02-01 22:00  consent 99 (email) withdrawn, as anna@example.com; lists none configured',
    );
  });

  it('finds a withdrawal recorded under a recipient id, and none of another client', async () => {
    expect((await cli(['why', 'c-42'])).out).toContain('consent 11 (email) withdrawn, as c-42; lists newsletter');
    expect((await cli(['why', 'bob@example.com'])).code).not.toBe(0);
  });

  it('prints a hostile stored key bounded and without terminal controls', async () => {
    const { code, out } = await cli(['why', HOSTILE_KEY]);
    expect(code).toBe(0);
    const line = out.split('\n').find((l) => l.includes('consent 11')) as string;
    expect(line.length).toBeLessThan(1000);
    expect(line).not.toContain('\u001b');
  });
});
