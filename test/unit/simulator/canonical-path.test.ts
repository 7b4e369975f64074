import fc from 'fast-check';
import { canonicalPath } from '../../../src/simulator/http/canonical-path';

describe('canonicalPath', () => {
  it.each([
    '/soap11/RpcRecipient/../../admin/faults',
    '/soap11/RpcRecipient/%2e%2e/%2e%2e/admin/faults',
    '/soap11/./RpcRecipient',
    '//admin/faults',
    '/admin//faults',
    '/soap11\\..\\admin/faults',
    '/admin/%66aults',
    'admin/faults',
    '',
  ])('refuses %s', (path) => {
    expect(canonicalPath(path)).toBeUndefined();
  });

  it('keeps canonical paths and drops the query', () => {
    expect(canonicalPath('/soap11/RpcRecipient?wsdl')).toBe('/soap11/RpcRecipient');
    expect(canonicalPath('/soap11/RpcRecipient/')).toBe('/soap11/RpcRecipient/');
    expect(canonicalPath('/admin/clients/1234/lists/100/recipients')).toBe('/admin/clients/1234/lists/100/recipients');
    expect(canonicalPath('/')).toBe('/');
  });

  it('accepts only paths that URL parsing leaves as they are, so routing and parsing agree', () => {
    const segment = fc.string({ maxLength: 6, unit: fc.constantFrom('a', '.', '%', '2', 'e', '/', '\\', '~', '-', '?') });
    fc.assert(
      fc.property(fc.array(segment, { maxLength: 5 }), (parts) => {
        const target = `/${parts.join('/')}`;
        const path = canonicalPath(target);
        if (path !== undefined) expect(new URL(target, 'http://simulator').pathname).toBe(path);
      }),
    );
  });
});
