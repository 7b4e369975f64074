import fc from 'fast-check';
import {
  checkOperatorText,
  MAX_REASON_LENGTH,
  operatorMessageProblem,
  operatorTextProblem,
  signalProblem,
} from '../../../workflows/operator-messages';

// Operator text must show who acted and hide nothing. Characters that render as nothing but are not
// format characters (Cf) passed the checks: a `by` of one Hangul filler (U+3164, a letter by category)
// approved a held list for nobody anyone could see, and `alice\u3164` read as alice. So did a reason
// naming a recipient with a look-alike at sign or dot (`jane＠example.com`), which the history keeps.

/** Letters and marks that render as nothing (default-ignorable outside Cf). */
const INVISIBLE_LETTERS = ['\u034f', '\u115f', '\u1160', '\u17b4', '\u17b5', '\u180b', '\u180c', '\u180d', '\u180f', '\u3164', '\uffa0'];
/** What a `by` may hold beside something visible, but not alone. */
const NOTHING_TO_SEE = [
  ' ',
  '\u00a0',
  '\u3000',
  '\u2800',
  '\u0301',
  '\u0308',
  '\u20dd',
  '\ufe0f',
  '\ufe00',
  '\u{e0100}',
  '\u200d',
  '\u200c',
];
const AT_SIGNS = ['@', '\uff20', '\ufe6b'];
const DOTS = ['.', '\uff0e', '\u3002', '\uff61'];

const field = fc.constantFrom('by' as const, 'reason' as const);

describe('operator text someone can see', () => {
  it('refuses a sender made of nothing visible (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...NOTHING_TO_SEE, ...INVISIBLE_LETTERS), { minLength: 1, maxLength: 12 }), (chars) => {
        const by = chars.join('');
        expect(operatorTextProblem('by', by, true)).toMatch(/^by /);
        expect(() => checkOperatorText({ by, reason: 'approved' })).toThrow(/^by /);
      }),
    );
  });

  it('refuses an invisible letter anywhere in either field, naming the field (property)', () => {
    fc.assert(
      fc.property(
        fc.string({ maxLength: 20 }),
        fc.constantFrom(...INVISIBLE_LETTERS),
        fc.string({ maxLength: 20 }),
        field,
        (before, hidden, after, f) => {
          expect(operatorTextProblem(f, `alice${before}${hidden}${after}`, f === 'by')).toMatch(new RegExp(`^${f} `));
        },
      ),
    );
  });

  it('accepts a visible name with the marks, joiners and variation selectors scripts and emoji need', () => {
    for (const by of ['alice', 'Zoë', 'José', '👩‍💻 ops', '❤️ team', '葛\u{e0100}西', 'نوبت‌کار', 'x\u20dd'])
      expect(operatorTextProblem('by', by, true)).toBeUndefined();
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', minLength: 1, maxLength: 30 }), (by) => {
        if (operatorTextProblem('by', by, true) === undefined) expect(by).toMatch(/[^\s\p{M}\u2800\u200c\u200d]/u);
      }),
      { numRuns: 2000 },
    );
  });

  it('refuses a reason holding an address whatever at sign and dots it is written with (property)', () => {
    const local = fc.stringMatching(/^[a-z0-9._+-]{1,12}$/);
    const label = fc.stringMatching(/^[a-z0-9-]{1,10}$/);
    const tld = fc.stringMatching(/^[a-z]{2,6}$/);
    fc.assert(
      fc.property(
        fc.string({ maxLength: 40 }),
        local,
        fc.constantFrom(...AT_SIGNS),
        label,
        fc.constantFrom(...DOTS),
        tld,
        fc.string({ maxLength: 40 }),
        (before, name, at, host, dot, top, after) => {
          const reason = `${before} ${name}${at}${host}${dot}${top} ${after}`;
          if (reason.length > MAX_REASON_LENGTH || operatorTextProblem('reason', `${before} ${after}`, false) !== undefined) return;
          expect(operatorTextProblem('reason', reason, false)).toMatch(/^reason contains an e-mail address/);
        },
      ),
    );
    for (const fine of ['@alice approved', 'Mail an die Redaktion ＠ 10:00', 'ops＠team', 'Ende。Neu', 'ticket OPS-123'])
      expect(operatorTextProblem('reason', fine, false)).toBeUndefined();
  });
});

describe('signals and the visible-text rules', () => {
  // A run without the *-operator-signal-text-visible patch checked its signals without these rules and
  // must replay as it ran: a signal only these rules refuse asks that patch, any other the former one.
  const text = fc.oneof(
    fc.string({ maxLength: 12 }),
    fc
      .array(fc.constantFrom(...NOTHING_TO_SEE, ...INVISIBLE_LETTERS, 'a', '\u0000', '@', '\uff20', '.', '\u3002', 'b'), { maxLength: 12 })
      .map((c) => c.join('')),
    fc.constantFrom('jane\uff20example.com', 'jane@example.com', '\u3164', undefined),
    fc.anything(),
  );
  const message = fc.oneof(
    fc.anything(),
    fc.record({ by: text, reason: text, listKey: fc.oneof(fc.string(), fc.anything()) }, { requiredKeys: [] }),
  );

  it('asks the former patch exactly for what the former checks refused, the new one for the rest (property)', () => {
    fc.assert(
      fc.property(message, fc.boolean(), (m, listKey) => {
        const found = signalProblem(m, { listKey });
        const now = operatorMessageProblem(m, { listKey });
        const before = operatorMessageProblem(m, { listKey, rules: 'before-visible-text' });
        expect(found === undefined).toBe(now === undefined);
        if (before !== undefined) expect(found).toEqual({ problem: before, patch: 'checked' });
        else if (now !== undefined) expect(found).toEqual({ problem: now, patch: 'visibleText' });
      }),
      { numRuns: 1000 },
    );
    expect(signalProblem({ by: '\u3164', reason: 'approved' })?.patch).toBe('visibleText');
    expect(signalProblem({ reason: 'approved' })?.patch).toBe('checked');
  });
});
