import fc from 'fast-check';
import type { CrmRow } from '../../../src/crm/crm-port';
import { findOperation, SOAP_NAMESPACE } from '../../../src/optimizely/api/surface';
import { writeRequest } from '../../../src/optimizely/client/codec/request-writer';
import { isXmlText } from '../../../src/optimizely/client/codec/xml-escape';
import { addAll3Input, attributeNamesFor } from '../../../src/sync/recipient-batch';
import type { SnapshotRow } from '../../../src/store/types';
import { exportAndValidate, type AcceptedRow } from '../../../src/validation/export-and-validate';
import { listRulesSchema, type ListRulesInput } from '../../../src/validation/list-rules';
import type { Exclusion } from '../../../src/validation/recipient';
import { lineEndsAsRead } from '../../../src/validation/sendability';
import { hostileText, mostlyPlainText } from '../../helpers/hostile-text';
import { inMemoryCrm, row as newsletterRow } from '../crm/in-memory-crm';

const row = (overrides: Record<string, unknown> = {}): CrmRow => newsletterRow({ city: 'Köln', ...overrides });

const MAPPING = { first_name: 'firstname', city: 'city' };
const addAll3 = findOperation('Recipient', 'addAll3')!;

async function run(rows: CrmRow[], rules: Partial<ListRulesInput> = {}) {
  const accepted: AcceptedRow[] = [];
  const excluded: Exclusion[] = [];
  const counts = await exportAndValidate({
    crm: inMemoryCrm({ newsletter: rows }),
    rules: listRulesSchema.parse({ listKey: 'newsletter', optInId: 11, attributes: MAPPING, ...rules }),
    accepted: { write: (a) => void accepted.push(a) },
    excluded: { write: (e) => void excluded.push(e) },
  });
  return { counts, accepted, excluded };
}

/** Encodes the accepted recipients exactly as the refill does: addAll3Input, then the real request writer. */
function encodeAsRefill(accepted: AcceptedRow[]): void {
  const input = addAll3Input(
    accepted.map((a) => a.recipient as unknown as SnapshotRow),
    { listId: 1, optinProcessId: 0 },
    attributeNamesFor(MAPPING),
  );
  const args = [
    'sid',
    input.listId,
    input.optinProcessId,
    input.recipientIds,
    input.addresses,
    input.attributeNames,
    input.attributeValues,
  ];
  writeRequest({ service: 'Recipient', namespace: SOAP_NAMESPACE('Recipient'), operation: addAll3, args });
}

const crmRow = fc
  .record({
    n: fc.integer({ min: 1, max: 30 }),
    recipientId: fc.oneof({ weight: 4, arbitrary: fc.constant('') }, { weight: 1, arbitrary: hostileText }),
    entityId: mostlyPlainText,
    description: mostlyPlainText,
    firstName: hostileText,
    city: mostlyPlainText,
  })
  .map(({ n, recipientId, entityId, description, firstName, city }) => {
    const email = `p${n}@example.com`;
    return row({ recipient_id: recipientId || email, email, entity_id: entityId, description, first_name: firstName, city });
  });

describe('exportAndValidate with sendability', () => {
  it('sanitizes a poisoned first name by default and keeps the recipient', async () => {
    const { counts, accepted, excluded } = await run([
      row({ first_name: 'An\u0008na' }),
      row({ recipient_id: 'b@example.com', email: 'b@example.com', entity_id: 'C2' }),
    ]);
    expect(excluded).toEqual([]);
    expect(accepted[0]).toEqual({
      rowNumber: 1,
      recipient: expect.objectContaining({ attributes: { firstname: 'Anna', city: 'Köln' } }),
      sanitized: [{ field: 'first_name', problem: 'invalid_characters' }],
    });
    expect(accepted[1]?.sanitized).toBeUndefined();
    expect(counts).toMatchObject({ accepted: 2, sanitizedRows: 1, sanitized: { first_name: 1 } });
  });

  it('excludes the poisoned row with its reason and field under exclude', async () => {
    const { counts, excluded } = await run([row({ first_name: 'An\u0008na' })], { sendability: { invalidAttributeValues: 'exclude' } });
    expect(excluded).toEqual([
      {
        rowNumber: 1,
        reason: 'invalid_characters',
        field: 'first_name',
        recipientId: 'anna@example.com',
        entityType: 'contact',
        entityId: 'C1',
      },
    ]);
    expect(counts.excluded.invalid_characters).toBe(1);
  });

  it('counts a sanitized row that loses to a duplicate as a duplicate only', async () => {
    const { counts, excluded } = await run([row({ entity_type: 'lead', entity_id: 'L1', first_name: 'A\u0001' }), row()]);
    expect(excluded.map((e) => e.reason)).toEqual(['duplicate']);
    expect(counts.sanitizedRows).toBe(0);
  });

  it('keeps only storable identities in an exclusion (no NUL, no lone surrogate)', async () => {
    const { excluded } = await run([row({ recipient_id: 'x\u0000\uD800y', entity_id: 'C\u0000' })]);
    expect(excluded).toEqual([expect.objectContaining({ reason: 'invalid_email', recipientId: 'xy', entityId: 'C' })]);
  });

  it('ends every hostile row sent, sanitized or excluded with a reason, and every sent row encodes', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(crmRow, { maxLength: 25 }), fc.constantFrom('strip' as const, 'exclude' as const), async (rows, mode) => {
        const { counts, accepted, excluded } = await run(rows, { sendability: { invalidAttributeValues: mode, maxLength: 64 } });
        const numbers = [...accepted.map((a) => a.rowNumber), ...excluded.map((e) => e.rowNumber)].sort((a, b) => a - b);
        expect(numbers).toEqual(rows.map((_, i) => i + 1));
        expect(counts.accepted + Object.values(counts.excluded).reduce((a, b) => a + b, 0)).toBe(rows.length);
        for (const e of excluded) {
          expect(e.reason).toBeTruthy();
          for (const v of [e.recipientId, e.entityId, e.entityType]) if (v !== undefined) expect(isXmlText(v)).toBe(true);
        }
        expect(() => encodeAsRefill(accepted)).not.toThrow();
        expect(counts.sanitizedRows).toBe(accepted.filter((a) => a.sanitized).length);
        if (mode === 'exclude') expect(counts.sanitizedRows).toBe(0);
        for (const a of accepted) {
          const raw = rows[a.rowNumber - 1]!;
          // Line ends written as LF (what an XML reader gives back) are no sanitizing.
          const changed = a.recipient.attributes.firstname !== lineEndsAsRead(String(raw['first_name'] ?? ''));
          expect(a.sanitized?.some((s) => s.field === 'first_name') ?? false).toBe(changed);
        }
      }),
      { numRuns: 150 },
    );
  });
});
