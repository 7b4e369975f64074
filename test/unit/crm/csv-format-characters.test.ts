import fc from 'fast-check';
import { crmConfigSchema } from '../../../src/crm/crm-config';

// A CSV format whose quote or escape is a letter, digit, mark, blank or invisible character, or whose
// delimiter holds a letter, digit or mark, reads values as other values (`"00"` under escape `0` read
// as `0`, an opt-out column as not set; an opt-in id `11` split by delimiter `1`): refused, naming
// the setting. The usual characters stay accepted.

const parse = (format: Record<string, unknown>) =>
  crmConfigSchema.safeParse({ kind: 'csv', outbox: '/tmp/outbox', lists: { newsletter: { file: '/tmp/n.csv' } }, format });

const valueCharacter = fc.oneof(
  fc.constantFrom('0', '1', '9', 'a', 'Z', 'é', 'ß', '٣', ' ', '\u00a0', '\u3000', '\u200b', '\u0301', '\u0000', '\u3164'),
  fc.stringMatching(/^[\p{L}\p{N}]$/u),
);

describe('CSV format characters', () => {
  it('refuses a quote or escape that is part of values or cannot be seen, naming the setting', () => {
    fc.assert(
      fc.property(valueCharacter, fc.constantFrom('quote', 'escape'), (character, field) => {
        const parsed = parse({ [field]: character });
        expect(parsed.success).toBe(false);
        const issue = parsed.error?.issues.find((i) => i.path.at(-1) === field);
        expect(issue?.message).toMatch(new RegExp(`the ${field} must not be a letter, digit`));
      }),
    );
  });

  it('refuses a delimiter holding a letter, digit or mark', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[\p{L}\p{N}]$/u), fc.constantFrom(',', ';', ''), (character, other) => {
        const parsed = parse({ delimiter: `${other}${character}`.slice(-2) });
        expect(parsed.success).toBe(false);
        expect(parsed.error?.issues.some((i) => i.path.at(-1) === 'delimiter')).toBe(true);
      }),
    );
  });

  it('accepts the usual characters', () => {
    for (const format of [
      {},
      { delimiter: ';' },
      { delimiter: '\t' },
      { delimiter: '|', quote: "'", escape: '\\' },
      { delimiter: ' ', quote: '"', escape: '"' },
      { delimiter: ',', quote: '`', escape: '`' },
    ])
      expect(parse(format).success).toBe(true);
  });
});
