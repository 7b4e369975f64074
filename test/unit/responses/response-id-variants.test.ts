import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { applyValidRows, emptyTally } from '../../../src/feedback/apply-feedback-file';
import { applyResponsePage, type PagePorts } from '../../../src/responses/apply-response-page';
import { pageClassifier } from '../../../src/responses/classify-response-page';
import { emptyCounts, type ResponseCounts } from '../../../src/responses/response-counts';
import { ResponseLookups } from '../../../src/responses/response-mapping';
import type { LedgerStore } from '../../../src/store/state-store';
import type { SentEntity } from '../../../src/store/types';
import { suppressionKey } from '../../../src/validation/suppressions';
import { aVariant, anAddress } from '../../helpers/address-variants';
import { memoryIntake, recordingCrm } from '../../helpers/feedback-harness';
import { TWO_LIST_CLIENT } from '../../helpers/response-client';

// ClosedLoop may report a bounce or an unsubscribe under the recipient id written another way than
// we sent it (letter case, padding, full width, invisible characters, an FQDN's trailing dot).
// Response ingestion looked the id up exactly: such an opt-out was counted `unknownRecipient` and
// never reached the CRM entity. It now maps ids as the feedback import does (resolveSentIds), and
// one event reported under several forms, in one page, across pages or windows or after the
// feedback import, reaches the CRM once.

const CLIENT = TWO_LIST_CLIENT;
const AT = Date.parse('2026-06-01T10:00:00Z');
const NOW = AT + 3_600_000;
type Kind = 'unsubscribe' | 'bounce';
const GETTER = { unsubscribe: 'getUnsubscribes', bounce: 'getOutBounces' } as const;

/** A ledger that knows exactly the ids sent (as the store does): each as contact C<i> on the newsletter list. */
function exactLedger(sent: readonly string[]): Pick<LedgerStore, 'sentEntitiesOf' | 'sentEntities'> {
  const entities = (id: string): SentEntity[] => {
    const i = sent.indexOf(id);
    return i < 0 ? [] : [{ runId: 'r1', listKey: 'newsletter', entityType: 'contact', entityId: `C${i}`, resultCode: 0 }];
  };
  return {
    sentEntitiesOf: async ({ recipientIds }) => new Map(recipientIds.map((id) => [id, entities(id)])),
    sentEntities: async ({ recipientId }) => entities(recipientId),
  };
}

/** A ClosedLoop row of `kind` for a reported id at the event's time, on list 100. */
function rowOf(kind: Kind, reported: string, atMs: number): unknown[] {
  const at = new Date(atMs).toISOString();
  return kind === 'bounce' ? [reported, '1001', at, '100', 'hardbounce'] : [reported, '1001', at, '100'];
}

/** One window: its rows in pages, in order, through classification and the page commit. */
async function ingestWindow(
  kind: Kind,
  pages: ReadonlyArray<readonly unknown[][]>,
  ports: Omit<PagePorts, 'pendingKeys'>,
): Promise<ResponseCounts> {
  const counts = emptyCounts();
  const classify = pageClassifier(CLIENT, NOW);
  const windowPorts = { ...ports, pendingKeys: new Set<string>() };
  for (const rows of pages) await applyResponsePage(classify(GETTER[kind], rows as never), windowPorts, counts);
  return counts;
}

/** Sent addresses (distinct as suppressionKey sees them), per address its reports (variants), and ids never sent. */
const scenario = fc.uniqueArray(anAddress, { minLength: 1, maxLength: 5, selector: suppressionKey }).chain((addresses) =>
  fc.record({
    addresses: fc.constant(addresses),
    reports: fc.tuple(...addresses.map((a) => fc.array(aVariant(a), { minLength: 1, maxLength: 3 }))),
    unknown: fc.uniqueArray(anAddress, { maxLength: 3 }).map((ids) => ids.map((id) => `never.${id}`)),
    kind: fc.constantFrom<Kind>('unsubscribe', 'bounce'),
    pageSize: fc.integer({ min: 1, max: 6 }),
    seed: fc.integer(),
  }),
);

function pagesOf(rows: unknown[][], size: number, seed: number): unknown[][][] {
  const shuffled = rows.map((row, i) => ({ row, order: Math.sin(seed + i) })).sort((a, b) => a.order - b.order);
  const pages: unknown[][][] = [];
  for (let at = 0; at < shuffled.length; at += size) pages.push(shuffled.slice(at, at + size).map((s) => s.row));
  return pages;
}

describe('response ingestion of a bounce or unsubscribe reported under another form of the id', () => {
  it('reaches the entity the id was sent as, once per event whatever the forms, and accounts for unknown ids', async () => {
    await fc.assert(
      fc.asyncProperty(scenario, async ({ addresses, reports, unknown, kind, pageSize, seed }) => {
        const crm = recordingCrm();
        const ledger = exactLedger(addresses);
        const ports = {
          client: CLIENT,
          crm,
          lookups: new ResponseLookups({ client: CLIENT, crm, ledger }),
          intake: memoryIntake(),
          runId: 'responses-1',
        };
        // Every address's event at its own time, reported under each of its variants; unknown ids once.
        const rows = [
          ...reports.flatMap((variants, i) => variants.map((v) => rowOf(kind, v, AT - i * 1000))),
          ...unknown.map((id) => rowOf(kind, id, AT)),
        ];
        const counts = await ingestWindow(kind, pagesOf(rows, pageSize, seed), ports);
        expect(crm.events.map((e) => e.entityId).sort()).toEqual(addresses.map((_, i) => `C${i}`).sort());
        expect(counts[kind]).toMatchObject({
          read: rows.length,
          applied: addresses.length,
          unknownRecipient: unknown.length,
          duplicate: rows.length - addresses.length - unknown.length,
        });
        // A later window reporting the same events under any form applies nothing again.
        const again = await ingestWindow(kind, pagesOf(rows, pageSize, seed + 1), {
          ...ports,
          lookups: new ResponseLookups({ client: CLIENT, crm, ledger }),
        });
        expect(crm.events).toHaveLength(addresses.length);
        expect(again[kind]).toMatchObject({ applied: 0, unknownRecipient: unknown.length, duplicate: rows.length - unknown.length });
      }),
      { numRuns: 150 },
    );
  });

  it('does not apply again an event the feedback import applied under another form of the id', async () => {
    await fc.assert(
      fc.asyncProperty(scenario, async ({ addresses, reports, kind }) => {
        const crm = recordingCrm();
        const ledger = exactLedger(addresses);
        const intake = memoryIntake();
        // The feedback import gets each event under the address as sent, response ingestion under its variants.
        const fileRows = addresses.map((a, i) => ({
          recipientId: a,
          listId: 100,
          occurredAt: new Date(AT - i * 1000).toISOString(),
          category: '',
          mailingId: '1001',
        }));
        const ports = {
          client: CLIENT,
          ledger: ledger as LedgerStore,
          intake,
          crm,
          runId: 'feedback-1',
          nowMs: NOW,
          seen: new Set<string>(),
        };
        const tally = emptyTally();
        await applyValidRows(kind, fileRows as never, ports, tally);
        expect(tally.applied).toBe(addresses.length);
        const counts = await ingestWindow(kind, [reports.flatMap((variants, i) => variants.map((v) => rowOf(kind, v, AT - i * 1000)))], {
          client: CLIENT,
          crm,
          lookups: new ResponseLookups({ client: CLIENT, crm, ledger }),
          intake,
          runId: 'responses-1',
        });
        expect(crm.events).toHaveLength(addresses.length);
        const reported = reports.flat().length;
        expect(counts[kind]).toMatchObject({ read: reported, applied: 0, duplicate: reported });
      }),
      { numRuns: 100 },
    );
  });

  it('finds an opaque recipient id (a CRM id) reported padded, in full width or with invisible characters', async () => {
    const crm = recordingCrm();
    const ledger = exactLedger(['CRM-00042']);
    const reported = [' CRM-00042', '\uFF23\uFF32\uFF2D-00042', 'CRM-000\u200B42\t', 'crm-00043'];
    const counts = await ingestWindow('bounce', [reported.map((id, i) => rowOf('bounce', id, AT - i * 1000))], {
      client: CLIENT,
      crm,
      lookups: new ResponseLookups({ client: CLIENT, crm, ledger }),
      intake: memoryIntake(),
      runId: 'responses-1',
    });
    expect(crm.events.map((e) => e.entityId)).toEqual(['C0', 'C0', 'C0']);
    expect(counts.bounce).toMatchObject({ read: 4, applied: 3, unknownRecipient: 1 });
  });

  it('still finds an event applied before the key was folded, under the key as it was then', async () => {
    const crm = recordingCrm();
    const intake = memoryIntake();
    const occurredAt = new Date(AT).toISOString();
    // The key of `Anna@X.test` as it was computed before: the id as reported, not folded.
    const before = createHash('sha256').update(`unsubscribe\nAnna@X.test\n100\n${occurredAt}`).digest('hex');
    await intake.recordAppliedKeys(CLIENT.key, [before], 'responses-0');
    const ledger = exactLedger(['anna@x.test']);
    const counts = await ingestWindow('unsubscribe', [[rowOf('unsubscribe', 'Anna@X.test', AT)]], {
      client: CLIENT,
      crm,
      lookups: new ResponseLookups({ client: CLIENT, crm, ledger }),
      intake,
      runId: 'responses-1',
    });
    expect(crm.events).toEqual([]);
    expect(counts.unsubscribe).toMatchObject({ read: 1, duplicate: 1, applied: 0 });
  });
});
