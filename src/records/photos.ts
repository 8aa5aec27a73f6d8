import type { ImageSource } from '../bot/message.ts';

/**
 * Photos of a study session, attached to its record: the limits, and what counts as an image. The bytes are read, not
 * trusted by their name or content type: a photo is stored only if its first bytes say JPEG, PNG, GIF or WebP, the
 * formats every phone sends and every browser shows. HEIC (iPhone originals) is not among them: WeCom converts a
 * photo to JPEG when it is sent as an image, so HEIC arrives only as a file, which the app's callback never carries.
 */
export const PHOTO_LIMITS = {
  /** WeCom's own limit for an image (doc 96486); a bigger one is refused before it is read to the end. */
  maxBytes: 10 * 1024 * 1024,
  /** Per record: a session's evidence (sign-in sheet, a few photos of the room), like a WeCom post's nine pictures. */
  maxPerRecord: 9,
  /** Per record, all photos together: keeps one record's notebook page and database row bounded. */
  maxTotalBytes: 30 * 1024 * 1024,
} as const;

export type PhotoMime = 'image/jpeg' | 'image/png' | 'image/gif' | 'image/webp';

/** The photo's type by its magic bytes, or undefined when it is none of the accepted ones. */
export function imageTypeOf(bytes: Uint8Array): PhotoMime | undefined {
  const b = (i: number) => bytes[i] ?? -1;
  const ascii = (from: number, text: string) => [...text].every((c, i) => b(from + i) === c.charCodeAt(0));
  if (b(0) === 0xff && b(1) === 0xd8 && b(2) === 0xff) return 'image/jpeg';
  if (ascii(0, '\x89PNG\r\n\x1a\n')) return 'image/png';
  if (ascii(0, 'GIF87a') || ascii(0, 'GIF89a')) return 'image/gif';
  if (ascii(0, 'RIFF') && ascii(8, 'WEBP')) return 'image/webp';
  return undefined;
}

export const PHOTO_EXTENSIONS: Record<PhotoMime, string> = { 'image/jpeg': 'jpg', 'image/png': 'png', 'image/gif': 'gif', 'image/webp': 'webp' };

/**
 * Width and height in pixels from the image's header (for laying it out in the notebook), or undefined when the
 * header cannot be read. JPEG: the first start-of-frame marker; PNG: IHDR; GIF: the logical screen; WebP: VP8/VP8L/VP8X.
 */
export function imageSizeOf(bytes: Uint8Array): { width: number; height: number } | undefined {
  const type = imageTypeOf(bytes);
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const ok = (s: { width: number; height: number }) => (s.width > 0 && s.height > 0 ? s : undefined);
  try {
    switch (type) {
      case 'image/png':
        return ok({ width: buf.readUInt32BE(16), height: buf.readUInt32BE(20) });
      case 'image/gif':
        return ok({ width: buf.readUInt16LE(6), height: buf.readUInt16LE(8) });
      case 'image/webp': {
        const chunk = buf.toString('ascii', 12, 16);
        if (chunk === 'VP8X') return ok({ width: 1 + buf.readUIntLE(24, 3), height: 1 + buf.readUIntLE(27, 3) });
        if (chunk === 'VP8L') {
          const v = buf.readUInt32LE(21);
          return ok({ width: 1 + (v & 0x3fff), height: 1 + ((v >> 14) & 0x3fff) });
        }
        if (chunk === 'VP8 ') return ok({ width: buf.readUInt16LE(26) & 0x3fff, height: buf.readUInt16LE(28) & 0x3fff });
        return undefined;
      }
      case 'image/jpeg': {
        let i = 2;
        while (i + 9 < buf.length) {
          if (buf[i] !== 0xff) return undefined;
          const marker = buf[i + 1]!;
          // Start of frame: baseline, progressive and the rarer coding processes (not DHT C4, JPG C8, DAC CC).
          if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
            return ok({ height: buf.readUInt16BE(i + 5), width: buf.readUInt16BE(i + 7) });
          }
          i += 2 + buf.readUInt16BE(i + 2);
        }
        return undefined;
      }
      default:
        return undefined;
    }
  } catch {
    return undefined;
  }
}

/** The photos of a form not yet saved are kept under the draft's id, then moved to the record it becomes. */
export const draftPhotoOwner = (draftId: string) => `draft:${draftId}`;

/**
 * Why an image could not be had: larger than a photo may be (WeCom's 830002, or more than `maxBytes`), the media id
 * invalid or expired (40007: temporary media lasts 3 days), WeCom unreachable after the client's retries (network, 5xx,
 * busy), or refused otherwise (any other errcode: logged, and the user asked to send it again).
 */
export type ImageFailure = 'too-large' | 'expired' | 'unreachable' | 'refused';
export type FetchedImage = { ok: true; bytes: Buffer } | { ok: false; why: ImageFailure };

/** Fetches an image a user sent, through the transport that brought it (src/wecom/image-fetcher.ts). */
export interface ImageFetcher {
  fetch(source: ImageSource, maxBytes: number): Promise<FetchedImage>;
}
