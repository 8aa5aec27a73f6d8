/**
 * Form submissions at scale: npm run bench:forms [-- --secretaries 200 --pace human|stress|both]
 * 200 secretaries fill in the discussion-record form at the same time through the callback endpoint (encrypted
 * callbacks into the real app and its store), with 0, 2,000 and 20,000 historical submissions already in the store
 * (spread over past months as years of use would leave them; up to 200,000 on PostgreSQL), in one run.
 * Two paces between a reply and the next message: "human", 1–3 s (still quicker than anyone types a place, a head
 * count or a summary: ~100 messages/s from 200 people), and "stress", 0.2–0.6 s (~450 messages/s, a capacity test:
 * on two shared cores it saturates the CPU, so its tail is queueing). Reports p50/p99 per form step and per final
 * submit, the messages per second, and the longest event-loop block.
 * On lowdb each case runs twice in the same run: the store as it is (lowdb's JSONFile, fsync before a write is
 * acknowledged) and, as the baseline, without the fsync: temp file + rename only, the I/O of the hand-written store
 * it replaced (--fsync on|off|both, default both).
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { FORM_SCRIPT } from './form-script.ts';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import pino from 'pino';
import { buildApp } from '../../src/app.ts';
import { ManualClock } from '../../src/clock.ts';
import { loadConfig } from '../../src/config.ts';
import { Content, loadContent } from '../../src/content/content.ts';
import { addDays } from '../../src/content/dates.ts';
import { createLogger } from '../../src/logger.ts';
import { LowdbStore } from '../../src/storage/lowdb-store.ts';
import type { Store, Submission } from '../../src/storage/ports.ts';
import { PostgresStore } from '../../src/storage/postgres-store.ts';

const { values } = parseArgs({
  options: {
    secretaries: { type: 'string', default: '200' },
    postgres: { type: 'string' },
    pace: { type: 'string', default: 'both' },
    fsync: { type: 'string', default: 'both' },
  },
});
const FSYNC = values.fsync === 'both' ? [false, true] : [values.fsync === 'on'];
const PACES = { human: [1000, 3000], stress: [200, 600] } as const;
type Pace = keyof typeof PACES;
const paces: Pace[] = values.pace === 'both' ? ['human', 'stress'] : [values.pace as Pace];
if (!paces.every((p) => p in PACES)) throw new Error('--pace: human, stress or both');
/** --postgres URL: the same bench on PostgreSQL (a fresh schema per run), history up to 200,000 records. */
const PG = values.postgres;
const N = Number(values.secretaries);
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const semester = await loadContent(path.join(ROOT, 'content'));
const groups = Array.from({ length: N }, (_, i) => ({
  id: `g${i + 1}`,
  name: `第${i + 1}学习组`,
  kind: (i % 2 ? 'student' : 'staff') as 'staff' | 'student',
  secretaries: [{ userId: `sec${i + 1}`, name: `记录员${i + 1}` }],
}));
const content = new Content(semester.plan, semester.schedule, semester.documents, { ...semester.broadcast, targets: [] }, { ...semester.roster, groups });
const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))] ?? 0;

/** Writes `count` past submissions before 2016-09 (500 a month, 50 groups × 10 sessions), as years of use would. */
function seedHistory(dir: string, count: number): void {
  const perMonth = 500;
  for (let m = 0; m * perMonth < count; m++) {
    const month = addDays('2016-08-01', -31 * m).slice(0, 7);
    const byGroup = new Map<string, Record<string, Submission>>();
    for (let i = 0; i < Math.min(perMonth, count - m * perMonth); i++) {
      const session = `${month}-${String((i % 10) + 1).padStart(2, '0')}`;
      const groupId = `g${(Math.floor(i / 10) % 50) + 1}`;
      const records = byGroup.get(groupId) ?? {};
      byGroup.set(groupId, records);
      records[`${groupId}|${session}`] = {
        receipt: `JL-${session.replace(/-/g, '')}-${String(i).padStart(3, '0')}`,
        groupId,
        session,
        revision: 1,
        submittedBy: 'someone',
        submittedAt: Date.parse(`${session}T12:00:00Z`),
        fields: { place: '会议室', attendees: { count: 12, names: [] }, summary: '历史记录。'.repeat(20) },
        history: [],
      };
    }
    mkdirSync(path.join(dir, 'submissions', month), { recursive: true });
    for (const [groupId, records] of byGroup)
      writeFileSync(path.join(dir, 'submissions', month, `${groupId}.json`), JSON.stringify({ records, idempotency: {} }));
  }
}

/**
 * `count` past records in the bench's schema (500 a month before September 2016), in one statement, with the receipt
 * counters they imply. Bench code, so it lives here and not in the store.
 */
async function seedPostgres(url: string, schema: string, count: number): Promise<void> {
  if (count <= 0) return;
  const db = new pg.Client({ connectionString: url, options: `-c search_path=${schema}` });
  await db.connect();
  try {
    await db.query(
      `INSERT INTO submissions (group_id, session, receipt, revision, submitted_by, submitted_at, fields, history)
       SELECT 'old-' || (i % 500), to_char(date '2016-08-01' - ((i / 500) * 31 || ' days')::interval + ((i % 500) / 50 || ' days')::interval, 'YYYY-MM-DD'),
              'OLD-' || i, 1, 'someone', 0, '{"summary": "历史记录"}'::jsonb, '[]'::jsonb
       FROM generate_series(0, $1 - 1) AS i ON CONFLICT DO NOTHING`,
      [count],
    );
    await db.query(
      'INSERT INTO receipt_counters (session, last) SELECT session, count(*) FROM submissions GROUP BY session ON CONFLICT (session) DO UPDATE SET last = EXCLUDED.last',
    );
    // A table in use has been vacuumed and analysed; a freshly bulk-loaded one would be, by autovacuum, during the run.
    await db.query('VACUUM ANALYZE submissions');
  } finally {
    await db.end();
  }
}

/** The schemas this run made on PostgreSQL, dropped at the end. */
const schemas: string[] = [];

async function openStore(history: number, fsync: boolean): Promise<Store> {
  if (PG) {
    schemas.push(`bench_${Date.now().toString(36)}`);
    const store = await PostgresStore.open(PG, { schema: schemas.at(-1), max: 20 });
    // History straight in SQL: `history` past records over the years before the semester.
    await seedPostgres(PG, schemas.at(-1)!, history);
    // A running service has its connections open: open the pool's 20 before the burst, as start-up traffic would.
    await Promise.all(Array.from({ length: 20 }, () => store.ping()));
    return store;
  }
  const dir = mkdtempSync(path.join(tmpdir(), 'bench-forms-'));
  seedHistory(dir, history);
  return LowdbStore.open(dir, { fsync });
}

async function run(history: number, pace: Pace, fsync = true) {
  const [minThink, maxThink] = PACES[pace];
  const clock = new ManualClock(Date.parse('2016-09-21T02:00:00Z'));
  const store = await openStore(history, fsync);
  const config = loadConfig({ DATA_DIR: mkdtempSync(path.join(tmpdir(), 'bench-forms-')) });
  const built = await buildApp(config, { clock, content, store, logger: createLogger('warn', pino.destination('/dev/null')) });
  const stepTimes: number[] = [];
  const submitTimes: number[] = [];
  let receipts = 0;
  const loop = monitorEventLoopDelay({ resolution: 5 });
  loop.enable();
  const started = performance.now();
  const script = FORM_SCRIPT;
  await Promise.all(
    groups.map(async (g, i) => {
      const user = g.secretaries[0]!.userId;
      await new Promise((r) => setTimeout(r, (i * 997) % maxThink));
      for (const [k, text] of script.entries()) {
        const started = performance.now();
        const r = await built.wecomSide.sendText(user, text);
        const ms = performance.now() - started;
        if (k === script.length - 1) {
          submitTimes.push(ms);
          if (r.passiveReply?.includes('回执编号')) receipts++;
        } else stepTimes.push(ms);
        await new Promise((res) => setTimeout(res, minThink + ((i * 7919 + k * 104729) % (maxThink - minThink))));
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  loop.disable();
  await built.app.close();
  return { history, pace, fsync, stepTimes, submitTimes, receipts, rate: (stepTimes.length + submitTimes.length) / seconds, maxBlockMs: loop.max / 1e6 };
}

if (!process.env.BENCH_ONE) await run(0, 'stress'); // warm-up (JIT), not reported
const results = [];
const histories = process.env.BENCH_ONE ? [20_000] : PG ? [0, 20_000, 200_000] : [0, 2_000, 20_000];
// On lowdb, with and without fsync one after the other for each case, so both see the same machine.
for (const pace of paces) for (const history of histories) for (const fsync of PG ? [true] : FSYNC) results.push(await run(history, pace, fsync));
console.log(`Discussion-record form, ${N} secretaries at once, ${PG ? 'PostgreSQL' : 'lowdb on disk'} (Node ${process.version})\n`);
console.log(
  '| pace | historical submissions | writes | messages/s | step p50 / p99 | submit p50 / p99 | receipts | longest event-loop block |\n|---|---:|---|---:|---:|---:|---:|---:|',
);
for (const r of results) {
  console.log(
    `| ${r.pace} | ${r.history} | ${PG ? 'PostgreSQL' : r.fsync ? 'JSONFile + fsync' : 'temp + rename (baseline)'} | ${r.rate.toFixed(0)} | ${pct(r.stepTimes, 50).toFixed(2)} / ${pct(r.stepTimes, 99).toFixed(2)} ms | ${pct(r.submitTimes, 50).toFixed(2)} / ${pct(r.submitTimes, 99).toFixed(2)} ms | ${r.receipts} of ${r.submitTimes.length} | ${r.maxBlockMs.toFixed(1)} ms |`,
  );
}
if (PG) {
  const db = new pg.Client(PG);
  await db.connect();
  for (const schema of schemas) await db.query(`DROP SCHEMA ${schema} CASCADE`);
  await db.end();
}
console.log('\ntargets: submit p99 ≤ 15 ms, event-loop block ≤ 20 ms, no growth with history');
