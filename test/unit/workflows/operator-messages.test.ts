import fc from 'fast-check';
import { terminalBlock } from '../../../src/cli/terminal-text';
import {
  checkOperatorText,
  MAX_BY_LENGTH,
  MAX_REASON_LENGTH,
  operatorMessageProblem,
  operatorTextProblem,
  printable,
} from '../../../workflows/operator-messages';

// Operator text is hostile: whatever arrives, the check either passes printable, bounded text or
// refuses it with a reason naming the field; nothing in between.
const FORBIDDEN_CHARS = [
  '\u0000',
  '\u0007',
  '\n',
  '\r',
  '\u001b',
  '\u007f',
  '\u0085',
  '\u009b',
  '\u061c',
  '\u200b',
  '\u200e',
  '\u202e',
  '\u2066',
  '\u2069',
  '\ufeff',
  '\ud800',
  '\u2028',
  '\u2029',
  '\u00ad',
  '\u206a',
  '\ufff9',
  '\u{e0041}',
  '\u{e0000}',
  '\u2065',
];
const visible = fc
  .string({ unit: 'grapheme', minLength: 1, maxLength: 40 })
  .filter((s) => s.trim() !== '' && operatorTextProblem('by', s, true) === undefined);

describe('operator text', () => {
  it('accepts printable text within the bounds, in any script', () => {
    expect(operatorTextProblem('by', 'jörg.müller@example.test', true)).toBeUndefined();
    expect(operatorTextProblem('reason', 'Prüfung 👩‍💻 — 报告已修复', false)).toBeUndefined();
    expect(operatorTextProblem('reason', undefined, false)).toBeUndefined();
  });

  it('refuses any control, bidi or invisible character wherever it sits, naming the field', () => {
    fc.assert(
      fc.property(
        fc.string({ maxLength: 30 }),
        fc.constantFrom(...FORBIDDEN_CHARS),
        fc.string({ maxLength: 30 }),
        fc.constantFrom('by' as const, 'reason' as const),
        (before, bad, after, field) => {
          const problem = operatorTextProblem(field, `x${before}${bad}${after}`, true);
          expect(problem).toMatch(new RegExp(`^${field} `));
        },
      ),
    );
  });

  it('accepts only text that stays one line in every viewer, prints unchanged to a terminal and hides nothing', () => {
    const lineBreak = /[\n\v\f\r\u0085\u2028\u2029]/;
    const hidden = /[\u00ad\u180e\u200b\u2060-\u206f\ufeff\ufff9-\ufffb\u{e0000}-\u{e007f}]/u;
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 20 }), (text) => {
        if (operatorTextProblem('reason', text, false) !== undefined) return;
        expect(text).not.toMatch(lineBreak);
        expect(text).not.toMatch(hidden);
        expect(terminalBlock(text)).toBe(text);
        expect(text).not.toMatch(/\p{Cs}/u);
      }),
      { numRuns: 2000 },
    );
  });

  it('refuses text over the bound and accepts it at the bound', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2000 }), (length) => {
        const text = 'a'.repeat(length);
        expect(operatorTextProblem('by', text, true) === undefined).toBe(length <= MAX_BY_LENGTH);
        expect(operatorTextProblem('reason', text, false) === undefined).toBe(length <= MAX_REASON_LENGTH);
      }),
    );
  });

  it('refuses a missing or blank sender and anything that is not text', () => {
    for (const by of [undefined, null, '', '   ', 42, {}, ['ops']]) expect(() => checkOperatorText({ by })).toThrow(/^by /);
    expect(() => checkOperatorText({ by: 'ops', reason: 7 })).toThrow('reason must be text');
    for (const message of [null, 'ops', 3]) expect(() => checkOperatorText(message)).toThrow('the message must be an object');
  });

  it('never throws anything but a refusal, whatever the message', () => {
    fc.assert(
      fc.property(fc.anything(), (message) => {
        try {
          checkOperatorText(message);
        } catch (error) {
          expect((error as { type?: string }).type).toBe('ActionRefusedError');
        }
      }),
    );
  });

  // Signals have no validator: the handlers ignore what this finds a problem with (workflows/*-operator.ts).
  it('finds a problem, without throwing, in exactly the messages an Update refuses, and in a list signal without a text key', () => {
    const text = fc.oneof(
      visible,
      fc.constantFrom(...FORBIDDEN_CHARS).map((c) => `ops${c}`),
      fc.constant(''),
      fc.anything(),
    );
    const message = fc.oneof(
      fc.anything(),
      fc.record({ by: text, reason: text, listKey: fc.oneof(fc.string(), fc.anything()) }, { requiredKeys: [] }),
    );
    fc.assert(
      fc.property(message, fc.boolean(), (m, listKey) => {
        const problem = operatorMessageProblem(m, { listKey });
        const refused = (() => {
          try {
            // The text checks alone: an Update also refuses fields it does not take (operator-message-shape.test.ts).
            checkOperatorText(m, typeof m === 'object' && m !== null ? Object.keys(m) : []);
            return false;
          } catch {
            return true;
          }
        })();
        const keyless = typeof (m as { listKey?: unknown } | null)?.listKey !== 'string';
        expect(problem !== undefined).toBe(refused || (listKey && keyless));
      }),
      { numRuns: 500 },
    );
  });

  it('prints a hostile key short and without control or bidi characters', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (key) => {
        const shown = printable(key);
        expect(shown.length).toBeLessThanOrEqual(2 + 61 * 6);
        // Printable as a reason would be (the address rule aside: a refusal is not kept in any history).
        expect(operatorTextProblem('reason', shown.replaceAll('@', ' '), false)).toBeUndefined();
      }),
    );
    expect(printable('__proto__')).toBe('"__proto__"');
    fc.assert(fc.property(visible, (name) => expect(operatorTextProblem('by', name, true)).toBeUndefined()));
  });
});

describe('operator reasons and recipient data', () => {
  // A reason travels as an Update argument into the workflow history, where no recipient data may go.
  it('refuses a reason holding an e-mail address wherever it sits, and only then (property)', () => {
    const local = fc.stringMatching(/^[a-z0-9._+-]{1,12}$/);
    const domain = fc.stringMatching(/^[a-z0-9-]{1,10}\.[a-z]{2,6}$/);
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), local, domain, fc.string({ maxLength: 40 }), (before, name, host, after) => {
        const reason = `${before} ${name}@${host} ${after}`;
        if (reason.length > MAX_REASON_LENGTH || operatorTextProblem('reason', `${before} ${after}`, false) !== undefined) return;
        expect(operatorTextProblem('reason', reason, false)).toMatch(/^reason contains an e-mail address/);
        expect(() => checkOperatorText({ by: 'ops', reason })).toThrow(/e-mail address/);
      }),
    );
    for (const fine of ['@alice approved', 'ticket OPS-123', 'Mail an die Redaktion @ 10:00', 'ops@team']) {
      expect(operatorTextProblem('reason', fine, false)).toBeUndefined();
    }
    expect(operatorTextProblem('by', 'jörg.müller@example.test', true)).toBeUndefined();
  });
});
