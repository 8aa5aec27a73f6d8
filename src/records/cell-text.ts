/**
 * Text put into a spreadsheet cell (CSV or xlsx) that Excel or WPS would read as a formula if it began with = + - @
 * (or a tab or carriage return before one): a secretary's "=HYPERLINK(…)" in a summary must stay text. Prefixed with
 * an apostrophe, as OWASP recommends; the apostrophe shows, so nothing is silently changed.
 */
export function neutraliseCell(text: string): string {
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}
