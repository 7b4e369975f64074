import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkEmail, normaliseEmail } from '../../../src/validation/email-rule';

const lower = { lowercaseLocalPart: true };
const keep = { lowercaseLocalPart: false };
const punycode = { lowercaseLocalPart: true, idnDomains: 'punycode' as const };

describe('normaliseEmail', () => {
  it('trims and lower-cases the domain, and the local part when configured', () => {
    expect(normaliseEmail('  Anna.Schmidt@Example.COM ', lower)).toBe('anna.schmidt@example.com');
    expect(normaliseEmail('  Anna.Schmidt@Example.COM ', keep)).toBe('Anna.Schmidt@example.com');
  });

  it.each([
    'anna.example.com',
    'anna@@example.com',
    'a@b@example.com',
    'anna..schmidt@example.com',
    '.anna@example.com',
    'anna.@example.com',
    'anna schmidt@example.com',
    'anna@localhost',
    'anna@-example.com',
    'anna@example-.com',
    'anna@example.c',
    'anna@example.123',
    'jürgen@example.com',
    'anna@exämple.com',
    '"anna"@example.com',
    'anna@[127.0.0.1]',
    `${'a'.repeat(65)}@example.com`,
    '@example.com',
    'anna@',
  ])('rejects %s', (address) => {
    expect(normaliseEmail(address, lower)).toBeUndefined();
  });

  it.each([
    "o'brien+news@example.co.uk",
    'x_y-z@sub.mail.example.org',
    'a@xn--bcher-kva.example',
    'n@example.museum',
    'a-@x.com',
    '_a@x.com',
  ])('accepts %s', (address) => {
    expect(normaliseEmail(address, lower)).toBe(address.toLowerCase());
  });
});

// One example per rule of docs/crm.md, "E-mail rule", with the breach it reports.
describe('checkEmail', () => {
  it.each([
    ['a@exampl\u212A.com', 'non_ascii', 'the Kelvin sign is not folded to k: non-ASCII is refused before lower-casing'],
    ['ａ@example.com', 'non_ascii', 'a full-width letter in the local part'],
    ["=cmd|'/ccalc'!a0@evil.com", 'formula_leading', 'a spreadsheet formula'],
    ['+1+2@x.com', 'formula_leading', 'a leading plus'],
    ['-@x.com', 'formula_leading', 'a leading minus'],
    ['@SUM(1+2)@x.com', 'formula_leading', 'a leading at sign'],
    ['!#$%@x.com', 'punctuation_only', 'a local part of punctuation only'],
    ['a@xn--zz.com', 'punycode', 'an xn-- label that is not valid punycode'],
    ['a@xn--munchen-gie.de', 'punycode', 'an xn-- label of a decomposed ü, which IDNA does not allow'],
    ['a@b@x.com', 'at_sign', 'two @'],
    ['a..b@x.com', 'local_part', 'a doubled dot'],
    ['a@x', 'domain', 'a single label'],
    [`a@${'b'.repeat(250)}.com`, 'too_long', 'more than 254 characters'],
    ['anna@münchen.de', 'idn_domain', 'a Unicode domain under the default policy'],
  ])('refuses %j (%s): %s', (address, breach) => {
    expect(checkEmail(address, lower)).toEqual({ ok: false, breach });
  });

  it('converts a Unicode domain to punycode under the punycode policy and says so', () => {
    expect(checkEmail('Anna@MÜNCHEN.de', punycode)).toEqual({ ok: true, address: 'anna@xn--mnchen-3ya.de', idnConverted: true });
    expect(checkEmail('anna@münchen.de', punycode)).toEqual({ ok: true, address: 'anna@xn--mnchen-3ya.de', idnConverted: true });
    expect(checkEmail('anna@muenchen.de', punycode)).toEqual({ ok: true, address: 'anna@muenchen.de', idnConverted: false });
  });

  it('refuses a Unicode label that maps onto ASCII even under the punycode policy', () => {
    expect(checkEmail('a@exampl\u212A.com', punycode)).toEqual({ ok: false, breach: 'non_ascii' });
    expect(checkEmail('a@ｅxample.com', punycode)).toEqual({ ok: false, breach: 'non_ascii' });
    expect(checkEmail('a@example\u3002com', punycode)).toEqual({ ok: false, breach: 'non_ascii' });
  });

  it('keeps valid punycode labels, in any case, and lower-cases them', () => {
    expect(checkEmail('a@XN--BCHER-KVA.example', lower)).toEqual({ ok: true, address: 'a@xn--bcher-kva.example', idnConverted: false });
    expect(checkEmail('a@shop.xn--55qx5d', lower)).toEqual({ ok: true, address: 'a@shop.xn--55qx5d', idnConverted: false });
  });
});

describe('docs/crm.md, "E-mail rule"', () => {
  const docs = readFileSync(join(__dirname, '../../../docs/crm.md'), 'utf8');
  const section = docs.slice(docs.indexOf('### E-mail rule'), docs.indexOf('Normalisation: trim'));
  const rows = section.split('\n').filter((line) => line.startsWith('| ') && !line.startsWith('| rule') && !line.startsWith('| ---'));
  const examplesOf = (row: string): string[] => {
    const cells = row.split(/(?<!\\)\|/).map((cell) => cell.trim());
    return [...(cells[2] ?? '').matchAll(/`([^`]+)`/g)].map((m) => (m[1] as string).replace(/\\\|/g, '|')).filter((ex) => ex.includes('@'));
  };

  it('gives every rule a refused example', () => {
    expect(rows.length).toBeGreaterThanOrEqual(10);
    for (const row of rows) expect([row, examplesOf(row).length > 0]).toEqual([row, true]);
  });

  it('refuses every example the documentation gives, under the default policy', () => {
    const concrete = rows.flatMap(examplesOf).filter((ex) => !ex.includes('…'));
    for (const example of concrete) expect([example, checkEmail(example, lower).ok]).toEqual([example, false]);
  });
});
