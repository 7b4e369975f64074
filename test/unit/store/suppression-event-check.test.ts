import fc from 'fast-check';
import { checkedSuppressionEvent, suppressionEventSchema } from '../../../src/store/sql/sql-suppression-store';
import { SUPPRESSION_SOURCES } from '../../../src/store/suppression-types';

// The suppression ledger takes an event already in canonical form without its schema (a fast path);
// any other event goes through the schema. For any input, hostile or not, the answer must be the
// schema's: the same event recorded, or the same error.

function bySchema(input: unknown, index: number): unknown {
  const parsed = suppressionEventSchema.safeParse(input);
  if (!parsed.success)
    throw new Error(
      `Suppression event ${index} is invalid: ${parsed.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; ')}`,
    );
  return parsed.data;
}

function outcome(check: () => unknown): { value: unknown } | { error: string } {
  try {
    return { value: check() };
  } catch (error) {
    return { error: (error as Error).message };
  }
}

const aTime = fc.oneof(
  fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
  fc
    .date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2100-01-01T00:00:00Z'), noInvalidDate: true })
    .map((d) => d.toISOString()),
  fc.constantFrom(
    '2026-02-29T10:00:00.000Z',
    '2024-02-29T10:00:00.000Z',
    '2026-13-01T10:00:00.000Z',
    '2026-04-31T10:00:00.000Z',
    '2026-11-30T24:00:00.000Z',
    '2026-11-30T10:00:60.000Z',
    '2026-11-30T10:00:00Z',
    '2026-11-30T10:00:00.000+01:00',
    '2026-11-30T10:00:00.0000Z',
    '0000-01-01T00:00:00.000Z',
    '+010000-01-01T00:00:00.000Z',
    '2026-11-30 10:00:00.000Z',
    '2026-11-30T10:00:00.000z',
    '',
  ),
  fc.string(),
);

const anEvent = fc.record(
  {
    client: fc.oneof(fc.constantFrom('acme', ''), fc.string()),
    kind: fc.oneof(fc.constantFrom('unsubscribe', 'bounce', 'Bounce', ''), fc.string()),
    recipientKey: fc.oneof(fc.constantFrom('anna@x.test', ''), fc.string()),
    listId: fc.oneof(
      fc.nat(),
      fc.integer(),
      fc.constantFrom(0, -0, 1.5, Number.NaN, Number.POSITIVE_INFINITY, Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER + 1, 2 ** 60),
      fc.double(),
      fc.constantFrom('1', null, undefined),
    ),
    occurredAt: fc.oneof(aTime, fc.constantFrom(null, 0)),
    source: fc.oneof(fc.constantFrom(...SUPPRESSION_SOURCES), fc.string()),
    extra: fc.string(),
  },
  { requiredKeys: ['client', 'kind', 'recipientKey', 'listId', 'occurredAt', 'source'] },
);

describe('suppression ledger event check', () => {
  it('answers as the schema does for any event: the same event, or the same error', () => {
    fc.assert(
      fc.property(fc.oneof(anEvent, fc.anything()), fc.nat(5), (input, index) => {
        expect(outcome(() => checkedSuppressionEvent(input, index))).toEqual(outcome(() => bySchema(input, index)));
      }),
      { numRuns: 3000 },
    );
  });
});
