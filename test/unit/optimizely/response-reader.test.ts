import { OptimizelyResponseError } from '../../../src/errors/optimizely-response-error';
import { findOperation } from '../../../src/optimizely/api/surface';
import type { OperationSpec } from '../../../src/optimizely/api/types';
import { readResponse } from '../../../src/optimizely/client/codec/response-reader';
import { soapFixture } from './soap-fixtures';

const operation = (service: string, name: string): OperationSpec => findOperation(service, name)!;
const result = (file: string, op: OperationSpec) => readResponse(soapFixture(file), op);

describe('readResponse', () => {
  it('reads an inline string return', () => {
    expect(result('login-response.xml', operation('Session', 'login'))).toEqual({ kind: 'result', value: '33c4296db6972a38' });
  });

  it('reads a void response as null', () => {
    expect(result('logout-response.xml', operation('Session', 'logout'))).toEqual({ kind: 'result', value: null });
  });

  it('resolves an int multiRef', () => {
    expect(result('getcount-response.xml', operation('Recipient', 'getCount'))).toEqual({ kind: 'result', value: 42 });
  });

  it('resolves a boolean multiRef', () => {
    expect(result('contains-response.xml', operation('Unsubscribe', 'contains'))).toEqual({ kind: 'result', value: true });
  });

  it('resolves int[] multiRefs written in shuffled order, keeping item order', () => {
    expect(result('addall3-response-shuffled.xml', operation('Recipient', 'addAll3')).kind).toBe('result');
    expect(result('addall3-response-shuffled.xml', operation('Recipient', 'addAll3'))).toEqual({ kind: 'result', value: [0, 1, 5] });
  });

  it('resolves long[] multiRefs in shuffled order, including ids above 2^32', () => {
    const reply = result('getallids-response-shuffled.xml', operation('RecipientList', 'getAllIds'));
    expect(reply).toEqual({ kind: 'result', value: [100, 101, 120199092218, 108713280263, 104] });
  });

  it('reads string[] items with entities, nil and untrimmed whitespace', () => {
    const reply = result('getattributenames-response-nil.xml', operation('RecipientList', 'getAttributeNames'));
    expect(reply).toEqual({ kind: 'result', value: ['email', 'Tom & Jerry <3 ä', null, '  spaced  '] });
  });

  it('reads string[][] whatever the item element names', () => {
    const reply = result('getalladvanced-response.xml', operation('Recipient', 'getAllAdvanced'));
    expect(reply).toEqual({
      kind: 'result',
      value: [
        ['1', 'Ada'],
        ['2', null],
      ],
    });
  });

  it('reads an empty string[][] as an empty array', () => {
    const reply = result('getalladvanced-response-empty.xml', operation('Recipient', 'getAllAdvanced'));
    expect(reply).toEqual({ kind: 'result', value: [] });
  });

  it('accepts other prefixes, indentation and a multiRef before the response element', () => {
    expect(result('getcount-response-pretty.xml', operation('Recipient', 'getCount'))).toEqual({ kind: 'result', value: 1000 });
  });

  it('returns faults as data with code and text', () => {
    const reply = result('fault-invalid-credentials.xml', operation('Session', 'login'));
    expect(reply).toEqual({
      kind: 'fault',
      faultCode: 'soapenv:Server.userException',
      faultString: 'broadmail.api.soap11.impl.WebserviceImplException: Invalid credentials.',
    });
  });

  it('refuses a DOCTYPE before parsing', () => {
    expect(() => result('xxe-response.xml', operation('RecipientList', 'getName'))).toThrow(OptimizelyResponseError);
  });

  it('refuses an href without its multiRef', () => {
    const xml = soapFixture('getcount-response.xml').replace('id="id0"', 'id="id9"');
    expect(() => readResponse(xml, operation('Recipient', 'getCount'))).toThrow(/an href has no multiRef/);
  });

  it('refuses a value of the wrong type', () => {
    const xml = soapFixture('getcount-response.xml').replace('>42<', '>4x2<');
    expect(() => readResponse(xml, operation('Recipient', 'getCount'))).toThrow(/not a valid int/);
  });

  it('refuses a response for another operation and non-XML bodies', () => {
    expect(() => result('getcount-response.xml', operation('Recipient', 'clear'))).toThrow(/no clearResponse/);
    expect(() => readResponse('<html><body>Bad gateway', operation('Recipient', 'clear'))).toThrow(OptimizelyResponseError);
  });

  it('refuses two multiRefs with one id, a second return value and a scalar with element content', () => {
    const getCount = operation('Recipient', 'getCount');
    const xml = soapFixture('getcount-response.xml');
    const twin = /<multiRef[^>]*>42<\/multiRef>/.exec(xml)![0].replace('>42<', '>7<');
    expect(() => readResponse(xml.replace('</soapenv:Body>', `${twin}</soapenv:Body>`), getCount)).toThrow(/share an id/);
    expect(() => readResponse(xml.replace('</ns1:getCountResponse>', '<extra/></ns1:getCountResponse>'), getCount)).toThrow(
      /more than one return value/,
    );
    expect(() => readResponse(xml.replace('>42<', '>4<b>2</b><'), getCount)).toThrow(/element content/);
  });

  it('refuses an array with fewer items than its arrayType declares', () => {
    const xml = soapFixture('getattributenames-response-nil.xml');
    const op = operation('RecipientList', 'getAttributeNames');
    expect(readResponse(xml, op).kind).toBe('result');
    expect(() =>
      readResponse(
        xml.replace(/string\[(\d+)\]/, (_m, n: string) => `string[${Number(n) + 1}]`),
        op,
      ),
    ).toThrow(/declared arrayType/);
  });
});
