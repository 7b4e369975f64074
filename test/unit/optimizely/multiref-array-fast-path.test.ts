import { findOperation } from '../../../src/optimizely/api/surface';
import { readMultiRefArray } from '../../../src/optimizely/client/codec/multiref-array-fast-path';
import { readResponse } from '../../../src/optimizely/client/codec/response-reader';
import { addAll3Response, soapFixture } from './soap-fixtures';

describe('readMultiRefArray', () => {
  it('reads the Axis int[] shape with multiRefs in any order', () => {
    const codes = Array.from({ length: 1000 }, (_, i) => i % 8);
    expect(readMultiRefArray(addAll3Response(codes), 'addAll3', 'int')).toEqual(codes);
  });

  it('agrees with the general reader on the recorded-shape fixtures', () => {
    const addAll3 = soapFixture('addall3-response-shuffled.xml');
    const getAllIds = soapFixture('getallids-response-shuffled.xml');
    expect(readMultiRefArray(addAll3, 'addAll3', 'int')).toEqual([0, 1, 5]);
    expect(readMultiRefArray(getAllIds, 'getAllIds', 'long')).toEqual([100, 101, 120199092218, 108713280263, 104]);
  });

  it.each([
    ['a nil item', (xml: string) => xml.replace('<addAll3Return href="#id1"/>', '<addAll3Return xsi:nil="true"/>')],
    ['an entity', (xml: string) => xml.replace('>1</multiRef>', '>&#49;</multiRef>')],
    ['a comment', (xml: string) => xml.replace('<soapenv:Body>', '<soapenv:Body><!-- x -->')],
    ['a missing multiRef', (xml: string) => xml.replace('id="id2"', 'id="id9"')],
    ['a value with spaces', (xml: string) => xml.replace('>5</multiRef>', '> 5 </multiRef>')],
    ['inline items', (xml: string) => xml.replace('<addAll3Return href="#id0"/>', '<addAll3Return xsi:type="xsd:int">0</addAll3Return>')],
  ])('declines %s and leaves it to the general reader', (_name, mutate) => {
    expect(readMultiRefArray(mutate(addAll3Response([0, 1, 5])), 'addAll3', 'int')).toBeUndefined();
  });

  it('declines faults, strings and other operations', () => {
    expect(readMultiRefArray(soapFixture('fault-invalid-session.xml'), 'addAll3', 'int')).toBeUndefined();
    expect(readMultiRefArray(addAll3Response([0]), 'addAll3', 'string')).toBeUndefined();
    expect(readMultiRefArray(addAll3Response([0]), 'removeAll', 'boolean')).toBeUndefined();
  });

  it('leaves the general reader to answer what it declines', () => {
    const withEntity = addAll3Response([0, 1, 5]).replace('>1</multiRef>', '>&#49;</multiRef>');
    expect(readResponse(withEntity, findOperation('Recipient', 'addAll3')!)).toEqual({ kind: 'result', value: [0, 1, 5] });
  });
});
