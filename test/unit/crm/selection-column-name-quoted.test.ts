import fc from 'fast-check';
import { checkSelectionColumnNames, quotedName } from '../../../src/crm/selection-column-names';
import { CrmSelectionAmbiguousError } from '../../../src/errors/crm-selection-ambiguous-error';

// A selection's column names come from outside (a CSV file's header, a SQL alias): a consent column
// under another spelling is refused naming it, but the name may be megabytes of padding, zero-width
// or control characters around `Unsubscribed`. The error's message goes to the activity's failure,
// the workflow history and the logs: the name is quoted bounded and with every invisible character
// written out, and the field number says which column it is.

const padding = fc.array(fc.constantFrom(' ', '\u200b', '\u00ad', '\u202e', '\ufeff', '\u0000', '\n', '\t'), { maxLength: 200 });
const hostileName = fc
  .tuple(padding, fc.constantFrom('Unsubscribed', 'consent-withdrawn', 'BOUNCED_AT', 'opt out'), padding, fc.nat({ max: 200_000 }))
  .map(([before, word, after, blanks]) => `${' '.repeat(blanks)}${before.join('')}${word}${after.join('')}`);

describe('a consent column under another spelling: the error names it bounded and visibly', () => {
  it('quotes at most 100 characters of the name, none of them a control or invisible character, with its field number', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.constantFrom('email', 'recipient_id', 'first_name'), { maxLength: 3 }), hostileName, (before, name) => {
        let error: unknown;
        try {
          checkSelectionColumnNames('newsletter', [...before, name], {});
        } catch (caught) {
          error = caught;
        }
        expect(error).toBeInstanceOf(CrmSelectionAmbiguousError);
        const message = (error as Error).message;
        expect(message.length).toBeLessThan(400);
        expect(message).not.toMatch(/[\p{Cc}\p{Cf}]/u);
        expect(message).toContain(`field ${before.length + 1}`);
      }),
      { numRuns: 200 },
    );
  });

  it('writes an invisible character out and keeps a plain space', () => {
    expect(quotedName(' opt\u200b out\u0000 ')).toBe('"opt\\u200b out\\u0000"');
    expect(quotedName('x'.repeat(41))).toBe(`"${'x'.repeat(40)}…"`);
  });
});
