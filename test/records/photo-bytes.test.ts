import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { imageSizeOf, imageTypeOf } from '../../src/records/photos.ts';

const dir = new URL('../fixtures/photos/', import.meta.url);
const fixture = (name: string) => readFileSync(new URL(name, dir));
/** Each fixture's name says its type and size ("room-200x150.png"), as `file(1)` reads them; the test reads the bytes. */
const fixtures = readdirSync(dir).map((name) => {
  const m = /-(\d+)x(\d+)\.(\w+)$/.exec(name)!;
  return { name, width: Number(m[1]), height: Number(m[2]), ext: m[3]! };
});
const mimeOf: Record<string, string> = { jpg: 'image/jpeg', png: 'image/png', gif: 'image/gif', webp: 'image/webp' };

describe('what counts as a photo, by its bytes', () => {
  it.each(fixtures)('$name: its type and its size in pixels', ({ name, width, height, ext }) => {
    const bytes = fixture(name);
    expect(imageTypeOf(bytes)).toBe(mimeOf[ext]);
    expect(imageSizeOf(bytes)).toEqual({ width, height });
  });

  it('refuses what only pretends: text, a PDF, an HTML page, an empty file, a truncated header, a renamed .docx', () => {
    const fakes = [
      Buffer.from('这不是图片'),
      Buffer.from('%PDF-1.7\n'),
      Buffer.from('<html><body>expired</body></html>'),
      Buffer.alloc(0),
      Buffer.from([0xff, 0xd8]),
      Buffer.from('RIFF\0\0\0\0WAVEfmt '),
      Buffer.from('PK\x03\x04word/document.xml'),
      Buffer.from('{"errcode":40007,"errmsg":"invalid media_id"}'),
    ];
    for (const f of fakes) expect(imageTypeOf(f), f.toString('latin1')).toBeUndefined();
  });

  it('a header cut short gives no size rather than a wrong one', () => {
    for (const f of fixtures) {
      const cut = fixture(f.name).subarray(0, 12);
      const size = imageSizeOf(cut);
      if (size) expect(size).toEqual({ width: f.width, height: f.height });
    }
  });
});
