import { CallbackError } from '../errors.ts';
import { withoutXmlForbidden } from '../xml-chars.ts';

/**
 * XML for WeCom's small documents: `<xml>` with child elements holding text or CDATA, nested a level or two
 * in a few events (ScanCodeInfo, SendPicsInfo/PicList/item). A strict reader of exactly that subset:
 * - A DTD is refused outright (no entity expansion, no "billion laughs", no external entities); processing
 *   instructions other than the XML declaration are refused; comments are skipped.
 * - Only the five predefined entities and numeric character references are decoded.
 * - Values stay strings (MsgId is a 64-bit number and must not go through a double).
 * - Tags must match; depth and element count are bounded.
 * It replaces a general-purpose parser on the callback's hot path, where that parser cost ~50 µs per tiny
 * document (two per callback) against a few µs here; anything outside the subset is rejected, not guessed.
 */
export type XmlValue = string | XmlElement | XmlValue[];
export interface XmlElement {
  [name: string]: XmlValue;
}

const MAX_DEPTH = 8;
const MAX_ELEMENTS = 2000;
const NAME = /[A-Za-z_][A-Za-z0-9_.-]*/y;
const ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

class Reader {
  pos = 0;
  elements = 0;
  constructor(readonly s: string) {}

  fail(reason: string): never {
    throw new CallbackError('bad_xml', `body is not well-formed XML (${reason} at ${this.pos})`);
  }

  skipSpace(): void {
    const s = this.s;
    while (this.pos < s.length) {
      const c = s.charCodeAt(this.pos);
      if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) return;
      this.pos++;
    }
  }

  /** Skips whitespace, comments and (at the top) the XML declaration. */
  skipMisc(allowDeclaration: boolean): void {
    for (;;) {
      this.skipSpace();
      if (this.s.startsWith('<!--', this.pos)) {
        const end = this.s.indexOf('-->', this.pos + 4);
        if (end < 0) this.fail('unterminated comment');
        this.pos = end + 3;
      } else if (allowDeclaration && this.s.startsWith('<?xml', this.pos)) {
        const end = this.s.indexOf('?>', this.pos);
        if (end < 0) this.fail('unterminated declaration');
        this.pos = end + 2;
        allowDeclaration = false;
      } else if (this.s.startsWith('<?', this.pos)) {
        this.fail('processing instruction');
      } else if (this.s.startsWith('<!', this.pos) && !this.s.startsWith('<![CDATA[', this.pos)) {
        throw new CallbackError('forbidden_xml', 'XML with a DTD or entity declarations is not accepted');
      } else return;
    }
  }

  name(): string {
    NAME.lastIndex = this.pos;
    const m = NAME.exec(this.s);
    if (!m) this.fail('expected a name');
    this.pos += m[0].length;
    return m[0];
  }

  /** Reads `<name …>content</name>` (attributes are skipped: WeCom sends none). Returns [name, value]. */
  element(depth: number): [string, XmlValue] {
    if (depth > MAX_DEPTH) this.fail('too deeply nested');
    if (++this.elements > MAX_ELEMENTS) this.fail('too many elements');
    if (this.s[this.pos] !== '<') this.fail('expected <');
    this.pos++;
    const name = this.name();
    // Skip attributes, respecting quotes.
    let quote = '';
    for (; this.pos < this.s.length; this.pos++) {
      const c = this.s[this.pos]!;
      if (quote) {
        if (c === quote) quote = '';
      } else if (c === '"' || c === "'") quote = c;
      else if (c === '>' || c === '<') break;
    }
    if (this.s[this.pos] !== '>') this.fail('unterminated start tag');
    if (this.s[this.pos - 1] === '/') {
      this.pos++;
      return [name, ''];
    }
    this.pos++;
    const value = this.content(depth);
    // Now at "</"
    this.pos += 2;
    const closing = this.name();
    if (closing !== name) this.fail(`</${closing}> closes <${name}>`);
    this.skipSpace();
    if (this.s[this.pos] !== '>') this.fail('unterminated end tag');
    this.pos++;
    return [name, value];
  }

  /** Text (with CDATA and references) or child elements, up to the closing tag. */
  content(depth: number): XmlValue {
    let text = '';
    let children: XmlElement | undefined;
    for (;;) {
      if (this.pos >= this.s.length) this.fail('unexpected end');
      const lt = this.s.indexOf('<', this.pos);
      if (lt < 0) this.fail('unexpected end');
      if (lt > this.pos) text += this.decode(this.s.slice(this.pos, lt));
      this.pos = lt;
      if (this.s.startsWith('</', lt)) break;
      if (this.s.startsWith('<![CDATA[', lt)) {
        const end = this.s.indexOf(']]>', lt + 9);
        if (end < 0) this.fail('unterminated CDATA');
        text += this.s.slice(lt + 9, end);
        this.pos = end + 3;
      } else if (this.s.startsWith('<!--', lt) || this.s.startsWith('<!', lt) || this.s.startsWith('<?', lt)) {
        this.skipMisc(false);
      } else {
        const [childName, childValue] = this.element(depth + 1);
        children ??= Object.create(null) as XmlElement;
        const existing = children[childName];
        if (existing === undefined) children[childName] = childValue;
        else if (Array.isArray(existing)) existing.push(childValue);
        else children[childName] = [existing, childValue];
      }
    }
    if (children) {
      if (text.trim() !== '') this.fail('mixed text and elements');
      return children;
    }
    return text;
  }

  decode(raw: string): string {
    if (raw.includes('>') && raw.includes(']]>')) this.fail('"]]>" in text');
    if (!raw.includes('&')) return raw;
    return raw.replace(/&([^;&\s]{1,10});|&/g, (whole, ref: string | undefined) => {
      if (!ref) this.fail('bare &');
      if (ref[0] === '#') {
        const code = ref[1] === 'x' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
        if (!Number.isInteger(code) || code < 1 || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) this.fail(`bad reference ${whole}`);
        return String.fromCodePoint(code);
      }
      const v = ENTITIES[ref];
      if (v === undefined) this.fail(`unknown entity ${whole}`);
      return v;
    });
  }
}

/** Parses `<xml>…</xml>` into its children; throws CallbackError for anything else. */
export function parseXmlDocument(text: string): XmlElement {
  const r = new Reader(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  r.skipMisc(true);
  if (r.pos >= r.s.length) r.fail('empty document');
  const [name, value] = r.element(0);
  r.skipMisc(false);
  if (r.pos !== r.s.length) r.fail('content after the root element');
  if (name !== 'xml') throw new CallbackError('bad_xml', 'expected an <xml> root element');
  if (typeof value === 'string') {
    if (value.trim() !== '') throw new CallbackError('bad_xml', 'expected an <xml> root element with children');
    return Object.create(null) as XmlElement;
  }
  return value as XmlElement;
}

/** A field's text, or undefined when absent or not a plain value. */
export function textField(doc: XmlElement, name: string): string | undefined {
  const v = doc[name];
  return typeof v === 'string' ? v : undefined;
}

/** The text without the characters XML forbids. */
export function xmlSafe(text: string): string {
  return withoutXmlForbidden(text);
}

/** Wraps text in CDATA; a literal "]]>" is split across two sections as XML requires; forbidden characters dropped. */
export function cdata(text: string): string {
  return `<![CDATA[${xmlSafe(text).replaceAll(']]>', ']]]]><![CDATA[>')}]]>`;
}

/** Serialises a flat element list as `<xml>…</xml>`; strings go into CDATA, numbers stay bare. */
export function buildXml(fields: Record<string, string | number>): string {
  let out = '<xml>';
  for (const k in fields) {
    const v = fields[k]!;
    out += `<${k}>${typeof v === 'number' ? v : cdata(v)}</${k}>`;
  }
  return `${out}</xml>`;
}
