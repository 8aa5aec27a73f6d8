import { createInflateRaw } from 'node:zlib';
import { createError } from '../../errors.ts';

/**
 * A .docx is a zip: a few megabytes uploaded can inflate to gigabytes (a zip bomb), and the Word reader (mammoth,
 * through JSZip) would inflate the whole of word/document.xml into memory. So before it reads anything, every entry is
 * inflated here as a stream, counting bytes and keeping none, and the file is refused as soon as an entry or the whole
 * passes its limit. The sizes an entry declares are not trusted (a bomb declares small ones): only what inflates counts.
 * The entries are found as JSZip finds them, through the central directory.
 */
export interface DocxLimits {
  /** The largest word/document.xml once inflated (a long notice is well under 1 MB). */
  documentBytes: number;
  /** The largest sum of every entry once inflated (images included). */
  totalBytes: number;
}

export const DOCX_LIMITS: DocxLimits = { documentBytes: 16 * 1024 * 1024, totalBytes: 64 * 1024 * 1024 };

/** The file inflates past a limit: refused, with the limit (for the user's message). */
export class DocxTooLargeError extends createError('ERR_DOCX_TOO_LARGE', (entry: string, limitBytes: number) => `${entry} inflates past ${limitBytes} bytes`) {
  constructor(
    readonly entry: string,
    readonly limitBytes: number,
  ) {
    super(entry, limitBytes);
  }
}

/** Not a zip this reader can walk (no central directory, an encrypted or zip64 entry, an unknown method). */
export const DocxUnreadableError = createError('ERR_DOCX_UNREADABLE', (why: string) => `not a readable .docx zip: ${why}`);

const EOCD = 0x06054b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;

interface Entry {
  name: string;
  method: number;
  compressedSize: number;
  localOffset: number;
  flags: number;
}

function centralDirectory(data: Buffer): Entry[] {
  // The end record is within the last 22 + 65535 bytes (its comment is at most 65535).
  let end = -1;
  for (let i = data.length - 22; i >= Math.max(0, data.length - 22 - 0xffff); i--) {
    if (data.readUInt32LE(i) === EOCD) {
      end = i;
      break;
    }
  }
  if (end < 0) throw new DocxUnreadableError('no end of central directory');
  const count = data.readUInt16LE(end + 10);
  let at = data.readUInt32LE(end + 16);
  if (count === 0xffff || at === 0xffffffff) throw new DocxUnreadableError('zip64');
  const entries: Entry[] = [];
  for (let i = 0; i < count; i++) {
    if (at + 46 > data.length || data.readUInt32LE(at) !== CENTRAL) throw new DocxUnreadableError('bad central directory');
    const nameLength = data.readUInt16LE(at + 28);
    const entry: Entry = {
      flags: data.readUInt16LE(at + 8),
      method: data.readUInt16LE(at + 10),
      compressedSize: data.readUInt32LE(at + 20),
      localOffset: data.readUInt32LE(at + 42),
      name: data.subarray(at + 46, at + 46 + nameLength).toString('utf8'),
    };
    if (entry.compressedSize === 0xffffffff || entry.localOffset === 0xffffffff) throw new DocxUnreadableError('zip64');
    entries.push(entry);
    at += 46 + nameLength + data.readUInt16LE(at + 30) + data.readUInt16LE(at + 32);
  }
  return entries;
}

/** The bytes an entry inflates to, stopping (and throwing, naming the limit `said`) as soon as they pass `limit`. */
function inflatedSize(data: Buffer, e: Entry, limit: number, said: number): Promise<number> {
  const at = e.localOffset;
  if (at + 30 > data.length || data.readUInt32LE(at) !== LOCAL) return Promise.reject(new DocxUnreadableError(`bad local header: ${e.name}`));
  const start = at + 30 + data.readUInt16LE(at + 26) + data.readUInt16LE(at + 28);
  const raw = data.subarray(start, start + e.compressedSize);
  if (e.flags & 1) return Promise.reject(new DocxUnreadableError(`encrypted: ${e.name}`));
  if (e.method === 0) return raw.length > limit ? Promise.reject(new DocxTooLargeError(e.name, said)) : Promise.resolve(raw.length);
  if (e.method !== 8) return Promise.reject(new DocxUnreadableError(`method ${e.method}: ${e.name}`));
  return new Promise((resolve, reject) => {
    let size = 0;
    const inflate = createInflateRaw();
    inflate.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        inflate.destroy();
        reject(new DocxTooLargeError(e.name, said));
      }
    });
    inflate.on('error', (err) => reject(new DocxUnreadableError(`${e.name}: ${err.message}`)));
    inflate.on('end', () => resolve(size));
    inflate.end(raw);
  });
}

/** Throws DocxTooLargeError or DocxUnreadableError; resolves when every entry inflates within the limits. */
export async function checkDocxBounds(data: Buffer, limits: DocxLimits = DOCX_LIMITS): Promise<void> {
  let total = 0;
  for (const e of centralDirectory(data)) {
    const own = e.name === 'word/document.xml' ? limits.documentBytes : limits.totalBytes;
    const left = limits.totalBytes - total;
    total += await inflatedSize(data, e, Math.min(own, left), own <= left ? own : limits.totalBytes);
  }
}
