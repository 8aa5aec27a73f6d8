import { constants } from 'node:fs';
import { access, mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { WriteProbe } from './write-probe.ts';
import { LowdbPhotos } from './lowdb-photos.ts';
import path from 'node:path';
import type { z } from 'zod';
import { Low, Memory } from 'lowdb';
import { AppError, UnknownDeliveryError } from '../errors.ts';
import { DurableJsonFile } from './durable-json-file.ts';
import { MemoryDedupe } from './memory-dedupe.ts';
import { DataDirLock } from './data-dir-lock.ts';
import { checkStored, dbSchema, formFileSchema, monthFileSchema } from './schemas.ts';
import {
  FormStateUnreadableError,
  receiptOf,
  type ClaimOptions,
  type DedupeRepository,
  type Delivery,
  type DeliveryClaim,
  type DeliveryRepository,
  type FormState,
  type FormStateRepository,
  type PlanImport,
  type PlanImportRepository,
  type Store,
  type Submission,
  type SubmissionRepository,
} from './ports.ts';

/**
 * The default store for one server: JSON documents in DATA_DIR, each a lowdb `Low` over lowdb's JSONFile adapter
 * (steno: temp file + rename), wrapped to fsync before a write is acknowledged (./durable-json-file.ts).
 * JavaScript runs one callback at a time, so a read-check-modify on the data followed by a commit is atomic within
 * this process; writes are group-committed so a burst of changes costs one serialisation. One process owns the folder.
 *
 * What a failure leaves behind matters as much (issue 14): a document whose write failed (disk full, read-only
 * remount) goes back to what is on disk and every caller sharing that write gets the error, so memory never holds
 * what the disk refused; a document that could not be opened is not remembered, so the next message tries again;
 * reading never creates a file; per-user documents are kept in memory up to a bound (least recently used first).
 */
export interface DbData {
  schemaVersion: 1;
  /** Keyed "job|target". */
  deliveries: Record<string, Delivery>;
  /** Plans brought in at run time (导入学习计划), oldest first. */
  planImports?: PlanImport[];
}

const emptyData = (): DbData => ({ schemaVersion: 1, deliveries: {} });

/** One user's form in progress: each in a file of its own, so one user's step never waits on another's write. */
interface FormData {
  state?: FormState;
}
const emptyForm = (): FormData => ({});

/**
 * One group's submissions in one month (by session date): a write's cost stays that of one group-month, however many
 * years and groups are kept, and groups submitting at once do not queue behind each other's writes.
 */
interface MonthData {
  records: Record<string, Submission>;
  /** Confirmation message → "group|session|revision", so a retried confirmation is not saved twice. */
  idempotency: Record<string, string>;
}
const emptyMonth = (): MonthData => ({ records: {}, idempotency: {} });

/** Per-user form documents kept in memory at most (the rest are read again from disk when their user writes). */
export const FORM_DOCS_CACHED = 1000;

/** Start-up and I/O errors as one sentence naming the path and what to do, never a raw stack. */
export function storageError(file: string, err: unknown): AppError {
  if (err instanceof AppError) return err;
  const code = (err as NodeJS.ErrnoException).code ?? 'unknown';
  const hint: Record<string, string> = {
    EACCES: '没有读写权限：请让运行服务的用户可以读写它（chown/chmod），或用 DATA_DIR 指定另一个目录 (permission denied)',
    EPERM: '没有读写权限：请让运行服务的用户可以读写它（chown/chmod），或用 DATA_DIR 指定另一个目录 (permission denied)',
    EROFS: '所在文件系统是只读的：请以可写方式重新挂载，或用 DATA_DIR 指定一个可写目录 (read-only file system)',
    ENOSPC: '磁盘已满：请清理空间，服务会在下一条消息时自动重试 (disk full)',
    EDQUOT: '磁盘配额已满：请清理空间，服务会在下一条消息时自动重试 (quota exceeded)',
    ENOTDIR: '路径中有一段不是目录：请检查 DATA_DIR (not a directory)',
    EEXIST: '已存在同名的文件而不是目录：请移走它或用 DATA_DIR 指定另一个目录 (a file is in the way)',
    EISDIR: '应为文件却是目录：请移走该目录 (is a directory)',
    EMFILE: '打开的文件过多：请提高 ulimit -n (too many open files)',
  };
  return new AppError('ERR_STORE', `${file}: ${hint[code] ?? `无法访问（${code}）：请检查该路径是否存在且可读写 (cannot access it)`}`, { cause: err });
}

/** A file name part for a key part (a user id, a group id, a month): never a path of its own, never hidden. */
function fileNamePart(part: string): string {
  // encodeURIComponent leaves "." alone: ".." would name the parent folder, and a leading dot a hidden or temp file.
  const name = encodeURIComponent(part).replace(/^\./, '%2E');
  if (!part || Buffer.byteLength(name) > 200)
    throw new AppError('ERR_STORE_KEY', `不能用作文件名的标识 (a key that cannot be a file name): ${name.slice(0, 40)}`);
  return name;
}

/**
 * A JSON document in a file (or only in memory, for tests) with group-committed writes: a lowdb `Low` whose adapter
 * is lowdb's JSONFile made durable. A write that fails puts the data back to what the file holds and fails every
 * commit that shared it, so an acknowledged change is on disk and an unacknowledged one is not in memory either.
 * The group commit is ours, not steno's: steno also coalesces writes, but after a failed write it goes on to write
 * the next batch, which would put the failed change on disk after its caller was told it failed.
 */
export class Doc<T> {
  /** Holders of this document right now (it is not evicted while held). */
  pins = 0;
  readonly #db: Low<T>;
  #persisted: string;
  #running: Promise<void> | undefined;
  #next: Promise<void> | undefined;

  constructor(
    data: T,
    private readonly file: string | undefined,
    persisted: string,
    private readonly empty: () => T,
    private readonly isEmpty?: (data: T) => boolean,
    fsync = true,
  ) {
    this.#db = new Low<T>(file ? new DurableJsonFile<T>(file, { fsync, ...(isEmpty ? { isEmpty } : {}) }) : new Memory<T>(), data);
    this.#persisted = persisted;
  }

  get data(): T {
    return this.#db.data;
  }

  /** A write is running or waiting. */
  get busy(): boolean {
    return this.#running !== undefined || this.#next !== undefined;
  }

  /** Resolves once the current data is on disk; rejects if that write failed (the change is then undone). */
  commit(): Promise<void> {
    if (!this.#running) return this.#start();
    // A write is running and may have serialised before our change: join the next one. If the running one fails,
    // the data goes back to the file's and our change with it: fail too.
    this.#next ??= this.#running.then(
      () => {
        this.#next = undefined;
        return this.#start();
      },
      (err: unknown) => {
        this.#next = undefined;
        throw err;
      },
    );
    return this.#next;
  }

  /** Waits for writes under way, without writing anything itself (shutdown). */
  async idle(): Promise<void> {
    while (this.busy) await (this.#next ?? this.#running)!.catch(() => {});
  }

  #start(): Promise<void> {
    const run = this.#write();
    this.#running = run;
    void run.then(
      () => this.#running === run && (this.#running = undefined),
      () => this.#running === run && (this.#running = undefined),
    );
    return run;
  }

  async #write(): Promise<void> {
    if (!this.file) return;
    // steno's temporary file, removed if the write fails half-way.
    const tmp = path.join(path.dirname(this.file), `.${path.basename(this.file)}.tmp`);
    let empty = false;
    let text = '';
    try {
      await mkdir(path.dirname(this.file), { recursive: true });
      // From here to the adapter's serialisation nothing awaits, so `text` is exactly what goes to disk (the state to
      // go back to if a later write fails). Nothing left to keep (a form finished or cancelled): the adapter removes
      // the file, so files grow with people who fill forms in now, not with everyone who ever did.
      empty = this.isEmpty?.(this.#db.data) ?? false;
      text = JSON.stringify(this.#db.data, null, 2);
      await this.#db.write();
      this.#persisted = empty ? '' : text;
    } catch (err) {
      await rm(tmp, { force: true }).catch(() => {});
      this.#db.data = this.#persisted ? JSON.parse(this.#persisted) : this.empty();
      throw storageError(this.file, err);
    }
  }
}

/** A file that is not JSON (a torn or foreign write): the start-up error for db.json, a moved-aside draft for forms. */
class CorruptFileError extends AppError {
  constructor(message: string, options: { cause: unknown }) {
    super('ERR_STORE', message, options);
  }
}

/** What a document that cannot be used as it is throws: not JSON, or JSON of the wrong shape (checkStored). */
function isCorrupt(err: unknown): boolean {
  return err instanceof CorruptFileError || (err instanceof AppError && err.code === 'ERR_STORE_DATA');
}

/** Opens a document; a missing file is an empty document (not written until something changes). */
export async function openDoc<T extends object>(
  file: string | undefined,
  empty: () => T,
  schema: z.ZodType<T>,
  isEmpty?: (d: T) => boolean,
  fsync = true,
): Promise<Doc<T>> {
  if (!file) return new Doc(empty(), undefined, '', empty, isEmpty);
  let text: string | undefined;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw storageError(file, err);
  }
  if (text === undefined) return new Doc(empty(), file, '', empty, isEmpty, fsync);
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new CorruptFileError(`${file}: 数据文件无法读取 (not valid JSON: ${(err as Error).message})。文件未被修改：请从备份恢复它，或修正后重新启动`, {
      cause: err,
    });
  }
  return new Doc(checkStored(schema, raw, file), file, text, empty, isEmpty, fsync);
}

export class LowdbStore implements Store {
  readonly kind: 'lowdb' | 'memory';
  readonly dedupe: DedupeRepository = new MemoryDedupe();
  readonly deliveries: DeliveryRepository;
  readonly planImports: PlanImportRepository;
  readonly #doc: Doc<DbData>;
  readonly #file: string | undefined;
  readonly #lock: DataDirLock | undefined;

  readonly forms: FormStateRepository;
  readonly submissions: LowdbSubmissions;
  readonly photos: LowdbPhotos;
  readonly #forms: DocSet<FormData>;

  private constructor(
    doc: Doc<DbData>,
    forms: DocSet<FormData>,
    submissions: LowdbSubmissions,
    photos: LowdbPhotos,
    file: string | undefined,
    lock: DataDirLock | undefined,
  ) {
    this.#doc = doc;
    this.photos = photos;
    this.#forms = forms;
    this.#file = file;
    this.#lock = lock;
    this.kind = file ? 'lowdb' : 'memory';
    this.deliveries = new LowdbDeliveries(doc);
    this.planImports = new LowdbPlanImports(doc);
    this.forms = new LowdbForms(forms);
    this.submissions = submissions;
  }

  /**
   * Opens (or creates) DATA_DIR/db.json; a corrupt file is a start-up error naming the file. The folder is locked
   * for this process: a second process (a second service, or a CLI while the service runs) gets a clear error
   * instead of overwriting the other's data.
   */
  static async open(dataDir: string, options: { fsync?: boolean } = {}): Promise<LowdbStore> {
    const fsync = options.fsync ?? true;
    const dir = path.resolve(dataDir);
    try {
      await mkdir(dir, { recursive: true });
      await access(dir, constants.R_OK | constants.W_OK);
    } catch (err) {
      throw storageError(dir, err);
    }
    let lock: DataDirLock;
    try {
      lock = await DataDirLock.acquire(dir);
    } catch (err) {
      throw storageError(path.join(dir, '.lock'), err);
    }
    try {
      const file = path.join(dir, 'db.json');
      const submissions = await LowdbSubmissions.open(path.join(dir, 'submissions'), fsync);
      const forms = new DocSet(path.join(dir, 'forms'), emptyForm, formFileSchema as z.ZodType<FormData>, {
        maxCached: FORM_DOCS_CACHED,
        isEmpty: (d) => d.state === undefined,
        fsync,
      });
      const photos = await LowdbPhotos.open(path.join(dir, 'photos'), fsync);
      return new LowdbStore(await openDoc(file, emptyData, dbSchema as z.ZodType<DbData>, undefined, fsync), forms, submissions, photos, file, lock);
    } catch (err) {
      await lock.release().catch(() => {});
      throw storageError(dir, err);
    }
  }

  /** An in-memory store with the same code paths, for unit tests and the offline CLI. */
  static async memory(): Promise<LowdbStore> {
    const forms = new DocSet(undefined, emptyForm, formFileSchema as z.ZodType<FormData>, { isEmpty: (d) => d.state === undefined });
    return new LowdbStore(
      await openDoc(undefined, emptyData, dbSchema as z.ZodType<DbData>),
      forms,
      await LowdbSubmissions.open(undefined),
      await LowdbPhotos.open(undefined),
      undefined,
      undefined,
    );
  }

  /** Every form in progress, by user (for copying the data elsewhere). */
  async allForms(): Promise<Array<[string, FormState]>> {
    const out: Array<[string, FormState]> = [];
    for await (const [user, data] of this.#forms.all()) if (data.state) out.push([user, structuredClone(data.state)]);
    return out;
  }

  /** Form documents in memory now (bounded by FORM_DOCS_CACHED). */
  get cachedForms(): number {
    return this.#forms.size;
  }

  readonly #probe = new WriteProbe(async () => {
    // A block's worth, written and renamed as every document is, then removed: a full disk or a read-only remount fails
    // it, where a permission check passes.
    const file = path.join(path.dirname(this.#file!), '.write-probe');
    try {
      await writeFile(`${file}.tmp`, 'x'.repeat(4096));
      await rename(`${file}.tmp`, file);
    } finally {
      await rm(`${file}.tmp`, { force: true }).catch(() => {});
      await rm(file, { force: true }).catch(() => {});
    }
  });

  /** Whether a file can be written in the data folder now (see WriteProbe); an in-memory store always can. */
  canWrite(): Promise<boolean> {
    return this.#file ? this.#probe.check() : Promise.resolve(true);
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

  /** Marks the data folder's lock as draining until `until`: a new process waits for it (see DataDirLock). */
  async beginShutdown(until: number): Promise<void> {
    await this.#lock?.markDraining(until).catch(() => {});
  }

  /**
   * Waits for writes under way and releases the folder. Nothing is rewritten: every change was written when it was
   * made (rewriting every document at once ran out of file descriptors with 20,000 users and left a stale .lock).
   */
  async close(): Promise<void> {
    try {
      await Promise.all([this.#doc.idle(), this.#forms.flush(), this.submissions.flush(), this.photos.flush()]);
    } finally {
      await this.#lock?.release();
    }
  }
}

/**
 * A folder of small documents opened on demand, one writer per file (concurrent first uses of a key share one
 * opening). Keys may contain one "/" for a subfolder. A failed opening is not remembered. At most `maxCached`
 * documents stay in memory: the least recently used one that nobody holds and that has no write under way goes first.
 */
interface Opening<T> {
  promise: Promise<Doc<T>>;
  waiters: number;
}

/** A file moved aside as unreadable (DocSet.moveAside). */
const MOVED_ASIDE = /\.json\.corrupt-[0-9TZ-]+$/;

class DocSet<T extends object> {
  readonly #docs = new Map<string, Doc<T>>();
  readonly #opening = new Map<string, Opening<T>>();
  /**
   * Keys known to have no file. The data folder is this process's alone (its lock), so a file appears only when we
   * write it: every message from someone with no form then costs no file-system call (a failed stat per message was
   * a tenth of the callback's CPU). Bounded; forgetting an entry only costs one stat.
   */
  readonly #absent = new Set<string>();

  constructor(
    private readonly dir: string | undefined,
    private readonly empty: () => T,
    private readonly schema: z.ZodType<T>,
    private readonly options: { maxCached?: number; isEmpty?: (d: T) => boolean; fsync?: boolean } = {},
  ) {}

  #file(key: string): string | undefined {
    return this.dir ? path.join(this.dir, ...key.split('/').map(fileNamePart)) + '.json' : undefined;
  }

  /** The document, held (pinned) for the caller until `release`. */
  #acquire(key: string): Promise<Doc<T>> {
    const cached = this.#docs.get(key);
    if (cached) {
      this.#docs.delete(key); // most recently used last
      this.#docs.set(key, cached);
      cached.pins++;
      return Promise.resolve(cached);
    }
    this.#absent.delete(key); // from here on the document may be written
    let opening = this.#opening.get(key);
    if (!opening) {
      const file = this.#file(key);
      const o: Opening<T> = { waiters: 0, promise: undefined as unknown as Promise<Doc<T>> };
      o.promise = (async () => {
        try {
          const d = await openDoc(file, this.empty, this.schema, this.options.isEmpty, this.options.fsync);
          d.pins += o.waiters; // every waiter holds it from the moment it exists
          this.#docs.set(key, d);
          this.#evict();
          return d;
        } finally {
          this.#opening.delete(key); // on failure too: the next use tries again
        }
      })();
      opening = o;
      this.#opening.set(key, o);
    }
    opening.waiters++;
    return opening.promise;
  }

  #release(doc: Doc<T>): void {
    doc.pins--;
    this.#evict();
  }

  #evict(): void {
    const max = this.options.maxCached ?? Infinity;
    if (this.#docs.size <= max) return;
    for (const [key, d] of this.#docs) {
      if (this.#docs.size <= max) return;
      if (d.pins === 0 && !d.busy) this.#docs.delete(key);
    }
  }

  /** Works on the document (created in memory if there is no file); it stays in memory while `work` runs. */
  async with<R>(key: string, work: (doc: Doc<T>) => Promise<R>): Promise<R> {
    const doc = await this.#acquire(key);
    try {
      return await work(doc);
    } finally {
      this.#release(doc);
    }
  }

  /** Reads the data, or undefined when there is none; never creates a file or keeps an empty document. */
  async read<R>(key: string, look: (data: T | undefined) => R): Promise<R> {
    const cached = this.#docs.get(key);
    if (cached) return look(cached.data);
    if (!(await this.exists(key))) return look(undefined);
    return this.with(key, async (doc) => look(doc.data));
  }

  /**
   * Renames the key's file to "<name>.json.corrupt-<time>" beside it (kept for an operator to look at, never read
   * again by the store) and returns the new path; the key then has no document.
   */
  async moveAside(key: string): Promise<string | undefined> {
    const file = this.#file(key);
    if (!file || this.#docs.has(key)) return undefined;
    const target = `${file}.corrupt-${new Date().toISOString().replace(/[:.]/g, '-')}`;
    await rename(file, target);
    this.#absent.add(key);
    return target;
  }

  /** In memory, or a file on disk. */
  async exists(key: string): Promise<boolean> {
    if (this.#docs.has(key) || this.#opening.has(key)) return true;
    // Known absent first: building and checking the file name is most of this call's cost on the hot path.
    if (this.#absent.has(key)) return false;
    const file = this.#file(key);
    if (!file) return false;
    try {
      await stat(file);
      return true;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw storageError(file, err);
      if (this.#absent.size >= 100_000) this.#absent.clear();
      this.#absent.add(key);
      return false;
    }
  }

  /** Every key on disk ("name" or "sub/name"), checked: a file the store did not write is a clear error. */
  async keysOnDisk(validSub?: RegExp): Promise<string[]> {
    if (!this.dir) return [...this.#docs.keys()];
    const dir = this.dir;
    const keys: string[] = [];
    const decode = (where: string, name: string) => {
      try {
        return decodeURIComponent(name);
      } catch {
        throw unknownFile(where);
      }
    };
    try {
      await mkdir(dir, { recursive: true });
      for (const e of await readdir(dir, { withFileTypes: true })) {
        const where = path.join(dir, e.name);
        if (e.name.startsWith('.') || MOVED_ASIDE.test(e.name)) continue; // temp files of an interrupted write, moved-aside ones
        if (e.isDirectory() && validSub) {
          const sub = decode(where, e.name);
          if (!validSub.test(sub)) throw unknownFile(where);
          for (const f of await readdir(where, { withFileTypes: true })) {
            if (f.name.startsWith('.') || MOVED_ASIDE.test(f.name)) continue;
            if (!f.isFile() || !f.name.endsWith('.json')) throw unknownFile(path.join(where, f.name));
            keys.push(`${sub}/${decode(path.join(where, f.name), f.name.slice(0, -5))}`);
          }
        } else if (!validSub && e.isFile() && e.name.endsWith('.json')) {
          keys.push(decode(where, e.name.slice(0, -5)));
        } else {
          throw unknownFile(where);
        }
      }
    } catch (err) {
      throw storageError(dir, err);
    }
    return keys;
  }

  /** Opens every document on disk and keeps them (submissions: all read at start-up). */
  async loadAll(validSub?: RegExp): Promise<void> {
    for (const key of await this.keysOnDisk(validSub)) await this.with(key, async () => {});
  }

  /** Every document's data, on disk or in memory, without keeping them (copying the data elsewhere). */
  async *all(): AsyncGenerator<[string, T]> {
    const keys = new Set([...(await this.keysOnDisk()), ...this.#docs.keys()]);
    for (const key of keys) {
      const cached = this.#docs.get(key);
      yield [key, cached ? cached.data : (await openDoc(this.#file(key), this.empty, this.schema)).data];
    }
  }

  entries(): IterableIterator<[string, Doc<T>]> {
    return this.#docs.entries();
  }

  get size(): number {
    return this.#docs.size;
  }

  /** Waits for writes under way; writes nothing itself (every change was committed when it was made). */
  async flush(): Promise<void> {
    await Promise.all([...this.#docs.values()].filter((d) => d.busy).map((d) => d.idle()));
  }
}

function unknownFile(where: string): AppError {
  return new AppError(
    'ERR_STORE_UNKNOWN_FILE',
    `${where}: 不是本服务写入的数据文件（名称或类型不符）。请把它移出该目录（不要删除前请先确认内容），然后重新启动 (a file the store did not write: move it out of the folder)`,
  );
}

class LowdbForms implements FormStateRepository {
  constructor(private readonly docs: DocSet<FormData>) {}

  /**
   * Reading never writes: a user who only asks questions leaves no file and no document in memory. A form file that
   * cannot be read (not JSON, the wrong shape) is moved aside once, reported as FormStateUnreadableError, and the user
   * starts afresh: one corrupt file must not lock its user out of everything.
   */
  async get(userId: string): Promise<FormState | undefined> {
    return this.#readable(userId, () => this.docs.read(userId, (d) => (d?.state ? structuredClone(d.state) : undefined)));
  }

  async #readable<R>(userId: string, work: () => Promise<R>): Promise<R> {
    try {
      return await work();
    } catch (err) {
      if (!isCorrupt(err)) throw err;
      const movedTo = await this.docs.moveAside(userId);
      throw new FormStateUnreadableError(userId, (err as Error).message, movedTo, err);
    }
  }

  async put(userId: string, state: FormState, expectedRevision: number | undefined): Promise<boolean> {
    return this.#readable(userId, () => this.#put(userId, state, expectedRevision));
  }

  async #put(userId: string, state: FormState, expectedRevision: number | undefined): Promise<boolean> {
    return this.docs.with(userId, async (doc) => {
      if ((doc.data.state?.revision ?? undefined) !== expectedRevision) return false;
      doc.data.state = structuredClone({ ...state, revision: (expectedRevision ?? 0) + 1 });
      await doc.commit();
      return true;
    });
  }

  async delete(userId: string): Promise<void> {
    if (!(await this.docs.exists(userId))) return;
    await this.#readable(userId, () => this.#delete(userId));
  }

  async #delete(userId: string): Promise<void> {
    await this.docs.with(userId, async (doc) => {
      if (doc.data.state === undefined) return;
      delete doc.data.state;
      await doc.commit(); // an empty form document is removed, not written
    });
  }
}

/** Submissions in one file per month and group (submissions/2016-09/group-id.json), all read at start-up. */
class LowdbSubmissions implements SubmissionRepository {
  private constructor(private readonly docs: DocSet<MonthData>) {}

  static async open(dir: string | undefined, fsync = true): Promise<LowdbSubmissions> {
    const docs = new DocSet(dir, emptyMonth, monthFileSchema as z.ZodType<MonthData>, { fsync });
    // Only YYYY-MM folders of group files: anything else is refused at start by name, not guessed at.
    await docs.loadAll(/^\d{4}-\d{2}$/);
    return new LowdbSubmissions(docs);
  }

  async save(input: Parameters<SubmissionRepository['save']>[0]): Promise<Submission> {
    const month = input.session.slice(0, 7);
    return this.docs.with(`${month}/${input.groupId}`, (doc) => this.#save(doc, month, input));
  }

  async #save(doc: Doc<MonthData>, month: string, input: Parameters<SubmissionRepository['save']>[0]): Promise<Submission> {
    const key = `${input.groupId}|${input.session}`;
    const seen = doc.data.idempotency[input.idempotencyKey];
    if (seen) return structuredClone(doc.data.records[seen.slice(0, seen.lastIndexOf('|'))]!);
    const existing = doc.data.records[key];
    const record: Submission = existing
      ? {
          ...existing,
          revision: existing.revision + 1,
          submittedBy: input.submittedBy,
          submittedAt: input.submittedAt,
          fields: input.fields,
          history: [
            ...existing.history,
            { revision: existing.revision, submittedBy: existing.submittedBy, submittedAt: existing.submittedAt, fields: existing.fields },
          ],
        }
      : {
          receipt: receiptOf(input.session, this.#countForSession(month, input.session) + 1),
          groupId: input.groupId,
          session: input.session,
          revision: 1,
          submittedBy: input.submittedBy,
          submittedAt: input.submittedAt,
          fields: input.fields,
          history: [],
        };
    // Set before the first await that follows: receipts stay unique among saves running at once.
    doc.data.records[key] = record;
    doc.data.idempotency[input.idempotencyKey] = `${key}|${record.revision}`;
    await doc.commit();
    return structuredClone(record);
  }

  async saveIfRevision(
    input: Parameters<SubmissionRepository['save']>[0],
    expectedRevision: number,
  ): Promise<{ saved: Submission } | { conflict: Submission | undefined }> {
    const month = input.session.slice(0, 7);
    return this.docs.with(`${month}/${input.groupId}`, async (doc) => {
      const current = doc.data.records[`${input.groupId}|${input.session}`];
      if (!doc.data.idempotency[input.idempotencyKey] && (current?.revision ?? 0) !== expectedRevision)
        return { conflict: current && structuredClone(current) };
      // No await between the check and #save's write to the document: the two cannot interleave with another save.
      return { saved: await this.#save(doc, month, input) };
    });
  }

  #countForSession(month: string, session: string): number {
    let n = 0;
    for (const [k, d] of this.docs.entries()) if (k.startsWith(`${month}/`)) n += Object.values(d.data.records).filter((r) => r.session === session).length;
    return n;
  }

  async get(groupId: string, session: string): Promise<Submission | undefined> {
    return this.docs.read(`${session.slice(0, 7)}/${groupId}`, (d) => {
      const r = d?.records[`${groupId}|${session}`];
      return r && structuredClone(r);
    });
  }

  async list(filter: { groupIds?: string[]; sessions?: string[] } = {}): Promise<Submission[]> {
    const months = filter.sessions && new Set(filter.sessions.map((s) => s.slice(0, 7)));
    const out: Submission[] = [];
    for (const [k, d] of this.docs.entries()) {
      if (months && !months.has(k.slice(0, 7))) continue;
      for (const r of Object.values(d.data.records)) {
        if ((!filter.groupIds || filter.groupIds.includes(r.groupId)) && (!filter.sessions || filter.sessions.includes(r.session)))
          out.push(structuredClone(r));
      }
    }
    return out.sort((a, b) => b.session.localeCompare(a.session) || a.groupId.localeCompare(b.groupId));
  }

  flush(): Promise<void> {
    return this.docs.flush();
  }
}
const deliveryKey = (job: string, target: string) => `${job}|${target}`;

class LowdbPlanImports implements PlanImportRepository {
  constructor(private readonly doc: Doc<DbData>) {}

  async list(): Promise<PlanImport[]> {
    return (this.doc.data.planImports ?? []).map((p) => ({ ...p }));
  }

  async add(p: PlanImport): Promise<boolean> {
    const all = (this.doc.data.planImports ??= []);
    if (all.some((x) => x.id === p.id)) return false;
    all.push({ ...p });
    await this.doc.commit();
    return true;
  }

  async withdraw(id: string, by: string, at: number): Promise<boolean> {
    const p = this.doc.data.planImports?.find((x) => x.id === id);
    if (!p || p.withdrawnAt !== undefined) return false;
    Object.assign(p, { withdrawnBy: by, withdrawnAt: at });
    await this.doc.commit();
    return true;
  }
}

class LowdbDeliveries implements DeliveryRepository {
  constructor(private readonly doc: Doc<DbData>) {}

  async claim(job: string, target: string, worker: string, now: number, leaseMs: number, options: ClaimOptions = {}): Promise<DeliveryClaim> {
    const force = options.force ?? false;
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
      ...(existing?.inFlight && !resend ? { inFlight: true } : {}),
      ...(existing?.maybeDelivered && !resend ? { maybeDelivered: true } : {}),
      claimedAt: now,
      claimedBy: worker,
      updatedAt: now,
      ...(existing?.forcedResends || resend ? { forcedResends: (existing?.forcedResends ?? 0) + (resend ? 1 : 0) } : {}),
      ...((options.payload ?? existing?.payload) ? { payload: options.payload ?? existing?.payload } : {}),
      ...((options.retryUntil ?? existing?.retryUntil) !== undefined ? { retryUntil: options.retryUntil ?? existing?.retryUntil } : {}),
    };
    all[deliveryKey(job, target)] = delivery;
    await this.doc.commit();
    return { ok: true, delivery: { ...delivery } };
  }

  async update(job: string, target: string, patch: Parameters<DeliveryRepository['update']>[2], now: number): Promise<void> {
    const d = this.doc.data.deliveries[deliveryKey(job, target)];
    if (!d) throw new UnknownDeliveryError(job, target);
    Object.assign(d, patch, { updatedAt: now });
    if (patch.inFlight === false) delete d.inFlight;
    if (patch.maybeDelivered === false) delete d.maybeDelivered;
    if (patch.status === 'sent') {
      delete d.errcode;
      delete d.errmsg;
      delete d.maybeDelivered;
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

  async prune(jobPrefix: string, before: number): Promise<number> {
    const all = this.doc.data.deliveries;
    const old = Object.entries(all).filter(([, d]) => d.status === 'sent' && d.job.startsWith(jobPrefix) && (d.sentAt ?? d.updatedAt) < before);
    for (const [key] of old) delete all[key];
    if (old.length) await this.doc.commit();
    return old.length;
  }

  async due(now: number, leaseMs: number): Promise<Delivery[]> {
    return Object.values(this.doc.data.deliveries)
      .filter((d) => d.payload && d.status !== 'sent' && (d.retryUntil ?? 0) > now && (d.status === 'failed' || now - d.claimedAt >= leaseMs))
      .sort((a, b) => (a.job < b.job ? -1 : a.job > b.job ? 1 : a.target < b.target ? -1 : a.target > b.target ? 1 : 0))
      .map((d) => ({ ...d }));
  }
}
