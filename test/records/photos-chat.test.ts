import { readFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';
import JSZip from 'jszip';
import { describe, expect, it } from 'vitest';
import { PHOTO_LIMITS } from '../../src/records/photos.ts';
import { readDocx } from './docx-text.ts';
import { SUMMARY, at, chat, formApp, instances, storeBackends } from '../forms/form-chat.ts';
import { lisiFillsIn, sendImage } from './photo-chat.ts';

/**
 * Photos on records (issue 21, point 4), through the real encrypted callback and the simulated WeCom's media/get, on
 * lowdb and PostgreSQL: images sent during the form go with the record; 补充照片 <回执> adds to a saved one; a retried
 * callback adds nothing; every bad image gets its reason, and the record is kept.
 */
const WED = at('2016-09-21 10:00');
const fixture = (name: string) => readFileSync(new URL(`../fixtures/photos/${name}`, import.meta.url));
const JPEG = fixture('session-320x240.jpg');
const PNG = fixture('room-200x150.png');
const WEBP = fixture('hall-160x120.webp');

describe.each(storeBackends)('photos on records ($name)', (backend) => {
  it('images sent while filling in go with the record when it is saved, in order and unchanged; a retried callback adds none', async () => {
    const [a] = await instances(backend, WED);
    const say = chat(a, 'lisi');
    const image = sendImage(a, 'lisi');
    const receipt = await lisiFillsIn(say, async () => {
      expect(await image(JPEG, { msgId: '7001' })).toContain('已收到现场照片（第 1 张），提交记录时一起保存，还可以发送 8 张。');
      // WeCom's retry of the same message (same MsgId): answered, nothing added.
      await image(JPEG, { msgId: '7001' });
      expect(await image(PNG)).toContain('已收到现场照片（第 2 张）');
      // The form goes on where it was: the place is still asked.
      expect(await say('进度')).toContain('地点');
    });
    expect(receipt).toContain('回执编号：JL-20160920-001');
    expect(receipt).toContain('现场照片：2 张');
    const photos = await a.store.photos.list('JL-20160920-001');
    expect(photos.map((p) => [p.n, p.mime, p.addedBy])).toEqual([
      [1, 'image/jpeg', 'lisi'],
      [2, 'image/png', 'lisi'],
    ]);
    expect((await a.store.photos.read('JL-20160920-001', 1))!.equals(JPEG)).toBe(true);
    expect((await a.store.photos.read('JL-20160920-001', 2))!.equals(PNG)).toBe(true);
  });

  it('补充照片 <回执> adds to a saved record until 完成; then an image is no longer taken for it', async () => {
    const [a, b] = await instances(backend, WED);
    const receipt = await lisiFillsIn(chat(a, 'lisi'));
    expect(receipt).toContain('如有现场照片，现在直接发送图片即可；之后也可以发送“补充照片 JL-20160920-001”再发送。');
    const say = chat(b, 'lisi');
    const image = sendImage(b, 'lisi');
    // Right after the receipt, before any other message: the image is for the record just saved.
    expect(await sendImage(a, 'lisi')(PNG)).toContain('已为记录 JL-20160920-001 保存第 1 张照片');
    expect(await chat(a, 'lisi')('完成')).toContain('记录 JL-20160920-001 现有 1 张现场照片');
    expect(await sendImage(a, 'lisi')(PNG)).toContain('请先发送“补充照片 回执编号”');
    const asked = await say('补充照片 JL-20160920-001');
    expect(asked).toContain('请直接发送教学系部学习组 9月20日 政治理论学习记录（回执 JL-20160920-001）的现场照片');
    expect(asked).toContain('（已有 1 张）');
    expect(await image(WEBP)).toContain('已为记录 JL-20160920-001 保存第 2 张照片，还可以发送 7 张；发完请回复“完成”。');
    expect(await image(JPEG)).toContain('保存第 3 张照片');
    expect(await say('完成')).toContain('记录 JL-20160920-001 现有 3 张现场照片');
    expect(await image(PNG)).toContain('请先发送“补充照片 回执编号”');
    // lisi's group has one record open: 补充照片 alone is for it.
    expect(await say('补充照片')).toContain('请直接发送教学系部学习组 9月20日 政治理论学习记录（回执 JL-20160920-001）的现场照片');
    expect(await say('完成')).toContain('记录 JL-20160920-001 现有 3 张现场照片');
    expect((await b.store.photos.list('JL-20160920-001')).map((p) => p.mime)).toEqual(['image/png', 'image/webp', 'image/jpeg']);
    // Another group's record, a receipt that does not exist: refused politely.
    expect(await chat(b, 'wangwu')('补充照片 JL-20160920-001')).toContain('没有找到回执 JL-20160920-001 的记录（只能为本学习组的记录添加照片）');
    expect(await chat(b, 'zhaoliu')('补充照片 JL-20160920-001')).toContain('只有各学习组的记录员可以为学习讨论记录添加照片');
  });

  it('bad images get their reason and the form and the record are kept: not an image, too large, expired, WeCom unreachable, the limit', async () => {
    const [a] = await instances(backend, WED);
    const say = chat(a, 'lisi');
    const image = sendImage(a, 'lisi');
    await lisiFillsIn(say);
    await say('补充照片 JL20160920001');
    expect(await image(Buffer.from('%PDF-1.7 not a photo'))).toContain(
      '收到的文件不是照片（只接受 JPG、PNG、GIF、WebP 格式的图片），没有保存。已填写的记录不受影响。',
    );
    const big = Buffer.concat([JPEG, Buffer.alloc(PHOTO_LIMITS.maxBytes)]);
    expect(await image(big)).toContain('这张图片超过 10 MB，无法保存');
    // 830002: WeCom's own "too large to fetch whole".
    expect(await image(Buffer.alloc(21 * 1024 * 1024))).toContain('这张图片超过 10 MB');
    expect(await image(JPEG, { mediaId: 'never-uploaded' })).toContain('这张图片在企业微信中已过期或无法获取（企业微信只保存 3 天）');
    const old = a.sim.addMedia(JPEG, 'old.jpg', 'image/jpeg');
    a.clock.advance(3 * 24 * 3600_000 + 60_000);
    // Three days later the photo mode has long ended (half an hour of silence): asked for again.
    await say('补充照片 JL-20160920-001');
    expect(await image(JPEG, { mediaId: old })).toContain('已过期或无法获取');
    a.sim.faults.push({ api: 'media/get', httpStatus: 503, times: 4 });
    expect(await image(JPEG)).toContain('暂时无法从企业微信取回这张照片（企业微信服务暂时无法访问），照片没有保存。请稍后重新发送这张照片。');
    expect(await a.store.photos.list('JL-20160920-001')).toEqual([]);
    // After the outage the same photo goes through.
    expect(await image(JPEG)).toContain('保存第 1 张照片');
    for (let i = 2; i <= PHOTO_LIMITS.maxPerRecord; i++) expect(await image(PNG)).toContain(`保存第 ${i} 张照片`);
    expect(await image(JPEG)).toContain(`这条记录已有 ${PHOTO_LIMITS.maxPerRecord} 张照片，达到每条记录的上限，这张没有保存。`);
    expect(await a.store.photos.list('JL-20160920-001')).toHaveLength(PHOTO_LIMITS.maxPerRecord);
    const record = (await a.store.submissions.get('staff-teaching', '2016-09-20'))!;
    expect(record).toMatchObject({ revision: 1, fields: { place: '行政楼302', summary: SUMMARY } });
  });
});

describe('an image with nothing to attach it to', () => {
  it('is answered with how to add photos, and nothing is fetched', async () => {
    const a = await formApp({ now: WED });
    const calls = a.sim.calls.get('media/get') ?? 0;
    expect(await sendImage(a, 'zhaoliu')(JPEG)).toContain('填写记录（发送“提交记录”）时直接发送图片即可');
    expect(a.sim.calls.get('media/get') ?? 0).toBe(calls);
  });
});

/** A real PNG of one colour, `width` × `height` (zlib-compressed rows), for a photo larger than a page. */
function solidPng(width: number, height: number): Buffer {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (b: Buffer) => {
    let c = 0xffffffff;
    for (const x of b) c = crcTable[(c ^ x) & 0xff]! ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const out = Buffer.alloc(8 + data.length + 4);
    out.writeUInt32BE(data.length, 0);
    body.copy(out, 4);
    out.writeUInt32BE(crc(body), 8 + data.length);
    return out;
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 2, 0, 0, 0], 8);
  const row = Buffer.concat([Buffer.from([0]), Buffer.alloc(width * 3, 0x80)]);
  const raw = Buffer.concat(Array.from({ length: height }, () => row));
  return Buffer.concat([Buffer.from('\x89PNG\r\n\x1a\n', 'latin1'), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]);
}

describe('photos in the 学习记录本', () => {
  it('are on their session’s page, scaled to fit, as word/media/* referenced from document.xml; a WebP is named instead', async () => {
    const a = await formApp({ now: WED });
    const image = sendImage(a, 'lisi');
    const large = solidPng(1600, 1200);
    const PORTRAIT = fixture('sign-in-240x320.jpg');
    await lisiFillsIn(chat(a, 'lisi'), async () => {
      for (const bytes of [JPEG, PORTRAIT, large, WEBP]) expect(await image(bytes)).toContain('已收到现场照片');
    });
    expect(await chat(a, 'dangban-wang')('导出记录本 教学系部 9月')).toContain('学习记录本（Word）发给您');
    const file = a.sim
      .deliveriesTo('dangban-wang')
      .filter((d) => d.msgtype === 'file')
      .at(-1)!;
    const docx = a.sim.uploads.get((file.body.file as { media_id: string }).media_id)!.data;

    const pages = (await readDocx(docx)).pages;
    // The session's own page: its heading first (第N次学习　9月20日 政治理论学习), the photos before the next page.
    const page = pages.find((p) => /^第\d+次学习　9月20日/.test(p[0] ?? ''))!.join('\n');
    expect(page).toContain('讨论情况');
    expect(page).toContain('现场照片（4 张）');
    for (const n of [1, 2, 3]) expect(page).toContain(`照片 ${n}`);
    expect(page).toContain('照片 4：WebP 格式，Word 不能显示，请在状态页查看。');

    const zip = await JSZip.loadAsync(docx);
    const xml = await zip.file('word/document.xml')!.async('string');
    const rels = await zip.file('word/_rels/document.xml.rels')!.async('string');
    const target = (id: string) =>
      new RegExp(`Id="${id}"[^>]*Target="([^"]+)"`).exec(rels)?.[1] ?? new RegExp(`Target="([^"]+)"[^>]*Id="${id}"`).exec(rels)?.[1];
    const drawings = [...xml.matchAll(/<w:drawing>[\s\S]*?<\/w:drawing>/g)].map((m) => m[0]);
    expect(drawings).toHaveLength(3);
    // Each photo's paragraph says its line spacing outright (auto): with the document's bare default, LibreOffice cut the
    // photo to one line's height.
    const photoParagraphs = [...xml.matchAll(/<w:p>(?:(?!<\/w:p>)[\s\S])*?<w:drawing>/g)].map((m) => m[0]);
    expect(photoParagraphs).toHaveLength(3);
    for (const p of photoParagraphs) expect(p).toMatch(/<w:spacing [^>]*w:lineRule="auto"/);
    const EMU = 9525;
    const expected = [
      { bytes: JPEG, width: 320, height: 240 },
      { bytes: PORTRAIT, width: 240, height: 320 },
      { bytes: large, width: 533, height: 400 }, // 1600 × 1200 scaled to the 400-pixel height, proportions kept
    ];
    for (const [i, d] of drawings.entries()) {
      const extent = /<wp:extent cx="(\d+)" cy="(\d+)"\/>/.exec(d)!;
      expect([Math.round(Number(extent[1]) / EMU), Math.round(Number(extent[2]) / EMU)]).toEqual([expected[i]!.width, expected[i]!.height]);
      const embed = /r:embed="([^"]+)"/.exec(d)![1]!;
      const media = zip.file(`word/${target(embed)!.replace(/^\/?word\//, '')}`)!;
      expect(media.name).toMatch(/^word\/media\//);
      expect(Buffer.from(await media.async('uint8array')).equals(expected[i]!.bytes)).toBe(true);
    }
    expect(Object.values(zip.files).filter((f) => !f.dir && f.name.startsWith('word/media/'))).toHaveLength(3);
  });
});
