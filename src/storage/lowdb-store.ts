import { constants } from 'node:fs';
import { access, mkdir, readdir } from 'node:fs/promises';
import path from 'node:path';
import { Low, Memory } from 'lowdb';
import { JSONFile } from 'lowdb/node';
import { AppError } from '../errors.ts';
import { GroupCommit } from './group-commit.ts';
import { MemoryDedupe } from './memory-dedupe.ts';
import { DataDirLock } from './data-dir-lock.ts';
import type { DedupeRepository, Delivery, DeliveryClaim, DeliveryRepository, FormState, FormStateRepository, Store, Submission, SubmissionRepository } from './ports.ts';

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

/** Small, often-written state apart from history: forms in progress. */
interface StateData {
  forms: Record<string, FormState>;
}
const emptyState = (): StateData => ({ forms: {} });

/** One month of submissions (by session date): a write's cost stays that of one month, however many years are kept. */
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
  readonly #state: Doc<StateData>;

  private constructor(doc: Doc<DbData>, state: Doc<StateData>, submissions: LowdbSubmissions, file: string | undefined, lock: DataDirLock | undefined) {
    this.#doc = doc;
    this.#state = state;
    this.#file = file;
    this.#lock = lock;
    this.kind = file ? 'lowdb' : 'memory';
    this.deliveries = new LowdbDeliveries(doc);
    this.forms = new LowdbForms(state);
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
      return new LowdbStore(await openDoc(file, emptyData), await openDoc(path.join(dir, 'state.json'), emptyState), submissions, file, lock);
    } catch (err) {
      await lock.release();
      throw err;
    }
  }

  /** An in-memory store with the same code paths, for unit tests and the offline CLI. */
  static async memory(): Promise<LowdbStore> {
    return new LowdbStore(await openDoc(undefined, emptyData), await openDoc(undefined, emptyState), await LowdbSubmissions.open(undefined), undefined, undefined);
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
    await Promise.all([this.#doc.commit(), this.#state.commit(), this.submissions.flush()]);
    await this.#lock?.release();
  }
}

class LowdbForms implements FormStateRepository {
  constructor(private readonly doc: Doc<StateData>) {}

  async get(userId: string): Promise<FormState | undefined> {
    const s = this.doc.data.forms[userId];
    return s && structuredClone(s);
  }

  async put(userId: string, state: FormState, expectedRevision: number | undefined): Promise<boolean> {
    const current = this.doc.data.forms[userId];
    if ((current?.revision ?? undefined) !== expectedRevision) return false;
    this.doc.data.forms[userId] = structuredClone({ ...state, revision: (expectedRevision ?? 0) + 1 });
    await this.doc.commit();
    return true;
  }

  async delete(userId: string): Promise<void> {
    delete this.doc.data.forms[userId];
    await this.doc.commit();
  }
}

/** Submissions in one file per month of session (submissions/2016-09.json), all read at start-up, one written per save. */
class LowdbSubmissions implements SubmissionRepository {
  readonly #months = new Map<string, Doc<MonthData>>();
  /** Months being opened: concurrent first saves of a month must share one document (one writer per file). */
  readonly #opening = new Map<string, Promise<Doc<MonthData>>>();
  private constructor(private readonly dir: string | undefined) {}

  static async open(dir: string | undefined): Promise<LowdbSubmissions> {
    const repo = new LowdbSubmissions(dir);
    if (!dir) return repo;
    await mkdir(dir, { recursive: true });
    for (const f of (await readdir(dir)).filter((f) => /^\d{4}-\d{2}\.json$/.test(f)).sort()) {
      repo.#months.set(f.slice(0, 7), await openDoc(path.join(dir, f), emptyMonth));
    }
    return repo;
  }

  async #month(session: string): Promise<Doc<MonthData>> {
    const key = session.slice(0, 7);
    const doc = this.#months.get(key);
    if (doc) return doc;
    let opening = this.#opening.get(key);
    if (!opening) {
      opening = openDoc(this.dir ? path.join(this.dir, `${key}.json`) : undefined, emptyMonth).then((d) => {
        this.#months.set(key, d);
        this.#opening.delete(key);
        return d;
      });
      this.#opening.set(key, opening);
    }
    return opening;
  }

  async save(input: Parameters<SubmissionRepository['save']>[0]): Promise<Submission> {
    const doc = await this.#month(input.session);
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
          receipt: `JL-${input.session.replace(/-/g, '')}-${String(Object.keys(doc.data.records).filter((k) => k.endsWith(`|${input.session}`)).length + 1).padStart(3, '0')}`,
          groupId: input.groupId,
          session: input.session,
          revision: 1,
          submittedBy: input.submittedBy,
          submittedAt: input.submittedAt,
          fields: input.fields,
          history: [],
        };
    doc.data.records[key] = record;
    doc.data.idempotency[input.idempotencyKey] = `${key}|${record.revision}`;
    await doc.commit();
    return structuredClone(record);
  }

  async get(groupId: string, session: string): Promise<Submission | undefined> {
    const r = this.#months.get(session.slice(0, 7))?.data.records[`${groupId}|${session}`];
    return r && structuredClone(r);
  }

  async list(filter: { groupIds?: string[]; sessions?: string[] } = {}): Promise<Submission[]> {
    const months = filter.sessions ? [...new Set(filter.sessions.map((s) => s.slice(0, 7)))] : [...this.#months.keys()];
    const out: Submission[] = [];
    for (const m of months) {
      for (const r of Object.values(this.#months.get(m)?.data.records ?? {})) {
        if ((!filter.groupIds || filter.groupIds.includes(r.groupId)) && (!filter.sessions || filter.sessions.includes(r.session))) out.push(structuredClone(r));
      }
    }
    return out.sort((a, b) => b.session.localeCompare(a.session) || a.groupId.localeCompare(b.groupId));
  }

  async flush(): Promise<void> {
    await Promise.all([...this.#months.values()].map((d) => d.commit()));
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
