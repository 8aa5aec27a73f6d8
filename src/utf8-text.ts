import { Utf8LimitError } from './errors.ts';

/**
 * Text measured and cut in UTF-8 bytes, as message size limits are (WeCom's are in src/wecom/limits.ts): used by
 * the bot core to pack an answer of several parts, and by the transports and jobs to fit their channel.
 */

export function utf8Length(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}

/** Sentence punctuation a part may end after when no newline is near (Chinese, and the Latin comma-free ones). */
const STOPS = new Set([...'。；！？，'].map((c) => c.codePointAt(0)!));

/**
 * Splits text into parts of at most `maxBytes` UTF-8 bytes, never inside a character (code point),
 * preferring to break after a newline, then after Chinese sentence punctuation, then anywhere.
 * One pass over the text: each part is scanned once (an earlier version copied the rest of the text into an array
 * for every part, quadratic in the length: 1.1 s for 160,000 characters).
 */
export function splitUtf8(text: string, maxBytes: number): string[] {
  if (maxBytes < 4) throw new Utf8LimitError(maxBytes);
  const parts: string[] = [];
  let remaining = utf8Length(text);
  let start = 0;
  while (remaining > maxBytes) {
    // Longest prefix from `start` (in whole code points) that fits, remembering where it could break.
    let bytes = 0;
    let i = start;
    let chars = 0;
    const newline = { at: -1, chars: -1, bytes: 0 };
    const stop = { at: -1, chars: -1, bytes: 0 };
    for (;;) {
      const cp = text.codePointAt(i)!;
      const n = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
      if (bytes + n > maxBytes) break;
      bytes += n;
      i += cp > 0xffff ? 2 : 1;
      chars++;
      const mark = cp === 10 ? newline : STOPS.has(cp) ? stop : undefined;
      if (mark) Object.assign(mark, { at: i, chars, bytes });
    }
    // Break after the last newline (or sentence end) in the second half of what fits; otherwise where it stops
    // fitting. Counted in code points, as the first version did.
    const brk = newline.chars - 1 >= chars / 2 ? newline : stop.chars - 1 >= chars / 2 ? stop : { at: i, bytes };
    parts.push(text.slice(start, brk.at).replace(/\n+$/, ''));
    start = brk.at;
    remaining -= brk.bytes;
    while (text.charCodeAt(start) === 10) {
      start++;
      remaining--;
    }
  }
  if (start < text.length || parts.length === 0) parts.push(text.slice(start));
  return parts;
}

/**
 * Packs whole parts into as few messages as fit within `maxBytes`, in order, never splitting a part (a part larger
 * than the limit goes alone and is split later on sentence boundaries by splitUtf8).
 */
export function packParts(parts: readonly string[], maxBytes: number, separator = '\n\n'): string[] {
  const out: string[] = [];
  // The last message's size is kept, not measured again: with no limit (a stream) every part joins one message.
  let lastBytes = 0;
  const sepBytes = utf8Length(separator);
  for (const part of parts) {
    const bytes = utf8Length(part);
    if (out.length > 0 && lastBytes + sepBytes + bytes <= maxBytes) {
      out[out.length - 1] += separator + part;
      lastBytes += sepBytes + bytes;
    } else {
      out.push(part);
      lastBytes = bytes;
    }
  }
  return out;
}

/** The longest prefix of `text` within `maxBytes` of UTF-8, whole code points, cut after a line where one is near. */
export function fitBytes(text: string, maxBytes: number): string {
  if (utf8Length(text) <= maxBytes) return text;
  let bytes = 0;
  let end = 0;
  for (const ch of text) {
    const n = utf8Length(ch);
    if (bytes + n > maxBytes) break;
    bytes += n;
    end += ch.length;
  }
  const lastBreak = text.lastIndexOf('\n', end);
  return text.slice(0, lastBreak > end / 2 ? lastBreak : end);
}
