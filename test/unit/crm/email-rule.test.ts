import { normaliseEmail } from '../../../src/validation/email-rule';

const lower = { lowercaseLocalPart: true };
const keep = { lowercaseLocalPart: false };

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

  it.each(['o\'brien+news@example.co.uk', 'x_y-z@sub.mail.example.org', 'a@xn--bcher-kva.example', 'n@example.museum'])('accepts %s', (address) => {
    expect(normaliseEmail(address, lower)).toBe(address.toLowerCase());
  });
});
