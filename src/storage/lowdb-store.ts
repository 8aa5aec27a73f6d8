import { constants } from 'node:fs';
import { access, mkdir, readdir } from 'node:fs/promises';
import path from 'node:path';
import { Low, Memory } from 'lowdb';
import { JSONFile } from 'lowdb/node';
import { AppError } from '../errors.ts';
import { GroupCommit } from './group-commit.ts';
import { MemoryDedupe } from './memory-dedupe.ts';
import { DataDirLock } from './data-dir-lock.ts';
import { receiptOf, type ClaimOptions, type DedupeRepository, type Delivery, type DeliveryClaim, type DeliveryRepository, type FormState, type FormStateRepository, type Store, type Submission, type SubmissionRepository } from './ports.ts';

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

  readonly forms: FormStateRepository;
  readonly submissions: LowdbSubmissions;
  readonly #forms: DocSet<FormData>;

  private constructor(doc: Doc<DbData>, forms: DocSet<FormData>, submissions: LowdbSubmissions, file: string | undefined, lock: DataDirLock | undefined) {
    this.#doc = doc;
    this.#forms = forms;
    this.#file = file;
    this.#lock = lock;
    this.kind = file ? 'lowdb' : 'memory';
    this.deliveries = new LowdbDeliveries(doc);
    this.forms = new LowdbForms(forms);
    this.submissions = submissions;
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
      const submissions = await LowdbSubmissions.open(path.join(dir, 'submissions'));
      return new LowdbStore(await openDoc(file, emptyData), new DocSet(path.join(dir, 'forms'), emptyForm), submissions, file, lock);
    } catch (err) {
      await lock.release();
      throw err;
    }
  }

  /** An in-memory store with the same code paths, for unit tests and the offline CLI. */
  static async memory(): Promise<LowdbStore> {
    return new LowdbStore(await openDoc(undefined, emptyData), new DocSet(undefined, emptyForm), await LowdbSubmissions.open(undefined), undefined, undefined);
  }

  /** Every form in progress, by user (for copying the data elsewhere). */
  async allForms(): Promise<Array<[string, FormState]>> {
    await this.#forms.loadAll();
    return [...this.#forms.entries()].flatMap(([user, doc]) => (doc.data.state ? [[user, structuredClone(doc.data.state)] as [string, FormState]] : []));
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
    await Promise.all([this.#doc.commit(), this.#forms.flush(), this.submissions.flush()]);
    await this.#lock?.release();
  }
}

/**
 * A folder of small lowdb documents opened on demand, one writer per file (concurrent first uses of a key share one
 * opening). Keys may contain one "/" for a subfolder.
 */
class DocSet<T extends object> {
  readonly #docs = new Map<string, Doc<T>>();
  readonly #opening = new Map<string, Promise<Doc<T>>>();

  constructor(
    private readonly dir: string | undefined,
    private readonly empty: () => T,
  ) {}

  get(key: string): Promise<Doc<T>> {
    const doc = this.#docs.get(key);
    if (doc) return Promise.resolve(doc);
    let opening = this.#opening.get(key);
    if (!opening) {
      const file = this.dir ? path.join(this.dir, ...key.split('/').map(encodeURIComponent)) + '.json' : undefined;
      opening = (async () => {
        if (file) await mkdir(path.dirname(file), { recursive: true });
        const d = await openDoc(file, this.empty);
        this.#docs.set(key, d);
        this.#opening.delete(key);
        return d;
      })();
      this.#opening.set(key, opening);
    }
    return opening;
  }

  /** Opens every document already on disk (keys "name" or "sub/name"), e.g. all submissions at start-up. */
  async loadAll(): Promise<void> {
    if (!this.dir) return;
    await mkdir(this.dir, { recursive: true });
    for (const f of (await readdir(this.dir, { withFileTypes: true })).filter((e) => e.isFile() && e.name.endsWith('.json') && !e.name.startsWith('.'))) {
      await this.get(decodeURIComponent(f.name.slice(0, -5)));
    }
    for (const sub of (await readdir(this.dir, { withFileTypes: true })).filter((e) => e.isDirectory())) {
      for (const f of (await readdir(path.join(this.dir, sub.name))).filter((f) => f.endsWith('.json') && !f.startsWith('.'))) {
        await this.get(`${decodeURIComponent(sub.name)}/${decodeURIComponent(f.slice(0, -5))}`);
      }
    }
  }

  entries(): IterableIterator<[string, Doc<T>]> {
    return this.#docs.entries();
  }

  async flush(): Promise<void> {
    await Promise.all([...this.#docs.values()].map((d) => d.commit()));
  }
}

class LowdbForms implements FormStateRepository {
  constructor(private readonly docs: DocSet<FormData>) {}

  async get(userId: string): Promise<FormState | undefined> {
    const s = (await this.docs.get(userId)).data.state;
    return s && structuredClone(s);
  }

  async put(userId: string, state: FormState, expectedRevision: number | undefined): Promise<boolean> {
    const doc = await this.docs.get(userId);
    if ((doc.data.state?.revision ?? undefined) !== expectedRevision) return false;
    doc.data.state = structuredClone({ ...state, revision: (expectedRevision ?? 0) + 1 });
    await doc.commit();
    return true;
  }

  async delete(userId: string): Promise<void> {
    const doc = await this.docs.get(userId);
    delete doc.data.state;
    await doc.commit();
  }
}

/** Submissions in one file per month and group (submissions/2016-09/group-id.json), all read at start-up. */
class LowdbSubmissions implements SubmissionRepository {
  private constructor(private readonly docs: DocSet<MonthData>) {}

  static async open(dir: string | undefined): Promise<LowdbSubmissions> {
    const docs = new DocSet(dir, emptyMonth);
    await docs.loadAll();
    return new LowdbSubmissions(docs);
  }

  async save(input: Parameters<SubmissionRepository['save']>[0]): Promise<Submission> {
    const month = input.session.slice(0, 7);
    const doc = await this.docs.get(`${month}/${input.groupId}`);
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
          history: [...existing.history, { revision: existing.revision, submittedBy: existing.submittedBy, submittedAt: existing.submittedAt, fields: existing.fields }],
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

  /** Per record, the conditional saves waiting their turn (the check and the write must not interleave). */
  readonly #conditional = new Map<string, Promise<unknown>>();

  async saveIfRevision(input: Parameters<SubmissionRepository['save']>[0], expectedRevision: number): Promise<{ saved: Submission } | { conflict: Submission | undefined }> {
    const key = `${input.groupId}|${input.session}`;
    const run = (this.#conditional.get(key) ?? Promise.resolve()).then(async () => {
      const doc = await this.docs.get(`${input.session.slice(0, 7)}/${input.groupId}`);
      const current = doc.data.records[key];
      if (!doc.data.idempotency[input.idempotencyKey] && (current?.revision ?? 0) !== expectedRevision) return { conflict: current && structuredClone(current) };
      return { saved: await this.save(input) };
    });
    const settled = run.catch(() => {});
    this.#conditional.set(key, settled);
    void settled.then(() => this.#conditional.get(key) === settled && this.#conditional.delete(key));
    return run;
  }

  #countForSession(month: string, session: string): number {
    let n = 0;
    for (const [k, d] of this.docs.entries()) if (k.startsWith(`${month}/`)) n += Object.values(d.data.records).filter((r) => r.session === session).length;
    return n;
  }

  async get(groupId: string, session: string): Promise<Submission | undefined> {
    const r = (await this.docs.get(`${session.slice(0, 7)}/${groupId}`)).data.records[`${groupId}|${session}`];
    return r && structuredClone(r);
  }

  async list(filter: { groupIds?: string[]; sessions?: string[] } = {}): Promise<Submission[]> {
    const months = filter.sessions && new Set(filter.sessions.map((s) => s.slice(0, 7)));
    const out: Submission[] = [];
    for (const [k, d] of this.docs.entries()) {
      if (months && !months.has(k.slice(0, 7))) continue;
      for (const r of Object.values(d.data.records)) {
        if ((!filter.groupIds || filter.groupIds.includes(r.groupId)) && (!filter.sessions || filter.sessions.includes(r.session))) out.push(structuredClone(r));
      }
    }
    return out.sort((a, b) => b.session.localeCompare(a.session) || a.groupId.localeCompare(b.groupId));
  }

  flush(): Promise<void> {
    return this.docs.flush();
  }
}
const deliveryKey = (job: string, target: string) => `${job}|${target}`;

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
    if (!d) throw new Error(`no delivery ${job} → ${target}`);
    Object.assign(d, patch, { updatedAt: now });
    if (patch.inFlight === false) delete d.inFlight;
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

