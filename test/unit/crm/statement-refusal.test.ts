import fc from 'fast-check';
import { MAX_REFUSAL_REASON, selectionFailure, statementRefusal } from '../../../src/crm/sql/statement-refusal';
import { CrmStatementError } from '../../../src/errors/crm-statement-error';

// A database refusal quoting what we bound must reach logs and histories without it: whatever the
// values (arbitrary Unicode, control characters, BOMs, line breaks, huge) and wherever the database's
// message repeats them.
const hostileText = fc.oneof(
  fc.emailAddress(),
  fc.string({ unit: 'grapheme', minLength: 3, maxLength: 40 }),
  fc.string({ unit: fc.constantFrom('\u0000', '\r', '\n', '\uFEFF', '"', ':', '<', '>', 'a', 'é', '𝒜'), minLength: 3, maxLength: 12 }),
  fc.string({ minLength: 2000, maxLength: 3000 }),
);
const NAMES = ['recipientId', 'entityId', 'entityType', 'url', 'occurredAt'] as const;
const params = fc.record(Object.fromEntries(NAMES.map((n) => [n, hostileText])) as Record<(typeof NAMES)[number], fc.Arbitrary<string>>);

/** A driver message that repeats some bound values, raw or quoted, between arbitrary words. */
const refusal = params.chain((bound) =>
  fc.record({
    bound: fc.constant(bound),
    message: fc
      .array(
        fc.oneof(
          fc.string({ maxLength: 20 }),
          fc.constantFrom(...NAMES).map((n) => bound[n]),
          fc.constantFrom(...NAMES).map((n) => `"${bound[n]}"`),
        ),
        {
          maxLength: 8,
        },
      )
      .map((parts) => parts.join('')),
    code: fc.option(fc.constantFrom('22P02', '23505', '42703', 'P0001', 'bogus'), { nil: undefined }),
  }),
);

const driverError = (message: string, code: string | undefined) => Object.assign(new Error(message), code === undefined ? {} : { code });

describe('statementRefusal', () => {
  it('names the statement and keeps no bound value, even where markers meet the words around them', () => {
    fc.assert(
      fc.property(refusal, ({ bound, message, code }) => {
        const error = statementRefusal('bounce', driverError(message, code), bound);
        expect(error).toBeInstanceOf(CrmStatementError);
        expect(error.message.startsWith('CRM statement "bounce": ')).toBe(true);
        expect(error.cause).toBeUndefined();
        expect(error.message.length).toBeLessThanOrEqual(MAX_REFUSAL_REASON + 80);
        // Split where a marker stands: each piece is the database's own words and holds no value.
        const pieces = error.message.split(/<:[A-Za-z]+>/);
        for (const value of Object.values(bound).filter((v) => v.trim().length >= 3)) {
          for (const piece of pieces) expect(piece.includes(value.trim())).toBe(false);
        }
      }),
    );
  });

  it('keeps what the operator needs: the database words, the parameter named, the SQLSTATE', () => {
    const error = statementRefusal('entityExists', driverError('invalid input syntax for type integer: "anna@example.com"', '22P02'), {
      entityId: 'anna@example.com',
    });
    expect(error.message).toBe('CRM statement "entityExists": invalid input syntax for type integer: "…" (SQLSTATE 22P02)');
    const trigger = statementRefusal('bounce', new Error('refused anna@example.com for C42'), {
      recipientId: 'anna@example.com',
      entityId: 'C42',
    });
    expect(trigger.message).toBe('CRM statement "bounce": refused <:recipientId> for <:entityId>');
    const column = statementRefusal('bounce', driverError('column "hardd" does not exist', '42703'), { entityId: 'x' });
    expect(column.message).toBe('CRM statement "bounce": column "hardd" does not exist (SQLSTATE 42703)');
  });

  it('blanks quoted values of data errors even when the database changed them on the way', () => {
    // PostgreSQL quotes the input as the type parser saw it, which need not be the bound text.
    const error = statementRefusal('bounce', driverError('value "ANNA@EXAMPLE.COM " is out of range', '22003'), {
      recipientId: 'anna@example.com',
    });
    expect(error.message).not.toMatch(/anna/i);
  });

  it('passes a CrmStatementError of ours through unchanged', () => {
    const ours = new CrmStatementError('bounce', 'unknown parameter :nope');
    expect(statementRefusal('bounce', ours, {})).toBe(ours);
  });

  it('turns a selection failure quoting a row into a refusal of the list query setting, and passes any other failure on', () => {
    const quoting = selectionFailure('newsletter', driverError('invalid input syntax for type integer: "anna@example.com"', '22P02'));
    expect((quoting as Error).message).toBe(
      'CRM statement "lists.newsletter.query": invalid input syntax for type integer: "…" (SQLSTATE 22P02)',
    );
    for (const other of [
      driverError('terminating connection due to administrator command', '57P01'),
      new Error('Connection terminated'),
      'text',
    ]) {
      expect(selectionFailure('newsletter', other)).toBe(other);
    }
  });
});
