import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { Low, Memory } from 'lowdb';
import { JSONFile } from 'lowdb/node';
import { AppError } from '../errors.ts';
import type { CallbackOutcome, ClaimResult, DedupeRepository, Store } from './ports.ts';

/**
 * The default store: one JSON document in DATA_DIR written atomically by lowdb (temp file + rename).
 * JavaScript runs one callback at a time, so a read-check-modify on `db.data` followed by `write()` is atomic
 * within this process; lowdb's writer coalesces concurrent writes. One process owns the file.
 */
interface DedupeEntry {
  claimedAt: number;
  doneAt?: number;
  outcome?: CallbackOutcome;
}

export interface DbData {
  schemaVersion: 1;
  dedupe: Record<string, DedupeEntry>;
}

const emptyData = (): DbData => ({ schemaVersion: 1, dedupe: {} });

export class LowdbStore implements Store {
  readonly kind: 'lowdb' | 'memory';
  readonly dedupe: DedupeRepository;
  readonly #db: Low<DbData>;
  readonly #file: string | undefined;

  private constructor(db: Low<DbData>, file: string | undefined) {
    this.#db = db;
    this.#file = file;
    this.kind = file ? 'lowdb' : 'memory';
    this.dedupe = new LowdbDedupe(db);
  }

  /** Opens (or creates) DATA_DIR/db.json; a corrupt file is a start-up error naming the file. */
  static async open(dataDir: string): Promise<LowdbStore> {
    const file = path.resolve(dataDir, 'db.json');
    await mkdir(path.dirname(file), { recursive: true });
    const db = new Low<DbData>(new JSONFile<DbData>(file), emptyData());
    try {
      await db.read();
    } catch (err) {
      throw new AppError('ERR_STORE', `${file}: 数据文件无法读取 (not valid JSON: ${(err as Error).message})`, { cause: err });
    }
    db.data = { ...emptyData(), ...db.data };
    await db.write();
    return new LowdbStore(db, file);
  }

  /** An in-memory store with the same code paths, for unit tests and the offline CLI. */
  static memory(): LowdbStore {
    return new LowdbStore(new Low<DbData>(new Memory<DbData>(), emptyData()), undefined);
  }

  async ping(): Promise<boolean> {
    if (!this.#file) return true;
    try {
      await this.#db.write();
      JSON.parse(await readFile(this.#file, 'utf8'));
      return true;
    } catch {
      return false;
    }
  }

  async close(): Promise<void> {
    await this.#db.write();
  }
}

class LowdbDedupe implements DedupeRepository {
  #lastPrune = 0;
  constructor(private readonly db: Low<DbData>) {}

  async claim(key: string, now: number, leaseMs: number): Promise<ClaimResult> {
    const entries = this.db.data.dedupe;
    const existing = entries[key];
    if (existing?.doneAt !== undefined) return { status: 'done', outcome: existing.outcome ?? {} };
    if (existing && now - existing.claimedAt < leaseMs) return { status: 'in_progress' };
    entries[key] = { claimedAt: now };
    if (now - this.#lastPrune > 10 * 60_000) {
      this.#lastPrune = now;
      await this.prune(now - 24 * 3600_000);
    }
    await this.db.write();
    return { status: 'new' };
  }

  async complete(key: string, outcome: CallbackOutcome, now: number): Promise<void> {
    const entry = this.db.data.dedupe[key];
    this.db.data.dedupe[key] = { claimedAt: entry?.claimedAt ?? now, doneAt: now, outcome };
    await this.db.write();
  }

  async prune(before: number): Promise<number> {
    const entries = this.db.data.dedupe;
    let removed = 0;
    for (const [key, e] of Object.entries(entries)) {
      if (e.claimedAt < before) {
        delete entries[key];
        removed++;
      }
    }
    return removed;
  }
}
