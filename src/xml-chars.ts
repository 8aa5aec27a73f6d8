/**
 * The characters XML 1.0 forbids: controls other than tab, line feed and carriage return, U+FFFE/U+FFFF, and lone
 * surrogates. A user's pasted text may hold any of them; the passive reply (src/wecom/xml.ts) and the Word and Excel
 * files (src/records/) drop them so the document stays readable. One definition for every writer of XML.
 */
export const XML_FORBIDDEN_CHARS =
  // eslint-disable-next-line no-control-regex -- matching control characters is this pattern's whole purpose
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** `s` without the characters XML forbids. */
export function withoutXmlForbidden(s: string): string {
  return s.replace(XML_FORBIDDEN_CHARS, '');
}
