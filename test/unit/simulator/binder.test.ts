import { findOperation } from '../../../src/optimizely/api/surface';
import { bindParams } from '../../../src/simulator/soap/binder';
import { readOperationCall } from '../../../src/simulator/soap/envelope';
import { SoapFault } from '../../../src/simulator/soap/soap-fault';
import { scanXml } from '../../../src/simulator/soap/xml-scanner';

const add2 = findOperation('recipient', 'add2')!;
const env = (body: string) => `<e:Envelope xmlns:e="http://schemas.xmlsoap.org/soap/envelope/"><e:Body>${body}</e:Body></e:Envelope>`;
const bind = (body: string) => {
  const call = readOperationCall(scanXml(env(body)));
  return bindParams(add2, call.params, call.refs);
};

describe('bindParams', () => {
  it('binds Java names in any order', () => {
    const p = bind(
      '<add2><recipientId>r</recipientId><sessionId>s</sessionId><recipientListId>5</recipientListId><optinProcessId>0</optinProcessId><address>a</address></add2>',
    );
    expect(p).toMatchObject({
      sessionId: 's',
      recipientListId: 5,
      optinProcessId: 0,
      recipientId: 'r',
      address: 'a',
      attributeNames: [],
      attributeValues: [],
    });
  });

  it('binds in0… and unknown names by position', () => {
    const p = bind('<add2><in0>s</in0><x>5</x><in2>0</in2><y>r</y><z>a</z><in5><q>n</q></in5><in6><q xsi:nil="true"/></in6></add2>');
    expect(p).toMatchObject({
      sessionId: 's',
      recipientListId: 5,
      recipientId: 'r',
      address: 'a',
      attributeNames: ['n'],
      attributeValues: [null],
    });
  });

  it('follows hrefs of array items to request multiRefs', () => {
    const call = readOperationCall(
      scanXml(
        env(
          '<add2><in0>s</in0><in1>1</in1><in2>0</in2><in3>r</in3><in4>a</in4><in5><i href="#a"/></in5><in6><i>v</i></in6></add2><multiRef id="a">n</multiRef>',
        ),
      ),
    );
    expect(bindParams(add2, call.params, call.refs)).toMatchObject({ attributeNames: ['n'], attributeValues: ['v'] });
  });

  it('faults on a non-numeric long and on too many parameters', () => {
    expect(() => bind('<add2><in0>s</in0><in1>five</in1></add2>')).toThrow(SoapFault);
    expect(() => bind(`<add2>${'<p>1</p>'.repeat(8)}</add2>`)).toThrow(/too many parameters/);
  });

  it('faults on a long beyond 2^53 instead of rounding it to another id', () => {
    expect(() => bind('<add2><in0>s</in0><in1>9007199254740993</in1></add2>')).toThrow(/recipientListId is out of range/);
    expect(bind('<add2><in0>s</in0><in1>9007199254740991</in1></add2>')).toMatchObject({ recipientListId: 9007199254740991 });
  });
});
