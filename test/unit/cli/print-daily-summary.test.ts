import { printDailySummary } from '../../../src/cli/print-daily-summary';
import { createStateStore } from '../../../src/store';
import { aRun } from '../../helpers/store-builders';

// The summary `run --wait` and `npm start` print carries a list's note, which can be a failure
// message from outside (a SOAP fault text, a CRM error): it is printed visibly, never acted on.

describe('printDailySummary', () => {
  it('prints notes and counts with control characters escaped, and the IDN conversions', async () => {
    const store = await createStateStore({ kind: 'sqlite', file: ':memory:' });
    try {
      await store.runs.upsert(aRun({ client: 'demo', counts: { exported: 3, idnConverted: 2, 'excluded.idn_domain': 1 } }));
      const lines: string[] = [];
      await printDailySummary(
        {
          client: 'demo',
          phase: 'done',
          lists: { newsletter: { state: 'failed', workflowId: 'w', note: 'fault \u001b]0;owned\u0007\u001b[2J\u009b31m' } },
        },
        store,
        (line) => lines.push(line),
      );
      expect(lines[0]).toBe('List newsletter: failed (fault \\u001B]0;owned\\u0007\\u001B[2J\\u009B31m)');
      expect(lines).toContain('  e-mail domains converted to punycode: 2');
      expect(lines.join('\n')).toContain('excluded: idn_domain=1');
    } finally {
      await store.close();
    }
  });

  it('says who the refill left out: opted out, and no longer in the re-export after a long pause', async () => {
    const store = await createStateStore({ kind: 'sqlite', file: ':memory:' });
    try {
      await store.runs.upsert(aRun({ client: 'demo', counts: { exported: 5, sent: 2, unsubscribedAtRefill: 1, notInFreshExport: 2 } }));
      const lines: string[] = [];
      await printDailySummary(
        { client: 'demo', phase: 'done', lists: { newsletter: { state: 'ready', workflowId: 'w' } } },
        store,
        (line) => lines.push(line),
      );
      expect(lines).toContain(
        "  left out at the refill 1: opted out (Optimizely's unsubscribe list or the suppression ledger, checked before addAll3)",
      );
      expect(lines).toContain(
        '  left out after a long pause 2: no longer in the re-export (consent withdrawn in the CRM, or out of the selection)',
      );
    } finally {
      await store.close();
    }
  });
});
