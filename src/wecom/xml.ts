import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { CallbackError } from '../errors.ts';

/**
 * Safe XML for WeCom's small flat documents. A DTD is refused outright (no entity expansion, no
 * "billion laughs", no external entities); values stay strings (MsgId is a 64-bit number and must not
 * go through a double).
 */
const parser = new XMLParser({
  ignoreAttributes: true,
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: false,
  ignoreDeclaration: true,
  ignorePiTags: true,
  cdataPropName: false,
  processEntities: true, // only the five predefined entities: a DTD never gets this far
  htmlEntities: false,
  maxNestedTags: 16,
});

const DTD = /<!\s*(DOCTYPE|ENTITY|ELEMENT|ATTLIST)/i;

/** Parses `<xml>…</xml>` into its children; throws CallbackError for anything else. */
export function parseXmlDocument(text: string): Record<string, unknown> {
  if (DTD.test(text)) throw new CallbackError('forbidden_xml', 'XML with a DTD or entity declarations is not accepted');
  if (XMLValidator.validate(text) !== true) throw new CallbackError('bad_xml', 'body is not well-formed XML');
  let doc: unknown;
  try {
    doc = parser.parse(text);
  } catch {
    throw new CallbackError('bad_xml', 'body is not well-formed XML');
  }
  const root = (doc as Record<string, unknown> | undefined)?.xml;
  if (!root || typeof root !== 'object' || Array.isArray(root)) {
    throw new CallbackError('bad_xml', 'expected an <xml> root element with children');
  }
  return root as Record<string, unknown>;
}

/** A field's text, or undefined when absent, empty-element or not a plain value. */
export function textField(doc: Record<string, unknown>, name: string): string | undefined {
  const v = doc[name];
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return undefined;
}

/** Wraps text in CDATA; a literal "]]>" is split across two sections as XML requires. */
export function cdata(text: string): string {
  return `<![CDATA[${text.replaceAll(']]>', ']]]]><![CDATA[>')}]]>`;
}

/** Serialises a flat element list as `<xml>…</xml>`; strings go into CDATA, numbers stay bare. */
export function buildXml(fields: Record<string, string | number>): string {
  const parts = Object.entries(fields).map(([k, v]) => `<${k}>${typeof v === 'number' ? v : cdata(v)}</${k}>`);
  return `<xml>${parts.join('')}</xml>`;
}
