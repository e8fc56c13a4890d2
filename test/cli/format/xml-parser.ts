/**
 * A strict, small XML 1.0 reader for tests: it accepts only well-formed documents (one root, matched
 * tags, quoted and unique attributes, no raw `<` or `&` in text or attributes, only the five named
 * entities and character references, only characters XML allows) and returns the element tree.
 * Strict where lenient parsers are forgiving, so a test that passes means CI tools can read the file.
 */

/** An element as read: attribute values and text are unescaped. */
export interface XmlElement {
  readonly name: string;
  readonly attributes: Readonly<Record<string, string>>;
  readonly children: readonly XmlElement[];
  /** The element's own text (CDATA included), children excluded. */
  readonly text: string;
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

const isNameStart = (c: string) =>
  (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c === '_' || c === ':' || c.charCodeAt(0) > 0x7f;
const isNameChar = (c: string) => isNameStart(c) || (c >= '0' && c <= '9') || c === '-' || c === '.';
const isSpace = (c: string | undefined) => c === ' ' || c === '\t' || c === '\n' || c === '\r';

function isXmlChar(code: number): boolean {
  return (
    code === 0x9 ||
    code === 0xa ||
    code === 0xd ||
    (code >= 0x20 && code <= 0xd7ff) ||
    (code >= 0xe000 && code <= 0xfffd) ||
    (code >= 0x10000 && code <= 0x10ffff)
  );
}

/** Parses `xml`; throws an Error saying where it is not well-formed. */
export function parseXml(xml: string): XmlElement {
  for (const ch of xml) {
    const code = ch.codePointAt(0) ?? 0;
    if (!isXmlChar(code)) throw new Error(`character U+${code.toString(16)} is not allowed in XML`);
  }
  let i = 0;
  const fail = (what: string): never => {
    throw new Error(`not well-formed at offset ${i}: ${what} (near ${JSON.stringify(xml.slice(i, i + 30))})`);
  };
  const skipSpace = () => {
    while (isSpace(xml[i])) i += 1;
  };
  const expect = (s: string) => {
    if (!xml.startsWith(s, i)) fail(`expected ${JSON.stringify(s)}`);
    i += s.length;
  };
  const readName = (): string => {
    const start = i;
    if (!isNameStart(xml[i] ?? '')) fail('expected a name');
    while (i < xml.length && isNameChar(xml[i]!)) i += 1;
    return xml.slice(start, i);
  };
  const readReference = (): string => {
    expect('&');
    const end = xml.indexOf(';', i);
    if (end < 0 || end - i > 10) fail('unterminated reference');
    const body = xml.slice(i, end);
    i = end + 1;
    if (body.startsWith('#x') || body.startsWith('#')) {
      const hex = body.startsWith('#x');
      const digits = body.slice(hex ? 2 : 1);
      const valid =
        digits.length > 0 &&
        [...digits].every((d) => (hex ? '0123456789abcdefABCDEF' : '0123456789').includes(d));
      const code = valid ? Number.parseInt(digits, hex ? 16 : 10) : Number.NaN;
      if (!valid || !isXmlChar(code)) fail(`bad character reference &${body};`);
      return String.fromCodePoint(code);
    }
    const value = ENTITIES[body];
    if (value === undefined) fail(`unknown entity &${body};`);
    return value!;
  };
  const skipMisc = () => {
    for (;;) {
      skipSpace();
      if (xml.startsWith('<!--', i)) {
        const end = xml.indexOf('-->', i + 4);
        if (end < 0) fail('unterminated comment');
        if (xml.slice(i + 4, end).includes('--')) fail('"--" inside a comment');
        i = end + 3;
      } else return;
    }
  };
  const readElement = (): XmlElement => {
    expect('<');
    const name = readName();
    const attributes: Record<string, string> = {};
    for (;;) {
      const hadSpace = isSpace(xml[i]);
      skipSpace();
      if (xml[i] === '/' || xml[i] === '>') break;
      if (!hadSpace) fail('attributes must be separated by whitespace');
      const attr = readName();
      skipSpace();
      expect('=');
      skipSpace();
      const quote = xml[i];
      if (quote !== '"' && quote !== "'") fail('attribute value must be quoted');
      i += 1;
      let value = '';
      while (xml[i] !== quote) {
        if (i >= xml.length) fail('unterminated attribute value');
        if (xml[i] === '<') fail('raw "<" in an attribute value');
        if (xml[i] === '&') value += readReference();
        else value += xml[i++];
      }
      i += 1;
      if (attr in attributes) fail(`duplicate attribute ${attr}`);
      attributes[attr] = value;
    }
    if (xml.startsWith('/>', i)) {
      i += 2;
      return { name, attributes, children: [], text: '' };
    }
    expect('>');
    const children: XmlElement[] = [];
    let text = '';
    for (;;) {
      if (i >= xml.length) fail(`element <${name}> is not closed`);
      if (xml.startsWith('</', i)) {
        i += 2;
        const closing = readName();
        if (closing !== name) fail(`</${closing}> closes <${name}>`);
        skipSpace();
        expect('>');
        return { name, attributes, children, text };
      }
      if (xml.startsWith('<!--', i)) skipMisc();
      else if (xml.startsWith('<![CDATA[', i)) {
        const end = xml.indexOf(']]>', i);
        if (end < 0) fail('unterminated CDATA');
        text += xml.slice(i + 9, end);
        i = end + 3;
      } else if (xml[i] === '<') children.push(readElement());
      else if (xml[i] === '&') text += readReference();
      else {
        if (xml.startsWith(']]>', i)) fail('"]]>" in text');
        text += xml[i++];
      }
    }
  };

  if (xml.startsWith('<?xml')) {
    const end = xml.indexOf('?>');
    if (end < 0) fail('unterminated XML declaration');
    i = end + 2;
  }
  skipMisc();
  const root = readElement();
  skipMisc();
  if (i !== xml.length) fail('content after the root element');
  return root;
}
