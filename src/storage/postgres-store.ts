import { readdir, readFile } from 'node:fs/promises';
import { PgPhotos } from './postgres-photos.ts';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { AppError, BadSchemaNameError, MigrationError, NoConnectionError, UnknownDeliveryError } from '../errors.ts';
import {
  type CallbackOutcome,
  type ClaimOptions,
  type ClaimResult,
  type ConversationRepository,
  type SharedMarks,
  type StoredStreamFrame,
  type StreamFrameRepository,
  type DedupeRepository,
  type Delivery,
  type DeliveryClaim,
  type DeliveryRepository,
  type FormState,
  type FormStateRepository,
  type Outgoing,
  receiptOf,
  type Store,
  type StoredToken,
  type Submission,
  type SubmissionRepository,
  type PlanImport,
  type PlanImportRepository,
  type TokenStore,
} from './ports.ts';
import { checkStored, formStateSchema, outgoingSchema, submissionSchema } from './schemas.ts';
import { FormStateUnreadableError } from './ports.ts';
import { WriteProbe } from './write-probe.ts';

/**
 * The store for several instances behind one callback URL: every repository in PostgreSQL (node-postgres), chosen by
 * DATABASE_URL. Versioned SQL migrations (./migrations/NNN_name.sql) are applied at start-up under an advisory lock,
 * so instances starting together migrate once. Unique keys and row locks carry every "once" promise across instances.
 */
const MIGRATIONS = fileURLToPath(new URL('./migrations/', import.meta.url));
const MIGRATION_LOCK = 727_001;

export interface PostgresOptions {
  /** A schema of its own (tests give each store a fresh one); default public. */
  schema?: string;
  max?: number;
  /**
   * Told about a connection the server dropped (pg_terminate_backend, a database restart, a network cut). Without a
   * listener node-postgres raises such an error as an unhandled 'error' event and the whole process dies.
   */
  onConnectionError?: (err: Error) => void;
  /** How long to wait for a new connection before a query fails (a database that is down must not hang callers). */
  connectionTimeoutMs?: number;
}

export class PostgresStore implements Store {
  readonly kind = 'postgres' as const;
  readonly dedupe: DedupeRepository;
  readonly deliveries: DeliveryRepository;
  readonly forms: FormStateRepository;
  readonly submissions: SubmissionRepository;
  readonly planImports: PlanImportRepository;
  readonly conversations: ConversationRepository;
  readonly marks: SharedMarks;
  readonly streamFrames: StreamFrameRepository;
  readonly photos: PgPhotos;

  private constructor(private readonly pool: pg.Pool) {
    this.planImports = new PgPlanImports(pool);
    this.dedupe = new PgDedupe(pool);
    this.deliveries = new PgDeliveries(pool);
    this.forms = new PgForms(pool);
    this.conversations = new PgConversations(pool);
    this.marks = new PgMarks(pool);
    this.streamFrames = new PgStreamFrames(pool);
    this.submissions = new PgSubmissions(pool);
    this.photos = new PgPhotos(pool);
  }

  static async open(url: string, options: PostgresOptions = {}): Promise<PostgresStore> {
    const schema = options.schema;
    if (schema && !/^[a-z_][a-z0-9_]*$/.test(schema)) throw new BadSchemaNameError(schema);
    // The schema as a connection option: set by the server at connect, before any query (no race with the first one).
    const pool = new pg.Pool({
      connectionString: url,
      max: options.max ?? 10,
      connectionTimeoutMillis: options.connectionTimeoutMs ?? 5000,
      // A half-open connection (server gone without a FIN) is found by the kernel instead of hanging a query for ever.
      keepAlive: true,
      ...(schema ? { options: `-c search_path=${schema}` } : {}),
    });
    // Idle clients report a dropped connection through the pool (pg-pool's idle listener re-emits it here); the
    // broken client is already removed, and the next query opens a fresh connection once the server is back.
    pool.on('error', (err) => options.onConnectionError?.(err));
    try {
      await migrate(pool, schema);
    } catch (err) {
      await pool.end();
      // Never echo the URL: it may carry a password.
      throw new AppError('ERR_STORE', `PostgreSQL (DATABASE_URL) 无法使用：${(err as Error).message}`, { cause: err });
    }
    return new PostgresStore(pool);
  }

  /**
   * Copies everything of a lowdb store in, idempotently: what is already here (same key; for records, the same or a
   * later revision) is left alone. Returns what was copied and what was already there.
   */
  async importFrom(source: {
    deliveries: DeliveryRepository;
    submissions: SubmissionRepository;
    allForms(): Promise<Array<[string, FormState]>>;
    planImports?: PlanImportRepository;
  }) {
    const counts = { deliveries: [0, 0], submissions: [0, 0], forms: [0, 0], planImports: [0, 0] };
    const tally = (k: keyof typeof counts, inserted: boolean) => counts[k][inserted ? 0 : 1]!++;
    for (const d of await source.deliveries.list()) {
      const r = await this.pool.query(
        `INSERT INTO deliveries (job, target, status, attempts, parts_sent, claimed_at, claimed_by, sent_at, errcode, errmsg, forced_resends, updated_at, payload, retry_until, in_flight, maybe_delivered)
         VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16) ON CONFLICT (job, target) DO NOTHING`,
        [
          d.job,
          d.target,
          d.status,
          d.attempts,
          d.partsSent,
          d.claimedAt,
          d.claimedBy,
          d.sentAt ?? null,
          d.errcode ?? null,
          d.errmsg ?? null,
          d.forcedResends ?? null,
          d.updatedAt,
          d.payload ?? null,
          d.retryUntil ?? null,
          d.inFlight ?? false,
          d.maybeDelivered ?? false,
        ],
      );
      tally('deliveries', r.rowCount === 1);
    }
    for (const s of await source.submissions.list()) {
      const r = await this.pool.query(
        `INSERT INTO submissions (group_id, session, receipt, revision, submitted_by, submitted_at, fields, history)
         VALUES ($1,$2,$3,$4,$5,$6,$7,$8)
         ON CONFLICT (group_id, session) DO UPDATE SET receipt = EXCLUDED.receipt, revision = EXCLUDED.revision, submitted_by = EXCLUDED.submitted_by,
           submitted_at = EXCLUDED.submitted_at, fields = EXCLUDED.fields, history = EXCLUDED.history
         WHERE submissions.revision < EXCLUDED.revision`,
        [s.groupId, s.session, s.receipt, s.revision, s.submittedBy, s.submittedAt, s.fields, JSON.stringify(s.history)],
      );
      tally('submissions', r.rowCount === 1);
    }
    await this.pool.query(
      `INSERT INTO receipt_counters (session, last) SELECT session, count(*) FROM submissions GROUP BY session
       ON CONFLICT (session) DO UPDATE SET last = GREATEST(receipt_counters.last, EXCLUDED.last)`,
    );
    for (const [user, state] of await source.allForms()) {
      const r = await this.pool.query('INSERT INTO form_states (user_id, revision, state) VALUES ($1,$2,$3) ON CONFLICT (user_id) DO NOTHING', [
        user,
        state.revision,
        state,
      ]);
      tally('forms', r.rowCount === 1);
    }
    // Plans the office imported in chat, with who and when (and a withdrawal).
    for (const p of (await source.planImports?.list()) ?? []) {
      const r = await this.pool.query('INSERT INTO plan_imports (id, body, imported_at, withdrawn_at) VALUES ($1, $2, $3, $4) ON CONFLICT (id) DO NOTHING', [
        p.id,
        JSON.stringify(p),
        p.importedAt,
        p.withdrawnAt ?? null,
      ]);
      tally('planImports', r.rowCount === 1);
    }
    return counts;
  }

  tokenCache(app: string): TokenStore {
    return new PgTokenCache(this.pool, app);
  }

  readonly #probe = new WriteProbe(async () => {
    const write = () =>
      prepared(this.pool, 'write_probe', 'INSERT INTO write_probe (id, at) VALUES (1, $1) ON CONFLICT (id) DO UPDATE SET at = EXCLUDED.at', [Date.now()]);
    // A pooled connection the server dropped (pg_terminate_backend, a restart) fails and is discarded; the pool then
    // hands out the next one, which may have been dropped too before its error event arrived. Only a write that fails
    // on every idle connection, or for another reason, says the database cannot take a write (bounded by the probe's
    // own timeout).
    for (let attempt = 1; ; attempt++) {
      try {
        await write();
        return;
      } catch (err) {
        if (!isConnectionError(err) || attempt >= PROBE_ATTEMPTS) throw err;
      }
    }
  });

  /** Whether the database takes a write now: one row rewritten (migration 010), bounded (see WriteProbe). */
  canWrite(): Promise<boolean> {
    return this.#probe.check();
  }

  async ping(): Promise<boolean> {
    try {
      await this.pool.query('SELECT 1');
      return true;
    } catch {
      return false;
    }
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}

/** Applies the migrations not applied yet, in order, each in a transaction; instances wait on one advisory lock. */
export async function migrate(pool: pg.Pool, schema?: string): Promise<string[]> {
  const { client, release } = await checkout(pool);
  const applied: string[] = [];
  let failure: unknown;
  try {
    if (schema) await client.query(`SET search_path TO ${schema}`);
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    // Under the lock: CREATE SCHEMA IF NOT EXISTS is not safe against a concurrent one (instances starting together).
    if (schema) await client.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
    await client.query('CREATE TABLE IF NOT EXISTS schema_migrations (version text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())');
    const done = new Set((await client.query<{ version: string }>('SELECT version FROM schema_migrations')).rows.map((r) => r.version));
    for (const file of (await readdir(MIGRATIONS)).filter((f) => /^\d{3}_.+\.sql$/.test(f)).sort()) {
      if (done.has(file)) continue;
      await client.query('BEGIN');
      try {
        await client.query(await readFile(`${MIGRATIONS}${file}`, 'utf8'));
        await client.query('INSERT INTO schema_migrations (version) VALUES ($1)', [file]);
        await client.query('COMMIT');
        applied.push(file);
      } catch (err) {
        await client.query('ROLLBACK');
        throw new MigrationError(file, (err as Error).message, { cause: err });
      }
    }
  } catch (err) {
    failure = err;
    throw err;
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => {});
    release(failure);
  }
  return applied;
}

/**
 * A statement the server parses and plans once per connection (node-postgres names it): for the queries every message
 * makes, which would otherwise be parsed again each time.
 */
function prepared<R extends pg.QueryResultRow = pg.QueryResultRow>(
  db: pg.Pool | pg.PoolClient,
  name: string,
  text: string,
  values: unknown[],
): Promise<pg.QueryResult<R>> {
  return db.query<R>({ name, text, values });
}

/**
 * A client taken out of the pool for several statements. pg-pool listens for errors only on idle clients: a checked-out
 * client whose connection the server drops between two statements emits 'error' with nobody listening, which kills
 * the process. So it gets a listener of its own while out, and a broken one is destroyed on release, not reused.
 */
export async function checkout(pool: pg.Pool): Promise<{ client: pg.PoolClient; release: (err?: unknown) => void }> {
  let broken: Error | undefined;
  const onError = (err: Error) => (broken = err);
  // The callback form: the listener is attached the moment pg-pool hands the client over. Awaiting the promise would
  // leave a gap (until the next microtask) in which an error already in the same network read finds no listener.
  const client = await new Promise<pg.PoolClient>((resolve, reject) =>
    pool.connect((err, c) => {
      if (err || !c) return reject(err ?? new NoConnectionError());
      c.on('error', onError);
      resolve(c);
    }),
  );
  return {
    client,
    release: (err?: unknown) => {
      client.removeListener('error', onError);
      const failed = broken ?? (isConnectionError(err) ? (err as Error) : undefined);
      client.release(failed);
    },
  };
}

/** Errors that mean the connection (or the server) is gone rather than that the statement was wrong. */
/** Tries of the /healthz write through the pool: more than its idle connections, so a fresh one is reached. */
const PROBE_ATTEMPTS = 12;

export function isConnectionError(err: unknown): boolean {
  const e = err as { code?: string; message?: string } | undefined;
  if (!e) return false;
  // 57P01-57P03: admin shutdown, crash shutdown, cannot connect now; 08xxx: connection exceptions.
  if (typeof e.code === 'string' && (/^08/.test(e.code) || /^57P0[123]$/.test(e.code))) return true;
  if (['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'ENOTFOUND', 'EHOSTUNREACH'].includes(e.code ?? '')) return true;
  return /Connection terminated|connection timeout|Client has encountered a connection error|not queryable/i.test(e.message ?? '');
}

export async function transaction<T>(pool: pg.Pool, work: (c: pg.PoolClient) => Promise<T>): Promise<T> {
  const { client, release } = await checkout(pool);
  let failure: unknown;
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (err) {
    failure = err;
    await client.query('ROLLBACK').catch(() => {});
    throw err;
  } finally {
    release(failure);
  }
}

class PgDedupe implements DedupeRepository {
  constructor(private readonly pool: pg.Pool) {}

  async claim(key: string, now: number, leaseMs: number): Promise<ClaimResult> {
    // Insert, or take over a claim whose worker died (not done, older than the lease): one statement, atomic.
    const won = await prepared(
      this.pool,
      'dedupe_claim',
      `INSERT INTO dedupe (key, claimed_at) VALUES ($1, $2)
       ON CONFLICT (key) DO UPDATE SET claimed_at = EXCLUDED.claimed_at
       WHERE dedupe.done_at IS NULL AND dedupe.claimed_at <= $3
       RETURNING key`,
      [key, now, now - leaseMs],
    );
    if (won.rowCount) return { status: 'new' };
    const row = (
      await prepared<{ done_at: string | null; outcome: CallbackOutcome | null }>(
        this.pool,
        'dedupe_get',
        'SELECT done_at, outcome FROM dedupe WHERE key = $1',
        [key],
      )
    ).rows[0];
    return row?.done_at != null ? { status: 'done', outcome: row.outcome ?? {} } : { status: 'in_progress' };
  }

  async complete(key: string, outcome: CallbackOutcome, now: number): Promise<void> {
    await prepared(
      this.pool,
      'dedupe_complete',
      `INSERT INTO dedupe (key, claimed_at, done_at, outcome) VALUES ($1, $2, $2, $3)
       ON CONFLICT (key) DO UPDATE SET done_at = $2, outcome = $3`,
      [key, now, outcome],
    );
  }

  async prune(before: number): Promise<number> {
    return (await this.pool.query('DELETE FROM dedupe WHERE claimed_at < $1', [before])).rowCount ?? 0;
  }
}

interface DeliveryRow {
  job: string;
  target: string;
  status: Delivery['status'];
  attempts: number;
  parts_sent: number;
  claimed_at: string;
  claimed_by: string;
  sent_at: string | null;
  errcode: number | null;
  errmsg: string | null;
  forced_resends: number | null;
  updated_at: string;
  payload: Outgoing | null;
  retry_until: string | null;
  in_flight: boolean;
  maybe_delivered: boolean;
}

/** The arguments save_submission and save_submission_if share, in their order. */
function submissionArgs(input: Parameters<SubmissionRepository['save']>[0]): unknown[] {
  return [input.groupId, input.session, input.submittedBy, input.submittedAt, input.fields, input.idempotencyKey];
}

function toDelivery(r: DeliveryRow): Delivery {
  return {
    job: r.job,
    target: r.target,
    status: r.status,
    attempts: r.attempts,
    partsSent: r.parts_sent,
    claimedAt: Number(r.claimed_at),
    claimedBy: r.claimed_by,
    updatedAt: Number(r.updated_at),
    ...(r.sent_at != null ? { sentAt: Number(r.sent_at) } : {}),
    ...(r.errcode != null ? { errcode: r.errcode, errmsg: r.errmsg ?? '' } : {}),
    ...(r.forced_resends != null ? { forcedResends: r.forced_resends } : {}),
    // JSON columns are checked as lowdb's files are: a wrong shape is named, never used or rewritten.
    ...(r.payload != null ? { payload: checkStored(outgoingSchema, r.payload, `PostgreSQL deliveries.payload (${r.job} → ${r.target})`) as Outgoing } : {}),
    ...(r.retry_until != null ? { retryUntil: Number(r.retry_until) } : {}),
    ...(r.in_flight ? { inFlight: true } : {}),
    ...(r.maybe_delivered ? { maybeDelivered: true } : {}),
  };
}

class PgDeliveries implements DeliveryRepository {
  constructor(private readonly pool: pg.Pool) {}

  async claim(job: string, target: string, worker: string, now: number, leaseMs: number, options: ClaimOptions = {}): Promise<DeliveryClaim> {
    const force = options.force ?? false;
    const fresh = await this.pool.query<DeliveryRow>(
      `INSERT INTO deliveries (job, target, status, attempts, parts_sent, claimed_at, claimed_by, updated_at, payload, retry_until)
       VALUES ($1, $2, 'pending', 0, 0, $3, $4, $3, $5, $6) ON CONFLICT (job, target) DO NOTHING RETURNING *`,
      [job, target, now, worker, options.payload ?? null, options.retryUntil ?? null],
    );
    if (fresh.rows[0]) return { ok: true, delivery: toDelivery(fresh.rows[0]) };
    return transaction(this.pool, async (c) => {
      const row = (await c.query<DeliveryRow>('SELECT * FROM deliveries WHERE job = $1 AND target = $2 FOR UPDATE', [job, target])).rows[0]!;
      const d = toDelivery(row);
      if (d.status === 'sent' && !force) return { ok: false, reason: 'already_sent', delivery: d };
      if (d.status === 'pending' && now - d.claimedAt < leaseMs && d.claimedBy !== worker) return { ok: false, reason: 'in_progress', delivery: d };
      const resend = d.status === 'sent' && force;
      const updated = await c.query<DeliveryRow>(
        `UPDATE deliveries SET status = 'pending', attempts = $3, parts_sent = $4, claimed_at = $5, claimed_by = $6, updated_at = $5,
           forced_resends = $7, payload = COALESCE($8, payload), retry_until = COALESCE($9, retry_until), in_flight = in_flight AND NOT $10, maybe_delivered = maybe_delivered AND NOT $10
         WHERE job = $1 AND target = $2 RETURNING *`,
        [
          job,
          target,
          resend ? 0 : d.attempts,
          resend ? 0 : d.partsSent,
          now,
          worker,
          resend ? (d.forcedResends ?? 0) + 1 : (d.forcedResends ?? null),
          options.payload ?? null,
          options.retryUntil ?? null,
          resend,
        ],
      );
      return { ok: true, delivery: toDelivery(updated.rows[0]!) } as DeliveryClaim;
    });
  }

  async update(job: string, target: string, patch: Parameters<DeliveryRepository['update']>[2], now: number): Promise<void> {
    const sent = patch.status === 'sent';
    const r = await this.pool.query(
      `UPDATE deliveries SET status = COALESCE($3, status), attempts = COALESCE($4, attempts), parts_sent = COALESCE($5, parts_sent),
         sent_at = COALESCE($6, sent_at), errcode = CASE WHEN $9 THEN NULL ELSE COALESCE($7, errcode) END,
         errmsg = CASE WHEN $9 THEN NULL ELSE COALESCE($8, errmsg) END, updated_at = $10, retry_until = COALESCE($11, retry_until),
         in_flight = COALESCE($12, in_flight), maybe_delivered = CASE WHEN $9 THEN false ELSE COALESCE($13, maybe_delivered) END
       WHERE job = $1 AND target = $2`,
      [
        job,
        target,
        patch.status ?? null,
        patch.attempts ?? null,
        patch.partsSent ?? null,
        patch.sentAt ?? null,
        patch.errcode ?? null,
        patch.errmsg ?? null,
        sent,
        now,
        patch.retryUntil ?? null,
        patch.inFlight ?? null,
        patch.maybeDelivered ?? null,
      ],
    );
    if (!r.rowCount) throw new UnknownDeliveryError(job, target);
  }

  async get(job: string, target: string): Promise<Delivery | undefined> {
    const row = (await this.pool.query<DeliveryRow>('SELECT * FROM deliveries WHERE job = $1 AND target = $2', [job, target])).rows[0];
    return row && toDelivery(row);
  }

  async prune(jobPrefix: string, before: number): Promise<number> {
    const r = await this.pool.query("DELETE FROM deliveries WHERE status = 'sent' AND starts_with(job, $1) AND COALESCE(sent_at, updated_at) < $2", [
      jobPrefix,
      before,
    ]);
    return r.rowCount ?? 0;
  }

  async due(now: number, leaseMs: number): Promise<Delivery[]> {
    const rows = await this.pool.query<DeliveryRow>(
      `SELECT * FROM deliveries WHERE status <> 'sent' AND payload IS NOT NULL AND retry_until > $1 AND (status = 'failed' OR claimed_at <= $2)
       ORDER BY job COLLATE "C", target`,
      [now, now - leaseMs],
    );
    return rows.rows.map(toDelivery);
  }

  async list(jobPrefix = ''): Promise<Delivery[]> {
    const rows = (await this.pool.query<DeliveryRow>('SELECT * FROM deliveries WHERE starts_with(job, $1) ORDER BY updated_at DESC', [jobPrefix])).rows;
    return rows.map(toDelivery);
  }
}

class PgForms implements FormStateRepository {
  constructor(private readonly pool: pg.Pool) {}

  /**
   * A row of the wrong shape is moved aside, as lowdb moves a corrupt file: kept untouched under the key
   * "<user>#corrupt-<time>" ("#" is in no user id), so the user starts afresh and an operator can look at it.
   */
  async get(userId: string): Promise<FormState | undefined> {
    const row = (await prepared<{ state: unknown }>(this.pool, 'form_get', 'SELECT state FROM form_states WHERE user_id = $1', [userId])).rows[0];
    if (!row) return undefined;
    try {
      return checkStored(formStateSchema, row.state, `PostgreSQL form_states.state (user ${userId})`) as FormState;
    } catch (err) {
      const aside = `${userId}#corrupt-${new Date().toISOString()}`;
      await this.pool.query('UPDATE form_states SET user_id = $2 WHERE user_id = $1', [userId, aside]);
      throw new FormStateUnreadableError(userId, (err as Error).message, `PostgreSQL form_states row "${aside}"`, err);
    }
  }

  async put(userId: string, state: FormState, expectedRevision: number | undefined): Promise<boolean> {
    const revision = (expectedRevision ?? 0) + 1;
    const stored = { ...state, revision };
    const r =
      expectedRevision === undefined
        ? await prepared(this.pool, 'form_insert', 'INSERT INTO form_states (user_id, revision, state) VALUES ($1, $2, $3) ON CONFLICT (user_id) DO NOTHING', [
            userId,
            revision,
            stored,
          ])
        : await prepared(this.pool, 'form_update', 'UPDATE form_states SET revision = $2, state = $3 WHERE user_id = $1 AND revision = $4', [
            userId,
            revision,
            stored,
            expectedRevision,
          ]);
    return r.rowCount === 1;
  }

  async delete(userId: string): Promise<void> {
    await prepared(this.pool, 'form_delete', 'DELETE FROM form_states WHERE user_id = $1', [userId]);
  }
}

interface SubmissionRow {
  group_id: string;
  session: string;
  receipt: string;
  revision: number;
  submitted_by: string;
  submitted_at: string;
  fields: unknown;
  history: Submission['history'];
}

function toSubmission(r: SubmissionRow): Submission {
  const s = {
    receipt: r.receipt,
    groupId: r.group_id,
    session: r.session,
    revision: r.revision,
    submittedBy: r.submitted_by,
    submittedAt: Number(r.submitted_at),
    fields: r.fields,
    history: r.history,
  };
  return checkStored(submissionSchema, s, `PostgreSQL submissions (${r.group_id}, ${r.session})`) as Submission;
}

class PgSubmissions implements SubmissionRepository {
  constructor(private readonly pool: pg.Pool) {}

  async save(input: Parameters<SubmissionRepository['save']>[0]): Promise<Submission> {
    try {
      return await this.#save(input);
    } catch (err) {
      // Two first saves of one (group, session) at the same instant: the loser retries and becomes revision 2.
      if ((err as { code?: string }).code === '23505') return this.#save(input);
      throw err;
    }
  }

  /**
   * Two statements: a receipt number for a record not there yet, bumped on its counter row in a statement of its own
   * so saves of different groups for one session never wait on each other's commit; then save_submission (migration
   * 004), which does the rest in one round trip and one transaction.
   */
  async #save(input: Parameters<SubmissionRepository['save']>[0]): Promise<Submission> {
    const receipt = await this.#reserveReceipt(input);
    return this.#runSave('submission_save', 'SELECT * FROM save_submission($1, $2, $3, $4, $5, $6, $7)', [...submissionArgs(input), receipt]);
  }

  /** A receipt number for a record not there yet (null when it is: the save then keeps the record's own). */
  async #reserveReceipt(input: Parameters<SubmissionRepository['save']>[0]): Promise<string | null> {
    const last = (
      await prepared<{ last: number }>(
        this.pool,
        'receipt_reserve',
        `INSERT INTO receipt_counters (session, last) SELECT $1, 1
         WHERE NOT EXISTS (SELECT 1 FROM submissions WHERE group_id = $2 AND session = $1)
         ON CONFLICT (session) DO UPDATE SET last = receipt_counters.last + 1 RETURNING last`,
        [input.session, input.groupId],
      )
    ).rows[0]?.last;
    return last === undefined ? null : receiptOf(input.session, last);
  }

  /** Runs one of the saving functions (migrations 004, 007 and 009) and reads the record it returns. */
  async #runSave(name: string, sql: string, args: unknown[]): Promise<Submission> {
    return toSubmission((await prepared<SubmissionRow>(this.pool, name, sql, args)).rows[0]!);
  }

  /** `save` through save_submission_if (migrations 007, 009): refused with SB409 when the record is not at `expectedRevision`. */
  async saveIfRevision(
    input: Parameters<SubmissionRepository['save']>[0],
    expectedRevision: number,
  ): Promise<{ saved: Submission } | { conflict: Submission | undefined }> {
    for (let attempt = 0; ; attempt++) {
      try {
        return { saved: await this.#saveIf(input, expectedRevision) };
      } catch (err) {
        const code = (err as { code?: string }).code;
        if (code === 'SB409') return { conflict: await this.get(input.groupId, input.session) };
        // A first save racing an unconditional save (which takes no lock): the loser tries again and gets SB409.
        if (code === '23505' && attempt === 0) continue;
        throw err;
      }
    }
  }

  async #saveIf(input: Parameters<SubmissionRepository['save']>[0], expectedRevision: number): Promise<Submission> {
    const receipt = expectedRevision === 0 ? await this.#reserveReceipt(input) : null;
    return this.#runSave('submission_save_if', 'SELECT * FROM save_submission_if($1, $2, $3, $4, $5, $6, $7, $8)', [
      expectedRevision,
      ...submissionArgs(input),
      receipt,
    ]);
  }

  async get(groupId: string, session: string): Promise<Submission | undefined> {
    const row = (await this.pool.query<SubmissionRow>('SELECT * FROM submissions WHERE group_id = $1 AND session = $2', [groupId, session])).rows[0];
    return row && toSubmission(row);
  }

  async list(filter: { groupIds?: string[]; sessions?: string[] } = {}): Promise<Submission[]> {
    const rows = (
      await this.pool.query<SubmissionRow>(
        `SELECT * FROM submissions WHERE ($1::text[] IS NULL OR group_id = ANY($1)) AND ($2::text[] IS NULL OR session = ANY($2))
         ORDER BY session DESC, group_id`,
        [filter.groupIds ?? null, filter.sessions ?? null],
      )
    ).rows;
    return rows.map(toSubmission);
  }
}

/** Marks in one table, each until it lapses. */
class PgMarks implements SharedMarks {
  constructor(private readonly pool: pg.Pool) {}

  async mark(key: string, until: number): Promise<void> {
    await this.pool.query(
      'INSERT INTO shared_marks (key, until) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET until = GREATEST(shared_marks.until, EXCLUDED.until)',
      [key, until],
    );
  }

  async has(key: string, now: number): Promise<boolean> {
    return ((await this.pool.query('SELECT 1 FROM shared_marks WHERE key = $1 AND until > $2', [key, now])).rowCount ?? 0) > 0;
  }

  async prune(before: number): Promise<number> {
    return (await this.pool.query('DELETE FROM shared_marks WHERE until <= $1', [before])).rowCount ?? 0;
  }
}

/** Open streams' latest frames, one row per stream, replaced as a whole by the instance producing the answer. */
class PgStreamFrames implements StreamFrameRepository {
  constructor(private readonly pool: pg.Pool) {}

  async put(f: StoredStreamFrame): Promise<void> {
    await this.pool.query(
      `INSERT INTO stream_frames (id, user_id, chat, content, finished, expires_at) VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (id) DO UPDATE SET content = EXCLUDED.content, finished = EXCLUDED.finished, expires_at = EXCLUDED.expires_at`,
      [f.id, f.userId, f.chat, f.content, f.finished, f.expiresAt],
    );
  }

  async get(id: string, userId: string, chat: string, now: number): Promise<StoredStreamFrame | undefined> {
    const r = await this.pool.query<{ content: string; finished: boolean; expires_at: string }>(
      'SELECT content, finished, expires_at FROM stream_frames WHERE id = $1 AND user_id = $2 AND chat = $3 AND expires_at > $4',
      [id, userId, chat, now],
    );
    const row = r.rows[0];
    return row ? { id, userId, chat, content: row.content, finished: row.finished, expiresAt: Number(row.expires_at) } : undefined;
  }

  async delete(id: string): Promise<void> {
    await this.pool.query('DELETE FROM stream_frames WHERE id = $1', [id]);
  }

  async prune(now: number): Promise<number> {
    return (await this.pool.query('DELETE FROM stream_frames WHERE expires_at <= $1', [now])).rowCount ?? 0;
  }
}

/** Each user's conversation memory, one row, replaced as a whole (the bot merges its own changes). */
class PgConversations implements ConversationRepository {
  constructor(private readonly pool: pg.Pool) {}

  async get(userId: string): Promise<{ state: Record<string, unknown>; at: number } | undefined> {
    const r = await this.pool.query<{ state: Record<string, unknown>; at: string }>('SELECT state, at FROM conversation_memory WHERE user_id = $1', [userId]);
    const row = r.rows[0];
    return row ? { state: row.state, at: Number(row.at) } : undefined;
  }

  async put(userId: string, state: Record<string, unknown>, at: number): Promise<void> {
    await this.pool.query(
      'INSERT INTO conversation_memory (user_id, state, at) VALUES ($1, $2, $3) ON CONFLICT (user_id) DO UPDATE SET state = EXCLUDED.state, at = EXCLUDED.at',
      [userId, JSON.stringify(state), at],
    );
  }

  async delete(userId: string): Promise<void> {
    await this.pool.query('DELETE FROM conversation_memory WHERE user_id = $1', [userId]);
  }
}

/** The access token in the database; fetches are serialised across instances by an advisory lock per app. */
class PgTokenCache implements TokenStore {
  constructor(
    private readonly pool: pg.Pool,
    private readonly app: string,
  ) {}

  async get(): Promise<StoredToken | undefined> {
    const row = (await this.pool.query<{ token: string; expires_at: string }>('SELECT token, expires_at FROM access_tokens WHERE app = $1', [this.app]))
      .rows[0];
    return row && { token: row.token, expiresAt: Number(row.expires_at) };
  }

  async set(t: StoredToken): Promise<void> {
    await this.pool.query(
      'INSERT INTO access_tokens (app, token, expires_at) VALUES ($1, $2, $3) ON CONFLICT (app) DO UPDATE SET token = $2, expires_at = $3',
      [this.app, t.token, t.expiresAt],
    );
  }

  async clear(token: string): Promise<void> {
    await this.pool.query('DELETE FROM access_tokens WHERE app = $1 AND token = $2', [this.app, token]);
  }

  async exclusive<T>(work: () => Promise<T>): Promise<T> {
    // Held across a call to WeCom: the likeliest moment for the server to drop it; checkout() keeps that survivable.
    const { client, release } = await checkout(this.pool);
    let failure: unknown;
    try {
      await client.query('SELECT pg_advisory_lock(hashtext($1))', [`token:${this.app}`]);
      return await work();
    } catch (err) {
      failure = err;
      throw err;
    } finally {
      await client.query('SELECT pg_advisory_unlock(hashtext($1))', [`token:${this.app}`]).catch(() => {});
      release(failure);
    }
  }
}

class PgPlanImports implements PlanImportRepository {
  constructor(private readonly pool: pg.Pool) {}

  async list(): Promise<PlanImport[]> {
    const r = await this.pool.query<{ body: PlanImport }>('SELECT body FROM plan_imports ORDER BY imported_at, id');
    return r.rows.map((row) => row.body);
  }

  async add(p: PlanImport): Promise<boolean> {
    const r = await this.pool.query('INSERT INTO plan_imports (id, body, imported_at) VALUES ($1, $2, $3) ON CONFLICT (id) DO NOTHING', [
      p.id,
      JSON.stringify(p),
      p.importedAt,
    ]);
    return r.rowCount === 1;
  }

  async withdraw(id: string, by: string, at: number): Promise<boolean> {
    const r = await this.pool.query(
      `UPDATE plan_imports SET withdrawn_at = $3, body = body || jsonb_build_object('withdrawnBy', $2::text, 'withdrawnAt', $3::bigint)
       WHERE id = $1 AND withdrawn_at IS NULL`,
      [id, by, at],
    );
    return r.rowCount === 1;
  }
}
