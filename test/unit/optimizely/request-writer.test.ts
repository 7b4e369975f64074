import { XMLParser } from 'fast-xml-parser';
import { OptimizelyArgumentError } from '../../../src/errors/optimizely-argument-error';
import { findOperation, SOAP_NAMESPACE } from '../../../src/optimizely/api/surface';
import { writeRequest, type ParamNaming } from '../../../src/optimizely/client/codec/request-writer';
import type { SoapValue } from '../../../src/optimizely/client/codec/soap-value';
import { soapFixture } from './soap-fixtures';

const addAll3 = findOperation('Recipient', 'addAll3')!;
const getAllAdvanced = findOperation('Recipient', 'getAllAdvanced')!;
const addAll3Args: SoapValue[] = [
  'sid',
  100,
  0,
  ['a@x.de', 'b@x.de'],
  ['a@x.de', 'b@x.de'],
  ['firstname', 'note'],
  [
    ['Ada', 'x < y & z'],
    ['Bob', null],
  ],
];
const write = (args: SoapValue[], naming: ParamNaming = 'named', operation = addAll3) =>
  writeRequest({ service: 'Recipient', namespace: SOAP_NAMESPACE('Recipient'), operation, args, naming });
const parse = (xml: string) =>
  new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@', removeNSPrefix: true, parseTagValue: false }).parse(xml);

describe('writeRequest', () => {
  it('writes the positional, typed style public integrations use for addAll3 (API notes §1.3)', () => {
    expect(write(addAll3Args, 'positional')).toBe(soapFixture('addall3-request-positional.xml').trimEnd());
  });

  it('names parameters as the table does in named style, in table order', () => {
    const operation = parse(write(addAll3Args)).Envelope.Body.addAll3;
    expect(Object.keys(operation).filter((key) => !key.startsWith('@'))).toEqual(addAll3.params.map((param) => param.name));
    expect(operation.recipientListId).toEqual({ '#text': '100', '@type': 'xsd:long' });
  });

  it('qualifies the operation element with the service namespace and the SOAP encoding style', () => {
    expect(write(addAll3Args)).toContain(
      '<ns1:addAll3 soapenv:encodingStyle="http://schemas.xmlsoap.org/soap/encoding/" xmlns:ns1="urn:api.broadmail.de/soap11/RpcRecipient">',
    );
  });

  it('writes a string[][] with outer and inner arrayType and nil items', () => {
    const values = parse(write(addAll3Args)).Envelope.Body.addAll3.attributeValues;
    expect(values['@arrayType']).toBe('xsd:string[][2]');
    expect(values.item[1]['@arrayType']).toBe('xsd:string[2]');
    expect(values.item[1].item[1]).toEqual({ '@nil': 'true' });
    expect(values.item[0].item[1]).toBe('x < y & z');
  });

  it('writes null scalars as xsi:nil and booleans and ints as their lexical forms', () => {
    const args: SoapValue[] = ['sid', 100, ['email'], 0, null, true, 0, 1000];
    const operation = parse(write(args, 'named', getAllAdvanced)).Envelope.Body.getAllAdvanced;
    expect(operation.orderByAttribute).toEqual({ '@nil': 'true' });
    expect(operation.ascendingSortOrder['#text']).toBe('true');
    expect(operation.pageSize).toEqual({ '#text': '1000', '@type': 'xsd:int' });
  });

  it('escapes carriage returns so they survive line-ending normalisation', () => {
    expect(write(['sid', 1, 0, ['a\r\nb'], ['a'], [], [[]]])).toContain('<item>a&#13;\nb</item>');
  });

  it('refuses a control character, naming the field but not the value', () => {
    const call = () => write(['sid', 1, 0, ['secret\u0001'], ['a'], [], [[]]]);
    expect(call).toThrow(OptimizelyArgumentError);
    expect(call).toThrow('Recipient.addAll3: cannot encode request: recipientIds[0] contains a character XML 1.0 cannot carry');
    expect(call).not.toThrow(/secret/);
  });

  it('refuses a lone surrogate, which has no UTF-8 form, and writes a surrogate pair', () => {
    expect(() => write(['sid', 1, 0, ['a'], ['a'], ['n'], [['Jo\uD83D']]])).toThrow(
      'attributeValues[0][0] contains a character XML 1.0 cannot carry',
    );
    expect(write(['sid', 1, 0, ['a'], ['a'], ['n'], [['Jo\uD83D\uDE00']]])).toContain('<item>Jo😀</item>');
  });

  it('refuses values of the wrong type and a wrong number of arguments', () => {
    expect(() => write(['sid', 1.5, 0, [], [], [], []])).toThrow(/recipientListId is not a valid long/);
    expect(() => write(['sid', 1, 0, [], [], [], []], 'named', getAllAdvanced)).toThrow(/expects 8 arguments, got 7/);
    expect(() => write(['sid', 1, ['a'], 0, null, true, 2 ** 31, 10], 'named', getAllAdvanced)).toThrow(/pageStart is not a valid int/);
    expect(() => write(['sid', 1, 0, 'a', [], [], []])).toThrow(/recipientIds must be an array/);
  });
});
