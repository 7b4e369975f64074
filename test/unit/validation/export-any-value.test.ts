import fc from 'fast-check';
import type { CrmRow } from '../../../src/crm/crm-port';
import { findOperation, SOAP_NAMESPACE } from '../../../src/optimizely/api/surface';
import { writeRequest } from '../../../src/optimizely/client/codec/request-writer';
import { addAll3Input, attributeNamesFor } from '../../../src/sync/recipient-batch';
import type { SnapshotRow } from '../../../src/store/types';
import { exportAndValidate, type AcceptedRow } from '../../../src/validation/export-and-validate';
import { listRulesSchema } from '../../../src/validation/list-rules';
import type { Exclusion } from '../../../src/validation/recipient';
import { hostileText } from '../../helpers/hostile-text';
import { inMemoryCrm, row } from '../crm/in-memory-crm';

// A CRM row's cells are `unknown`: SQL drivers hand over numbers, bigints, booleans, Dates (also
// invalid ones), Buffers, JSON objects and arrays; a broken adapter anything at all. Whatever any
// cell holds, the export must end each row in exactly one sink and never fail as a whole.

const MAPPING = { first_name: 'firstname', city: 'city', score: 'score' };
const COLUMNS = [
  'recipient_id',
  'email',
  'opt_in_id',
  'description',
  'media_type',
  'entity_type',
  'entity_id',
  'first_name',
  'city',
  'score',
  'unsubscribed',
  'bounced',
] as const;
const addAll3 = findOperation('Recipient', 'addAll3')!;

const oddValue: fc.Arbitrary<unknown> = fc.oneof(
  hostileText,
  fc.constantFrom(null, undefined, true, false, 0, -0, 1, NaN, Infinity, -Infinity, 1n, 2n ** 70n, '', ' ', '\uFEFF', '\u2028'),
  fc.double(),
  fc.bigInt(),
  fc.date({ noInvalidDate: false }),
  fc.constant(new Date(Number.NaN)),
  fc.uint8Array({ maxLength: 8 }).map((bytes) => Buffer.from(bytes)),
  fc.constant(Object.create(null) as object),
  fc.constant({
    toString: () => {
      throw new Error('boom');
    },
  }),
  fc.constant(Symbol('s')),
  fc.jsonValue(),
);

const hostileRow: fc.Arbitrary<CrmRow> = fc
  .record({
    n: fc.integer({ min: 1, max: 20 }),
    poisoned: fc.subarray([...COLUMNS], { maxLength: 3 }),
    values: fc.array(oddValue, { minLength: 3, maxLength: 3 }),
  })
  .map(({ n, poisoned, values }) => {
    const email = `p${n}@example.com`;
    const out: Record<string, unknown> = {
      ...row({ recipient_id: email, email, entity_id: `C${n}`, city: 'Köln', score: 3 }),
      unsubscribed: 0,
      bounced: null,
    };
    poisoned.forEach((column, i) => (out[column] = values[i]));
    return out;
  });

const full = (overrides: Record<string, unknown>): CrmRow => row({ city: 'Köln', score: 1, ...overrides });

async function run(rows: CrmRow[]) {
  const accepted: AcceptedRow[] = [];
  const excluded: Exclusion[] = [];
  const counts = await exportAndValidate({
    crm: inMemoryCrm({ newsletter: rows }),
    rules: listRulesSchema.parse({ listKey: 'newsletter', optInId: 11, attributes: MAPPING }),
    accepted: { write: (a) => void accepted.push(a) },
    excluded: { write: (e) => void excluded.push(e) },
  });
  return { counts, accepted, excluded };
}

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

describe('exportAndValidate over cells of any type', () => {
  it.each([
    ['an invalid date', 'city', new Date(Number.NaN)],
    ['NaN', 'score', Number.NaN],
    ['a JSON object', 'first_name', { a: 1 }],
    ['bytes that are not UTF-8', 'city', Buffer.from([0xff, 0xfe])],
    [
      'an object whose toString throws',
      'entity_id',
      {
        toString: () => {
          throw new Error('boom');
        },
      },
    ],
    ['a symbol', 'email', Symbol('s')],
  ])('excludes a row whose %s cell has no text form as unreadable_value, naming the column', async (_, column, value) => {
    const { accepted, excluded } = await run([
      full({ [column]: value }),
      full({ recipient_id: 'b@example.com', email: 'b@example.com', entity_id: 'C2' }),
    ]);
    expect(excluded).toEqual([expect.objectContaining({ rowNumber: 1, reason: 'unreadable_value', field: column })]);
    expect(accepted.map((a) => a.rowNumber)).toEqual([2]);
  });

  it('sends numbers, bigints, booleans, valid dates and UTF-8 bytes as their text', async () => {
    const { accepted } = await run([
      full({ first_name: Buffer.from('Jörg'), city: new Date(Date.UTC(2026, 0, 2)), score: 2n ** 64n, entity_id: 42 }),
    ]);
    expect(accepted[0]?.recipient).toEqual(
      expect.objectContaining({
        entityId: '42',
        attributes: { firstname: 'Jörg', city: '2026-01-02T00:00:00.000Z', score: '18446744073709551616' },
      }),
    );
  });

  it('accounts for every row exactly once, never fails as a whole, and every accepted recipient encodes', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(hostileRow, { maxLength: 20 }), async (rows) => {
        const { counts, accepted, excluded } = await run(rows);
        const numbers = [...accepted.map((a) => a.rowNumber), ...excluded.map((e) => e.rowNumber)].sort((a, b) => a - b);
        expect(numbers).toEqual(rows.map((_, i) => i + 1));
        expect(counts.accepted + Object.values(counts.excluded).reduce((a, b) => a + b, 0)).toBe(rows.length);
        for (const e of excluded) if (e.reason === 'unreadable_value') expect(COLUMNS).toContain(e.field);
        for (const a of accepted) for (const v of Object.values(a.recipient.attributes)) expect(typeof v).toBe('string');
        expect(() => encodeAsRefill(accepted)).not.toThrow();
      }),
      { numRuns: 300 },
    );
  });
});
