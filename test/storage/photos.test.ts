import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { LowdbStore } from '../../src/storage/lowdb-store.ts';
import type { NewPhoto, Store } from '../../src/storage/ports.ts';
import { freshPostgresStore, postgresAvailable } from '../helpers/postgres.ts';

/** The photo repository's contract, on every store: idempotent by message, limits held, drafts moved once. */
const backends: Array<[string, () => Promise<Store>, boolean]> = [
  ['lowdb (memory)', () => LowdbStore.memory(), true],
  ['lowdb (disk)', () => LowdbStore.open(mkdtempSync(path.join(tmpdir(), 'photos-'))), true],
  ['postgres', freshPostgresStore, postgresAvailable],
];
const jpeg = readFileSync(new URL('../fixtures/photos/session-320x240.jpg', import.meta.url));
const png = readFileSync(new URL('../fixtures/photos/room-200x150.png', import.meta.url));
const photo = (owner: string, messageKey: string, bytes = jpeg, mime = 'image/jpeg'): NewPhoto => ({
  owner,
  messageKey,
  mime,
  bytes,
  addedBy: 'zhangsan',
  addedAt: 1000,
});
const limits = { maxCount: 3, maxTotalBytes: 10 * jpeg.length };

for (const [name, open, available] of backends) {
  describe.skipIf(!available)(`photos: ${name}`, () => {
    let store: Store;
    afterEach(async () => store?.close());

    it('numbers an owner’s photos in order, gives the bytes back unchanged, and adds a retried message once', async () => {
      store = await open();
      const a = await store.photos.add(photo('JL-20160920-001', 'msg:1'), limits);
      const b = await store.photos.add(photo('JL-20160920-001', 'msg:2', png, 'image/png'), limits);
      const again = await store.photos.add(photo('JL-20160920-001', 'msg:1'), limits);
      expect(a).toMatchObject({ added: true, photo: { n: 1, size: jpeg.length, mime: 'image/jpeg' } });
      expect(b).toMatchObject({ added: true, photo: { n: 2, mime: 'image/png' } });
      expect(again).toMatchObject({ added: false, photo: { n: 1 } });
      expect((await store.photos.list('JL-20160920-001')).map((p) => [p.n, p.messageKey])).toEqual([
        [1, 'msg:1'],
        [2, 'msg:2'],
      ]);
      expect((await store.photos.read('JL-20160920-001', 2))!.equals(png)).toBe(true);
      expect(await store.photos.read('JL-20160920-001', 3)).toBeUndefined();
      expect(await store.photos.list('JL-20160920-002')).toEqual([]);
    });

    it('refuses past the count and the total size, counting another owner when asked; photos sent at once cannot pass it together', async () => {
      store = await open();
      const racing = await Promise.all(Array.from({ length: 6 }, (_, i) => store.photos.add(photo('R', `race:${i}`), limits)));
      expect(racing.filter((r) => 'added' in r)).toHaveLength(3);
      expect(racing.filter((r) => 'refused' in r).every((r) => 'refused' in r && r.refused === 'count' && r.count === 3)).toBe(true);
      await store.photos.add(photo('R2', 'x:1'), limits);
      const big = await store.photos.add(photo('draft:d', 'x:2', Buffer.alloc(10 * jpeg.length)), { ...limits, alsoCount: 'R2' });
      expect(big).toMatchObject({ refused: 'bytes', count: 1 });
      const counted = await store.photos.add(photo('draft:d', 'x:3'), { ...limits, maxCount: 2, alsoCount: 'R2' });
      expect(counted).toMatchObject({ added: true, photo: { n: 1 } });
      expect(await store.photos.add(photo('draft:d', 'x:4'), { ...limits, maxCount: 2, alsoCount: 'R2' })).toMatchObject({ refused: 'count', count: 2 });
    });

    it('moves a draft’s photos after the record’s own, once', async () => {
      store = await open();
      await store.photos.add(photo('JL-1', 'm:1'), limits);
      await store.photos.add(photo('draft:abc', 'm:2', png, 'image/png'), limits);
      await store.photos.add(photo('draft:abc', 'm:3'), limits);
      expect(await store.photos.move('draft:abc', 'JL-1')).toBe(2);
      expect(await store.photos.move('draft:abc', 'JL-1')).toBe(0);
      const list = await store.photos.list('JL-1');
      expect(list.map((p) => [p.n, p.messageKey])).toEqual([
        [1, 'm:1'],
        [2, 'm:2'],
        [3, 'm:3'],
      ]);
      expect((await store.photos.read('JL-1', 2))!.equals(png)).toBe(true);
      expect(await store.photos.list('draft:abc')).toEqual([]);
    });
  });
}

describe('photos on disk (lowdb)', () => {
  it('are files in DATA_DIR/photos/files, named in DATA_DIR/photos/index.json, and still there after a restart', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'photos-'));
    const first = await LowdbStore.open(dir);
    await first.photos.add(photo('JL-9', 'msg:9', png, 'image/png'), limits);
    await first.close();
    const files = readdirSync(path.join(dir, 'photos', 'files'));
    expect(files).toHaveLength(1);
    expect(files[0]).toMatch(/^[0-9a-f]{32}\.png$/);
    expect(readFileSync(path.join(dir, 'photos', 'files', files[0]!)).equals(png)).toBe(true);
    const second = await LowdbStore.open(dir);
    try {
      expect((await second.photos.read('JL-9', 1))!.equals(png)).toBe(true);
      expect(await second.photos.add(photo('JL-9', 'msg:9', png, 'image/png'), limits)).toMatchObject({ added: false });
    } finally {
      await second.close();
    }
  });
});
