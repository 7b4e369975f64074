import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { applyFeedbackFile, emptyTally } from '../../../src/feedback/apply-feedback-file';
import type { LedgerStore } from '../../../src/store/state-store';
import type { SentEntity } from '../../../src/store/types';
import { applyPorts } from '../../helpers/feedback-harness';

// The ledger knows a recipient under the id the export sent: the address normalised (domain
// lower-cased, the local part too by default). A bounce or an unsubscribe reported back under the
// same address written another way (`Anna@X.COM`, padded, in full width) found no sent entity
// before: counted `unknownRecipient`, and the opt-out never reached the CRM entity. Whatever the
// variant, it reaches the entity the address was sent as.

const NOW = Date.parse('2026-11-30T06:00:00Z');
const HEADER = 'recipientId,mailingId,timestamp,recipientListId,category';
const LOCAL = fc.stringMatching(/^[a-z0-9][a-z0-9._-]{0,8}[a-z0-9]$/).filter((l) => !l.includes('..'));
const anAddress = fc.tuple(LOCAL, fc.stringMatching(/^[a-z][a-z0-9]{0,8}$/)).map(([local, host]) => `${local}@${host}.test`);
const fullWidth = (ch: string) => (ch >= '!' && ch <= '~' ? String.fromCharCode(ch.charCodeAt(0) - 0x21 + 0xff01) : ch);

/** The address as a report might write it: letters in another case, padded, maybe in full width. */
const aVariant = (address: string) =>
  fc
    .record({
      upper: fc.array(fc.boolean(), { minLength: address.length, maxLength: address.length }),
      wide: fc.boolean(),
      pad: fc.constantFrom('', ' ', '\u00A0', '\t'),
    })
    .map(({ upper, wide, pad }) => {
      const cased = [...address].map((ch, i) => (upper[i] ? ch.toUpperCase() : ch)).join('');
      return `${pad}${wide ? [...cased].map(fullWidth).join('') : cased}${pad}`;
    });

/** A ledger that knows exactly the ids sent, as the store does. */
function exactLedger(sent: ReadonlyMap<string, string>): LedgerStore {
  const entities = (recipientId: string): SentEntity[] => {
    const entityId = sent.get(recipientId);
    return entityId ? [{ runId: 'r0', listKey: 'newsletter', entityType: 'contact', entityId, resultCode: 0 }] : [];
  };
  return {
    sentEntitiesOf: async ({ recipientIds }: { recipientIds: readonly string[] }) => new Map(recipientIds.map((id) => [id, entities(id)])),
  } as unknown as LedgerStore;
}

describe('feedback reported for an address written another way', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cs-id-variants-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  let n = 0;

  it('reaches the CRM entity the address was sent as', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc
          .uniqueArray(anAddress, { minLength: 1, maxLength: 5 })
          .chain((addresses) => fc.tuple(fc.constant(addresses), fc.tuple(...addresses.map(aVariant)))),
        fc.constantFrom<'unsubscribe' | 'bounce'>('unsubscribe', 'bounce'),
        async ([addresses, variants], kind) => {
          const sent = new Map(addresses.map((a, i) => [a, `C${i}`]));
          const file = join(dir, `f-${++n}.csv`);
          const quoted = (v: string) => `"${v.replace(/"/g, '""')}"`;
          writeFileSync(file, [HEADER, ...variants.map((v) => `${quoted(v)},1,2026-11-29T10:00:00Z,7,`)].join('\n') + '\n');
          const ports = applyPorts({ ledger: exactLedger(sent), nowMs: NOW });
          const tally = emptyTally();
          await applyFeedbackFile(file, kind, ports, tally);
          expect(tally).toMatchObject({ rows: addresses.length, applied: addresses.length, unknownRecipient: 0 });
          expect(ports.crm.events.map((e) => e.entityId).sort()).toEqual([...sent.values()].sort());
        },
      ),
      { numRuns: 150 },
    );
  });

  it('applies an event reported under several forms of the id once', async () => {
    await fc.assert(
      fc.asyncProperty(
        anAddress.chain((address) => fc.tuple(fc.constant(address), fc.array(aVariant(address), { minLength: 1, maxLength: 4 }))),
        fc.constantFrom<'unsubscribe' | 'bounce'>('unsubscribe', 'bounce'),
        async ([address, variants], kind) => {
          const file = join(dir, `f-${++n}.csv`);
          const quoted = (v: string) => `"${v.replace(/"/g, '""')}"`;
          const rows = [address, ...variants].map((v) => `${quoted(v)},1,2026-11-29T10:00:00Z,7,`);
          writeFileSync(file, [HEADER, ...rows].join('\n') + '\n');
          const ports = applyPorts({ ledger: exactLedger(new Map([[address, 'C0']])), nowMs: NOW });
          const tally = emptyTally();
          await applyFeedbackFile(file, kind, ports, tally);
          expect(tally).toMatchObject({ rows: rows.length, applied: 1, repeated: rows.length - 1 });
          expect(ports.crm.events).toHaveLength(1);
        },
      ),
      { numRuns: 100 },
    );
  });
});
