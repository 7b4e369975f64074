import { useCliOnDemoStore } from '../../helpers/cli-on-demo-store';

// `why` shows what Optimizely reported about a person (the suppression ledger) beside the runs'
// ledger, and answers for someone the CRM never selected but Optimizely suppressed.

const { cli } = useCliOnDemoStore('cli-why-suppressions', async (store) => {
  await store.suppressions.record([
    {
      client: 'demo',
      kind: 'unsubscribe',
      recipientKey: 'anna@example.com',
      listId: 100,
      occurredAt: '2026-03-02T06:00:00Z',
      source: 'closed_loop',
    },
    {
      client: 'demo',
      kind: 'unsubscribe',
      recipientKey: 'anna@example.com',
      listId: 0,
      occurredAt: '2026-03-01T06:00:00Z',
      source: 'unsubscribe_check',
    },
    {
      client: 'other',
      kind: 'bounce',
      recipientKey: 'anna@example.com',
      listId: 0,
      occurredAt: '2026-03-01T06:00:00Z',
      source: 'responses',
    },
  ]);
});

describe('why and the suppression ledger', () => {
  it('lists the client suppressions of an address in any case, newest first, with their scope and source', async () => {
    const { code, out } = await cli(['why', ' Anna@Example.com']);
    expect(code).toBe(0);
    expect(out).toContain(
      'suppression ledger (wins at export whatever the CRM says):\n' +
        '  2026-03-02 06:00  unsubscribed, list 100 (newsletter), from closed_loop\n' +
        '  2026-03-01 06:00  unsubscribed, client-wide, from unsubscribe_check',
    );
    expect(out).not.toContain('bounced');
  });

  it('still answers not found for someone neither ledger knows', async () => {
    const { code } = await cli(['why', 'nobody@example.com']);
    expect(code).not.toBe(0);
  });
});
