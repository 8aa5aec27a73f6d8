/**
 * 智能机器人 stream frames shared through PostgreSQL (issue 22): what the table holds and how much is written.
 *   tsx scripts/bench/aibot-stream-frames.ts --postgres URL [--rounds 3] [--streams 30]
 * Two app instances in this process, each with its own store connection, on one fresh schema. Each round opens
 * `streams` streams of a long multi-question answer on A (the reply budget is 0 and the real handlers sit behind a
 * 5 ms wait, so every answer opens a stream); B answers WeCom's refreshes of half of them from the table; then WeCom's
 * 6-minute window passes and one callback reaches A. Reports, per round: frame writes (against replies, the baseline a
 * write per reply would make), rows and the table's size at the peak, the largest frame, rows left after, and the
 * table's size after a VACUUM (as autovacuum would run; a size that stops growing across rounds means space is reused).
 */
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import pg from 'pg';
import pino from 'pino';
import { buildApp } from '../../src/app.ts';
import { Composer } from '../../src/bot/composer.ts';
import { ManualClock } from '../../src/clock.ts';
import { createLogger } from '../../src/logger.ts';
import { PostgresStore } from '../../src/storage/postgres-store.ts';
import { realHandlers } from '../../test/helpers/content.ts';
import { groupChat, startAibotBench } from './aibot-bench-setup.ts';

const { values } = parseArgs({
  options: { postgres: { type: 'string' }, rounds: { type: 'string', default: '3' }, streams: { type: 'string', default: '30' } },
});
if (!values.postgres) throw new Error('--postgres URL is required (scripts/ci/postgres.sh start exports DATABASE_URL_TEST)');
const URL_ = values.postgres;
const ROUNDS = Number(values.rounds);
const STREAMS = Number(values.streams);

const clock = new ManualClock(Date.parse('2016-09-14T02:00:00Z'));
const { sim, config } = await startAibotBench(clock);
const schema = `bench_${randomBytes(5).toString('hex')}`;
let writes = 0;
let replies = 0;
const instance = async (counting: boolean) => {
  const store = await PostgresStore.open(URL_, { schema });
  if (counting) {
    const put = store.streamFrames.put.bind(store.streamFrames);
    store.streamFrames.put = (f) => (writes++, put(f));
  }
  const handlers = new Composer()
    .use(async (ctx, next) => {
      await new Promise((r) => setTimeout(r, 5));
      const reply = ctx.reply.bind(ctx);
      ctx.reply = (r) => (replies++, reply(r));
      return next();
    })
    .use(await realHandlers(clock))
    .middleware();
  return buildApp(config, { clock, logger: createLogger('silent', pino.destination('/dev/null')), store, handlers });
};
const a = await instance(true);
const b = await instance(false);
const QUESTION = '@学习助手 ' + Array.from({ length: 7 }, (_, i) => `第${i * 10 + 1}-${i * 10 + 10}条`).join('，');
const chat = groupChat(a.aibot!.transport, sim, QUESTION);
const ask = chat.ask;
const refreshOnB = (id: string, user: string, group: string) => chat.refresh(b.aibot!.transport, id, user, group);

const db = new pg.Client({ connectionString: URL_ });
await db.connect();
const table = async () => {
  const r = await db.query<{ rows: string; bytes: string; largest: string | null }>(
    `SELECT count(*) AS rows, pg_total_relation_size('${schema}.stream_frames') AS bytes, max(octet_length(content)) AS largest FROM ${schema}.stream_frames`,
  );
  return { rows: Number(r.rows[0]!.rows), kb: Math.round(Number(r.rows[0]!.bytes) / 1024), largest: Number(r.rows[0]!.largest ?? 0) };
};

const out: Array<Record<string, number>> = [];
for (let round = 1; round <= ROUNDS; round++) {
  writes = 0;
  replies = 0;
  const opened: Array<{ id: string; user: string; chat: string }> = [];
  for (let i = 0; i < STREAMS; i++) {
    const user = `u${i % 9}`;
    const chat = `C${i % 4}`;
    const id = ((await ask(user, chat)).reply as { stream?: { id: string; finish: boolean } } | undefined)?.stream;
    if (id && !id.finish) opened.push({ id: id.id, user, chat });
  }
  await a.bot.idle();
  let servedByB = 0;
  for (const [i, s] of opened.entries()) {
    if (i % 2) continue;
    const frame = (await refreshOnB(s.id, s.user, s.chat)).reply as { stream: { finish: boolean; content: string } };
    if (frame.stream.finish && !frame.stream.content.includes('过期')) servedByB++;
  }
  const peak = await table();
  clock.advance(6 * 60_000);
  await ask('sweeper', 'S');
  await a.bot.idle();
  const after = await table();
  // What autovacuum does in time (this run is too short for it): dead row versions freed for reuse.
  await db.query(`VACUUM ${schema}.stream_frames`);
  const vacuumed = await table();
  out.push({
    round,
    streams: opened.length,
    servedByB,
    replies,
    frameWrites: writes,
    writesPerReply: Math.round((writes / Math.max(replies, 1)) * 100) / 100,
    rowsAtPeak: peak.rows,
    tableKbAtPeak: peak.kb,
    largestFrameBytes: peak.largest,
    rowsAfterWindow: after.rows,
    tableKbAfterVacuum: vacuumed.kb,
  });
}
console.table(out);
await db.query(`DROP SCHEMA ${schema} CASCADE`);
await db.end();
await a.app.close();
await b.app.close();
await sim.stop();
