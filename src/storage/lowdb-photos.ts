import { createHash } from 'node:crypto';
import { mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import type { z } from 'zod';
import { PHOTO_EXTENSIONS, type PhotoMime } from '../records/photos.ts';
import { openDoc, storageError, type Doc } from './lowdb-store.ts';
import type { AddPhotoResult, NewPhoto, PhotoLimits, PhotoRepository, StoredPhoto } from './ports.ts';
import { photoIndexSchema } from './schemas.ts';

interface IndexedPhoto extends StoredPhoto {
  /** The file's name in DATA_DIR/photos/files/. */
  file: string;
}
interface PhotoIndex {
  photos: IndexedPhoto[];
}

/**
 * The lowdb store's photos: each photo a file of its own in DATA_DIR/photos/files/ (named by a hash of the message that
 * brought it, so a retry writes the same name), and one index document (DATA_DIR/photos/index.json) saying whose photo
 * it is and in which order. The file is on disk (written, flushed, renamed, folder flushed) before the index names it,
 * so an acknowledged photo is never an entry without its bytes; a crash in between leaves only an unnamed file. Moving a
 * draft's photos to its record is one write of the index. Adds run one at a time, so the limits hold.
 * Without a folder (the in-memory store of tests and the offline CLI) the bytes stay in memory.
 */
export class LowdbPhotos implements PhotoRepository {
  readonly #memory = new Map<string, Buffer>();
  #queue: Promise<unknown> = Promise.resolve();

  private constructor(
    private readonly doc: Doc<PhotoIndex>,
    private readonly dir: string | undefined,
  ) {}

  static async open(dir: string | undefined, fsync = true): Promise<LowdbPhotos> {
    const file = dir ? path.join(dir, 'index.json') : undefined;
    const doc = await openDoc(file, (): PhotoIndex => ({ photos: [] }), photoIndexSchema as z.ZodType<PhotoIndex>, undefined, fsync);
    return new LowdbPhotos(doc, dir);
  }

  add(photo: NewPhoto, limits: PhotoLimits): Promise<AddPhotoResult> {
    return this.#serial(async () => {
      const known = this.doc.data.photos.find((p) => p.messageKey === photo.messageKey);
      if (known) return { added: false, photo: strip(known) };
      const counted = this.doc.data.photos.filter((p) => p.owner === photo.owner || p.owner === limits.alsoCount);
      const bytes = counted.reduce((sum, p) => sum + p.size, 0);
      if (counted.length >= limits.maxCount) return { refused: 'count', count: counted.length, bytes };
      if (bytes + photo.bytes.length > limits.maxTotalBytes) return { refused: 'bytes', count: counted.length, bytes };
      const ext = PHOTO_EXTENSIONS[photo.mime as PhotoMime] ?? 'bin';
      const file = `${createHash('sha256').update(photo.messageKey).digest('hex').slice(0, 32)}.${ext}`;
      await this.#writeBytes(file, photo.bytes);
      const n = 1 + Math.max(0, ...this.doc.data.photos.filter((p) => p.owner === photo.owner).map((p) => p.n));
      const entry: IndexedPhoto = {
        owner: photo.owner,
        n,
        messageKey: photo.messageKey,
        mime: photo.mime,
        size: photo.bytes.length,
        addedBy: photo.addedBy,
        addedAt: photo.addedAt,
        file,
      };
      this.doc.data.photos.push(entry);
      await this.doc.commit();
      return { added: true, photo: strip(entry) };
    });
  }

  async list(owner: string): Promise<StoredPhoto[]> {
    return this.doc.data.photos
      .filter((p) => p.owner === owner)
      .sort((a, b) => a.n - b.n)
      .map(strip);
  }

  async read(owner: string, n: number): Promise<Buffer | undefined> {
    const entry = this.doc.data.photos.find((p) => p.owner === owner && p.n === n);
    if (!entry) return undefined;
    if (!this.dir) return this.#memory.get(entry.file);
    const file = path.join(this.dir, 'files', entry.file);
    try {
      return await readFile(file);
    } catch (err) {
      throw storageError(file, err);
    }
  }

  move(from: string, to: string): Promise<number> {
    return this.#serial(async () => {
      const moving = this.doc.data.photos.filter((p) => p.owner === from).sort((a, b) => a.n - b.n);
      if (moving.length === 0) return 0;
      let n = Math.max(0, ...this.doc.data.photos.filter((p) => p.owner === to).map((p) => p.n));
      for (const p of moving) Object.assign(p, { owner: to, n: ++n });
      await this.doc.commit();
      return moving.length;
    });
  }

  flush(): Promise<void> {
    return this.doc.idle();
  }

  #serial<T>(work: () => Promise<T>): Promise<T> {
    const run = this.#queue.then(work, work);
    this.#queue = run.catch(() => {});
    return run;
  }

  /** Temporary file, flushed, renamed into place, folder flushed: the bytes are on disk before the index names them. */
  async #writeBytes(name: string, bytes: Buffer): Promise<void> {
    if (!this.dir) return void this.#memory.set(name, bytes);
    const folder = path.join(this.dir, 'files');
    const file = path.join(folder, name);
    const tmp = path.join(folder, `.${name}.tmp`);
    try {
      await mkdir(folder, { recursive: true });
      const handle = await open(tmp, 'w');
      try {
        await handle.writeFile(bytes);
        await handle.sync();
      } finally {
        await handle.close();
      }
      await rename(tmp, file);
      const dirHandle = await open(folder, 'r');
      try {
        await dirHandle.sync();
      } finally {
        await dirHandle.close();
      }
    } catch (err) {
      await rm(tmp, { force: true }).catch(() => {});
      throw storageError(file, err);
    }
  }
}

function strip({ file: _file, ...photo }: IndexedPhoto): StoredPhoto {
  return { ...photo };
}
