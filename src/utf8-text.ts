import { Utf8LimitError } from './errors.ts';

/**
 * Text measured and cut in UTF-8 bytes, as message size limits are (WeCom's are in src/wecom/limits.ts): used by
 * the bot core to pack an answer of several parts, and by the transports and jobs to fit their channel.
 */

export function utf8Length(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}

/**
 * Splits text into parts of at most `maxBytes` UTF-8 bytes, never inside a character (code point),
 * preferring to break after a newline, then after Chinese or Latin sentence punctuation, then anywhere.
 */
export function splitUtf8(text: string, maxBytes: number): string[] {
  if (maxBytes < 4) throw new Utf8LimitError(maxBytes);
  const parts: string[] = [];
  let rest = text;
  while (utf8Length(rest) > maxBytes) {
    const chars = Array.from(rest);
    // Longest prefix (in whole code points) that fits.
    let bytes = 0;
    let fit = 0;
    while (fit < chars.length && bytes + utf8Length(chars[fit]!) <= maxBytes) bytes += utf8Length(chars[fit++]!);
    let cut = fit;
    const window = chars.slice(0, fit);
    const lastNewline = window.lastIndexOf('\n');
    if (lastNewline >= fit / 2) cut = lastNewline + 1;
    else {
      const lastStop = Math.max(...['。', '；', '！', '？', '. ', '，'].map((p) => window.lastIndexOf(p)));
      if (lastStop >= fit / 2) cut = lastStop + 1;
    }
    parts.push(chars.slice(0, cut).join('').replace(/\n+$/, ''));
    rest = chars.slice(cut).join('').replace(/^\n+/, '');
  }
  if (rest.length > 0 || parts.length === 0) parts.push(rest);
  return parts;
}

/**
 * Packs whole parts into as few messages as fit within `maxBytes`, in order, never splitting a part (a part larger
 * than the limit goes alone and is split later on sentence boundaries by splitUtf8).
 */
export function packParts(parts: readonly string[], maxBytes: number, separator = '\n\n'): string[] {
  const out: string[] = [];
  for (const part of parts) {
    const last = out.at(-1);
    if (last !== undefined && utf8Length(last) + utf8Length(separator) + utf8Length(part) <= maxBytes) out[out.length - 1] = last + separator + part;
    else out.push(part);
  }
  return out;
}
