import fc from 'fast-check';
import { createStateStore } from '../../../src/store';
import type { SnapshotRow } from '../../../src/store/types';
import { suppressedSince } from '../../../src/sync/restore/suppressed-since';
import { normaliseEmail } from '../../../src/validation/email-rule';
import { storedKeyForms, suppressionKey, suppressionLookup } from '../../../src/validation/suppressions';
import { anAddress, aVariant } from '../../helpers/address-variants';
import { hostileText } from '../../helpers/hostile-text';

// The suppression ledger keeps each event under the key it was given when it was recorded, and it is
// never pruned. Keys recorded before a change of `suppressionKey` (here: before Unicode variants were
// folded) keep their old form; an opt-out recorded that way must still hold for the address it names,
// in the export and in a restore, or an upgrade would reverse it.

/** `suppressionKey` as it was before variants were folded: the e-mail rule, else trimmed and lower-cased. */
const keyBeforeFolding = (value: string) =>
  normaliseEmail(value, { lowercaseLocalPart: true, idnDomains: 'punycode' }) ?? value.trim().toLowerCase();

const anAddressAndVariant = anAddress.chain((address) =>
  fc.tuple(fc.constant(address), aVariant(address), fc.constantFrom<'unsubscribe' | 'bounce'>('unsubscribe', 'bounce')),
);

const snapshotRowOf = (address: string): SnapshotRow => ({
  recipientId: address,
  email: address,
  optInId: '11',
  description: 'N',
  mediaType: 'email',
  entityType: 'contact',
  entityId: 'C1',
  attributes: {},
});

describe('a suppression stored under an earlier form of its key', () => {
  it('excludes the address it names from the export', () => {
    fc.assert(
      fc.property(anAddressAndVariant, ([address, variant, kind]) => {
        const lookup = suppressionLookup({
          active: [{ kind, recipientKey: keyBeforeFolding(variant), latestAt: '2026-01-01T00:00:00.000Z' }],
          allowResubscribe: false,
          now: Date.parse('2026-06-01T00:00:00Z'),
        });
        const outcome = lookup({ recipientId: address, email: address } as never, {});
        expect(outcome?.reason).toBe(kind === 'bounce' ? 'bounced' : 'unsubscribed');
      }),
      { numRuns: 300 },
    );
  });

  it('keeps the address it names out of a restore', async () => {
    const store = await createStateStore({ kind: 'sqlite', file: ':memory:' });
    try {
      let n = 0;
      await fc.assert(
        fc.asyncProperty(anAddressAndVariant, async ([address, variant, kind]) => {
          const client = `c${n++}`;
          await store.suppressions.record([
            {
              client,
              kind,
              recipientKey: keyBeforeFolding(variant),
              listId: 0,
              occurredAt: '2026-01-01T00:00:00.000Z',
              source: 'closed_loop',
            },
          ]);
          const suppressed = await suppressedSince({ store, client, listKey: 'newsletter', listId: 100, runId: 'none' });
          expect(suppressed(snapshotRowOf(address))?.reason).toBe(kind === 'bounce' ? 'bounced' : 'unsubscribed');
        }),
        { numRuns: 100 },
      );
    } finally {
      await store.close();
    }
  });

  it('always matches under the key as stored, so no key of today is lost by the second form', () => {
    fc.assert(
      fc.property(fc.oneof(hostileText, fc.string({ unit: 'grapheme' }), anAddress), (value) => {
        const key = suppressionKey(value);
        expect(storedKeyForms(key)).toContain(key);
        expect(storedKeyForms(key).length).toBeLessThanOrEqual(2);
      }),
      { numRuns: 500 },
    );
  });
});
