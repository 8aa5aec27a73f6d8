import { open, rm } from 'node:fs/promises';
import path from 'node:path';
import type { Adapter } from 'lowdb';
import { JSONFile } from 'lowdb/node';

export interface DurableJsonFileOptions<T> {
  /** Data with nothing worth keeping (a finished form): the file is removed instead of written. */
  isEmpty?: (data: T) => boolean;
  /**
   * Flush the file and its folder to the disk before a write counts as done (default). lowdb's JSONFile (steno)
   * writes a temporary file and renames it over the old one, which survives a killed process but not a power cut:
   * the rename may reach the disk before the data. Off only for measuring what the flush costs (bench:forms).
   */
  fsync?: boolean;
}

/**
 * lowdb's JSONFile adapter (steno: temporary file + rename, so a reader never sees half a file), wrapped for what the
 * store needs and lowdb does not give: fsync of the file and its folder before a write is acknowledged, and removing
 * the file when the data is empty. See docs/storage.md.
 */
export class DurableJsonFile<T> implements Adapter<T> {
  readonly #file: string;
  readonly #json: JSONFile<T>;
  readonly #o: DurableJsonFileOptions<T>;

  constructor(file: string, options: DurableJsonFileOptions<T> = {}) {
    this.#file = file;
    this.#json = new JSONFile<T>(file);
    this.#o = options;
  }

  read(): Promise<T | null> {
    return this.#json.read();
  }

  async write(data: T): Promise<void> {
    if (this.#o.isEmpty?.(data)) {
      await rm(this.#file, { force: true });
    } else {
      await this.#json.write(data);
      if (this.#o.fsync !== false) await fsyncPath(this.#file);
    }
    // The rename (or the removal) is an entry in the folder: flushed with it.
    if (this.#o.fsync !== false) await fsyncPath(path.dirname(this.#file));
  }
}

async function fsyncPath(p: string): Promise<void> {
  const handle = await open(p, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
