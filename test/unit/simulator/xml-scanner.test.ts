import { XmlRejectedError } from '../../../src/simulator/soap/xml-rejected-error';
import { scanXml } from '../../../src/simulator/soap/xml-scanner';

describe('scanXml', () => {
  it('keeps local names, attributes without xmlns, leaf text and child order', () => {
    const root = scanXml('<?xml version="1.0"?><a:Root xmlns:a="urn:a" x:t="1"><b>one</b><c/><b>two</b></a:Root>');
    expect(root.name).toBe('Root');
    expect(root.attrs).toEqual({ t: '1' });
    expect(root.children.map((c) => [c.name, c.text])).toEqual([
      ['b', 'one'],
      ['c', ''],
      ['b', 'two'],
    ]);
  });

  it('accepts whitespace before the end of a closing tag', () => {
    expect(scanXml('<p:a><b>x</b ></p:a\n>').children[0]?.text).toBe('x');
  });

  it('decodes predefined entities, character references and CDATA', () => {
    expect(scanXml('<a>&lt;&amp;&#65;&#x42;<![CDATA[<raw>&amp;]]></a>').text).toBe('<&AB<raw>&amp;');
  });

  it.each([
    ['a DOCTYPE', '<!DOCTYPE a><a/>'],
    ['an ENTITY declaration inside the document', '<a><!ENTITY x "y"></a>'],
    ['an undefined entity', '<a>&x;</a>'],
    ['a processing instruction', '<a><?php echo 1 ?></a>'],
    ['mismatched tags', '<a><b></a></b>'],
    ['an unclosed element', '<a><b></b>'],
    ['a second root', '<a/><b/>'],
    ['text outside the root', 'hello <a/>'],
    ['deep nesting', '<a>'.repeat(100) + '</a>'.repeat(100)],
  ])('rejects %s', (_what, xml) => {
    expect(() => scanXml(xml)).toThrow(XmlRejectedError);
  });

  it('refuses a literal character XML 1.0 does not allow', () => {
    expect(() => scanXml('<a>x\u0001y</a>')).toThrow(/does not allow/);
    expect(() => scanXml('<a b="\uFFFF"/>')).toThrow(XmlRejectedError);
  });

  it('resolves the namespace of the root and its children only', () => {
    const root = scanXml('<e:Envelope xmlns:e="urn:soap"><e:Body><op xmlns="urn:x"/></e:Body><b:Body xmlns:b="urn:b"/></e:Envelope>');
    expect(root.namespace).toBe('urn:soap');
    expect(root.children.map((c) => c.namespace)).toEqual(['urn:soap', 'urn:b']);
    expect(root.children[0]!.children[0]!.namespace).toBeUndefined();
  });

  it('keeps attributes named like Object.prototype members as plain keys', () => {
    const root = scanXml('<a __proto__="x" constructor="y"/>');
    expect(root.attrs?.['__proto__']).toBe('x');
    expect(root.attrs?.['constructor']).toBe('y');
    expect(scanXml('<a/>').attrs?.['constructor']).toBeUndefined();
    expect(Object.getPrototypeOf(root.attrs)).toBeNull();
  });
});
