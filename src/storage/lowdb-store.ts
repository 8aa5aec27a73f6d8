import { constants } from 'node:fs';
import { access, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { Low, Memory } from 'lowdb';
import { JSONFile } from 'lowdb/node';
import { AppError } from '../errors.ts';
import { GroupCommit } from './group-commit.ts';
import { MemoryDedupe } from './memory-dedupe.ts';
import type { DedupeRepository, Store } from './ports.ts';

/**
 * The default store for one server: a JSON document in DATA_DIR written atomically by lowdb (temp file + rename).
 * JavaScript runs one callback at a time, so a read-check-modify on the data followed by a commit is atomic within
 * this process; writes are group-committed so a burst of changes costs one serialisation. One process owns the folder.
 */
export interface DbData {
  schemaVersion: 1;
}

const emptyData = (): DbData => ({ schemaVersion: 1 });

/** A lowdb document with group-committed writes. */
export class Doc<T> {
  readonly #group: GroupCommit;
  constructor(readonly low: Low<T>) {
    this.#group = new GroupCommit(() => low.write());
  }
  get data(): T {
    return this.low.data;
  }
  /** Resolves once the current data is on disk. */
  commit(): Promise<void> {
    return this.#group.commit();
  }
}

async function openDoc<T extends object>(file: string | undefined, empty: () => T): Promise<Doc<T>> {
  if (!file) return new Doc(new Low<T>(new Memory<T>(), empty()));
  const low = new Low<T>(new JSONFile<T>(file), empty());
  try {
    await low.read();
  } catch (err) {
    throw new AppError('ERR_STORE', `${file}: 数据文件无法读取 (not valid JSON: ${(err as Error).message})`, { cause: err });
  }
  low.data = { ...empty(), ...low.data };
  await low.write();
  return new Doc(low);
}

export class LowdbStore implements Store {
  readonly kind: 'lowdb' | 'memory';
  readonly dedupe: DedupeRepository = new MemoryDedupe();
  readonly #doc: Doc<DbData>;
  readonly #file: string | undefined;

  private constructor(doc: Doc<DbData>, file: string | undefined) {
    this.#doc = doc;
    this.#file = file;
    this.kind = file ? 'lowdb' : 'memory';
  }

  /** Opens (or creates) DATA_DIR/db.json; a corrupt file is a start-up error naming the file. */
  static async open(dataDir: string): Promise<LowdbStore> {
    const dir = path.resolve(dataDir);
    await mkdir(dir, { recursive: true });
    const file = path.join(dir, 'db.json');
    return new LowdbStore(await openDoc(file, emptyData), file);
  }

  /** An in-memory store with the same code paths, for unit tests and the offline CLI. */
  static async memory(): Promise<LowdbStore> {
    return new LowdbStore(await openDoc(undefined, emptyData), undefined);
  }

  /** The data folder is still there and writable (cheap: health checks call this often). */
  async ping(): Promise<boolean> {
    if (!this.#file) return true;
    try {
      await access(path.dirname(this.#file), constants.W_OK);
      return true;
    } catch {
      return false;
    }
  }

  async close(): Promise<void> {
    await this.#doc.commit();
  }
}
