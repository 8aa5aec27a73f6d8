import { constants } from 'node:fs';
import { access, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { Low, Memory } from 'lowdb';
import { JSONFile } from 'lowdb/node';
import { AppError } from '../errors.ts';
import { GroupCommit } from './group-commit.ts';
import { MemoryDedupe } from './memory-dedupe.ts';
import { DataDirLock } from './data-dir-lock.ts';
import type { DedupeRepository, Delivery, DeliveryClaim, DeliveryRepository, Store } from './ports.ts';

/**
 * The default store for one server: a JSON document in DATA_DIR written atomically by lowdb (temp file + rename).
 * JavaScript runs one callback at a time, so a read-check-modify on the data followed by a commit is atomic within
 * this process; writes are group-committed so a burst of changes costs one serialisation. One process owns the folder.
 */
export interface DbData {
  schemaVersion: 1;
  /** Keyed "job|target". */
  deliveries: Record<string, Delivery>;
}

const emptyData = (): DbData => ({ schemaVersion: 1, deliveries: {} });

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
  readonly deliveries: DeliveryRepository;
  readonly #doc: Doc<DbData>;
  readonly #file: string | undefined;
  readonly #lock: DataDirLock | undefined;

  private constructor(doc: Doc<DbData>, file: string | undefined, lock: DataDirLock | undefined) {
    this.#doc = doc;
    this.#file = file;
    this.#lock = lock;
    this.kind = file ? 'lowdb' : 'memory';
    this.deliveries = new LowdbDeliveries(doc);
  }

  /**
   * Opens (or creates) DATA_DIR/db.json; a corrupt file is a start-up error naming the file. The folder is locked
   * for this process: a second process (a second service, or a CLI while the service runs) gets a clear error
   * instead of overwriting the other's data.
   */
  static async open(dataDir: string): Promise<LowdbStore> {
    const dir = path.resolve(dataDir);
    await mkdir(dir, { recursive: true });
    const lock = await DataDirLock.acquire(dir);
    try {
      const file = path.join(dir, 'db.json');
      return new LowdbStore(await openDoc(file, emptyData), file, lock);
    } catch (err) {
      await lock.release();
      throw err;
    }
  }

  /** An in-memory store with the same code paths, for unit tests and the offline CLI. */
  static async memory(): Promise<LowdbStore> {
    return new LowdbStore(await openDoc(undefined, emptyData), undefined, undefined);
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
    await this.#lock?.release();
  }
}

const deliveryKey = (job: string, target: string) => `${job}|${target}`;

class LowdbDeliveries implements DeliveryRepository {
  constructor(private readonly doc: Doc<DbData>) {}

  async claim(job: string, target: string, worker: string, now: number, leaseMs: number, force = false): Promise<DeliveryClaim> {
    const all = this.doc.data.deliveries;
    const existing = all[deliveryKey(job, target)];
    if (existing?.status === 'sent' && !force) return { ok: false, reason: 'already_sent', delivery: { ...existing } };
    if (existing?.status === 'pending' && now - existing.claimedAt < leaseMs && existing.claimedBy !== worker) {
      return { ok: false, reason: 'in_progress', delivery: { ...existing } };
    }
    const resend = existing?.status === 'sent' && force;
    const delivery: Delivery = {
      job,
      target,
      status: 'pending',
      attempts: existing && !resend ? existing.attempts : 0,
      partsSent: existing && !resend ? existing.partsSent : 0,
      claimedAt: now,
      claimedBy: worker,
      updatedAt: now,
      ...(existing?.forcedResends || resend ? { forcedResends: (existing?.forcedResends ?? 0) + (resend ? 1 : 0) } : {}),
    };
    all[deliveryKey(job, target)] = delivery;
    await this.doc.commit();
    return { ok: true, delivery: { ...delivery } };
  }

  async update(job: string, target: string, patch: Parameters<DeliveryRepository['update']>[2], now: number): Promise<void> {
    const d = this.doc.data.deliveries[deliveryKey(job, target)];
    if (!d) throw new Error(`no delivery ${job} → ${target}`);
    Object.assign(d, patch, { updatedAt: now });
    if (patch.status === 'sent') {
      delete d.errcode;
      delete d.errmsg;
    }
    await this.doc.commit();
  }

  async get(job: string, target: string): Promise<Delivery | undefined> {
    const d = this.doc.data.deliveries[deliveryKey(job, target)];
    return d && { ...d };
  }

  async list(jobPrefix = ''): Promise<Delivery[]> {
    return Object.values(this.doc.data.deliveries)
      .filter((d) => d.job.startsWith(jobPrefix))
      .sort((a, b) => b.updatedAt - a.updatedAt)
      .map((d) => ({ ...d }));
  }
}
