import fc from 'fast-check';
import type { SnapshotRow } from '../../../src/store';
import { attributeNamesFor, refusedField, travellingValuesHash } from '../../../src/sync/recipient-batch';

const ATTRIBUTES = attributeNamesFor({ first_name: 'firstname', city: 'city' });
const TRAVELLING = ['recipientId', 'email', 'optInId', 'description', 'mediaType', 'entityType', 'entityId', 'firstname', 'city'] as const;

const aRow = fc.record({
  recipientId: fc.string(),
  email: fc.string(),
  optInId: fc.string(),
  description: fc.string(),
  mediaType: fc.string(),
  entityType: fc.string(),
  entityId: fc.string(),
  firstname: fc.option(fc.string(), { nil: null }),
  city: fc.option(fc.string(), { nil: null }),
  notMapped: fc.string(),
});

function snapshotRow(r: Record<string, string | null>): SnapshotRow {
  const { firstname, city, notMapped, ...fields } = r;
  return { ...fields, attributes: { firstname, city, notMapped } } as SnapshotRow;
}

describe('travellingValuesHash', () => {
  it('changes with any value that travels and with nothing else', () => {
    fc.assert(
      fc.property(aRow, fc.constantFrom(...TRAVELLING), fc.string(), fc.string(), (r, field, other, untravelled) => {
        const hash = travellingValuesHash(snapshotRow(r), ATTRIBUTES);
        expect(travellingValuesHash(snapshotRow({ ...r, notMapped: untravelled }), ATTRIBUTES)).toBe(hash);
        const changed = { ...r, [field]: other };
        const same = r[field] === other;
        expect(travellingValuesHash(snapshotRow(changed), ATTRIBUTES) === hash).toBe(same);
      }),
    );
  });

  it('differs when the list sends other fields, even with the same values', () => {
    const row = snapshotRow({
      recipientId: 'a',
      email: 'a',
      optInId: '1',
      description: '',
      mediaType: 'email',
      entityType: 'contact',
      entityId: 'C1',
      firstname: 'A',
      city: null,
      notMapped: '',
    });
    expect(travellingValuesHash(row, ATTRIBUTES)).not.toBe(travellingValuesHash(row, attributeNamesFor({ first_name: 'firstname' })));
  });
});

describe('refusedField', () => {
  it('names the field of the request writer path and nothing for a server fault', () => {
    const writer = (path: string) => `Recipient.addAll3: cannot encode request: ${path} contains a character XML 1.0 cannot carry`;
    expect(refusedField(writer('attributeValues[3][6]'), ATTRIBUTES)).toBe('city');
    expect(refusedField(writer('attributeValues[3][99]'), ATTRIBUTES)).toBeNull();
    expect(refusedField(writer('recipientIds[0]'), ATTRIBUTES)).toBe('recipient_id');
    expect(refusedField(writer('addresses[2]'), ATTRIBUTES)).toBe('email');
    expect(
      refusedField('Recipient.addAll3: fault soapenv:Server.userException: Recipient data rejected (details withheld)', ATTRIBUTES),
    ).toBeNull();
  });
});

describe('travellingValuesHash and the order of the attribute mapping', () => {
  // The mapping's order in the configuration is the call's column order, not a change of what any
  // recipient's fields hold: reordering it must not make a refused recipient look changed (it would
  // be sent, and refused, once more), and the same values under other field names must differ.
  it('is the same for every order of the same fields and values (property)', () => {
    const mapping = fc.uniqueArray(
      fc.tuple(fc.string({ minLength: 1, maxLength: 6 }), fc.option(fc.string({ maxLength: 6 }), { nil: null })),
      {
        selector: ([field]) => field,
        minLength: 1,
        maxLength: 6,
      },
    );
    fc.assert(
      fc.property(mapping, fc.func(fc.integer()), (pairs, rank) => {
        const shuffled = [...pairs].sort(([a], [b]) => rank(a) - rank(b) || (a < b ? -1 : 1));
        const row = (order: typeof pairs): SnapshotRow =>
          ({
            recipientId: 'r1',
            email: 'r1@example.test',
            optInId: '1',
            description: '',
            mediaType: 'email',
            entityType: 'contact',
            entityId: 'C1',
            attributes: Object.fromEntries(order),
          }) as SnapshotRow;
        const names = (order: typeof pairs) => attributeNamesFor(Object.fromEntries(order.map(([field]) => [`crm_${field}`, field])));
        expect(travellingValuesHash(row(shuffled), names(shuffled))).toBe(travellingValuesHash(row(pairs), names(pairs)));
      }),
    );
  });
});
