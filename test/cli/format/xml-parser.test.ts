import { describe, expect, it } from 'vitest';
import { parseXml } from './xml-parser.ts';

// The JUnit tests trust this checker, so it is itself held to known good and bad documents.
describe('parseXml (test helper)', () => {
  it('reads elements, attributes, references and CDATA', () => {
    const root = parseXml(
      '<?xml version="1.0"?>\n<a x="1 &amp; 2" y=\'&#10;\'><b/><!-- c --><c>t &lt;&#x41;<![CDATA[<raw>]]></c></a>\n',
    );
    expect(root.attributes).toEqual({ x: '1 & 2', y: '\n' });
    expect(root.children.map((c) => c.name)).toEqual(['b', 'c']);
    expect(root.children[1]?.text).toBe('t <A<raw>');
  });

  it.each([
    ['an unclosed element', '<a><b></a>'],
    ['a raw ampersand in text', '<a>x & y</a>'],
    ['a raw < in an attribute', '<a x="<"/>'],
    ['an unquoted attribute', '<a x=1/>'],
    ['a duplicate attribute', '<a x="1" x="2"/>'],
    ['an unknown entity', '<a>&nbsp;</a>'],
    ['two roots', '<a/><b/>'],
    ['a control character', '<a>\u0001</a>'],
    ['a bad character reference', '<a>&#1;</a>'],
    ['"]]>" in text', '<a>]]></a>'],
  ])('rejects %s', (_, xml) => {
    expect(() => parseXml(xml)).toThrow();
  });
});
