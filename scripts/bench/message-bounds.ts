/**
 * Work per message (issue 23): npx tsx scripts/bench/message-bounds.ts [rounds=3] [--lowdb]
 *
 * The real app (live mode against the simulated WeCom on loopback; the in-memory store, or with --lowdb a lowdb
 * folder, whose db.json grows with every delivery of the run and so adds its own growing cost) gets floods of
 * questions of growing length through the encrypted callback, each from a user of its own. For each shape and length:
 * the message/send calls it caused (counted by the simulator), the bytes sent, the time until every reply was sent,
 * and the longest event-loop stall meanwhile (median of `rounds`). `perKChar` is the time per 1,000 characters as a
 * ratio to the shortest length of the same shape: flat or falling means linear (or better). The baseline is one
 * ordinary question (第四十七条) in the same run.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import pino from 'pino';
import { buildApp } from '../../src/app.ts';
import { MESSAGE_LIMITS } from '../../src/bot/limits.ts';
import { ManualClock } from '../../src/clock.ts';
import { loadConfig } from '../../src/config.ts';
import { createLogger } from '../../src/logger.ts';
import { LowdbStore } from '../../src/storage/lowdb-store.ts';
import { utf8Length } from '../../src/utf8-text.ts';
import { WeComSimulator } from '../../src/wecom/simulator.ts';
import { TEST_CREDENTIALS } from '../../test/helpers/fake-wecom.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const ROUNDS = Number(process.argv.slice(2).find((a) => /^\d+$/.test(a)) ?? 3);
const LOWDB = process.argv.includes('--lowdb');
const fill = (piece: (i: number) => string) => (chars: number) => {
  let s = '';
  for (let i = 0; s.length < chars; i++) s += piece(i);
  return s.slice(0, chars);
};
const SHAPES: Record<string, (chars: number) => string> = {
  'review: 第1-10条， repeated': fill(() => '第1-10条，'),
  'distinct ranges': fill((i) => `第${(i % 59) + 1}-${(i % 59) + 10}条，`),
  'articles, one per sentence': fill((i) => `第${(i % 69) + 1}条是什么？`),
  'schedule questions': fill((i) => ['9月20日学什么？', '学习主题是什么？', `第${(i % 18) + 1}周有什么安排？`][i % 3]!),
  'one long sentence': fill(() => '高等学校应当加强思想政治教育和教师队伍建设'),
  'nothing to answer': fill((i) => `火星${i}号的天气怎么样？`),
};
const LENGTHS = [500, 1000, 2000, MESSAGE_LIMITS.maxTextChars];
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

const clock = new ManualClock(Date.parse('2016-09-21T02:00:00Z'));
const sim = new WeComSimulator({ ...TEST_CREDENTIALS, clock });
const apiBase = await sim.start();
const config = loadConfig({
  WECOM_CORP_ID: TEST_CREDENTIALS.corpId,
  WECOM_AGENT_ID: TEST_CREDENTIALS.agentId,
  WECOM_SECRET: TEST_CREDENTIALS.secret,
  WECOM_TOKEN: TEST_CREDENTIALS.token,
  WECOM_ENCODING_AES_KEY: TEST_CREDENTIALS.encodingAesKey,
  WECOM_API_BASE: apiBase,
  CONTENT_DIR: path.join(ROOT, 'content'),
});
const store = LOWDB ? await LowdbStore.open(mkdtempSync(path.join(tmpdir(), 'bench-bounds-'))) : await LowdbStore.memory();
const built = await buildApp(config, { clock, store, logger: createLogger('silent', pino.destination('/dev/null')) });
let user = 0;

async function measure(text: string) {
  const to = `bench-${++user}`;
  const before = sim.deliveries.length;
  const stall = monitorEventLoopDelay({ resolution: 1 });
  stall.enable();
  const started = performance.now();
  await built.wecomSide.sendText(to, text);
  await built.bot.idle();
  const ms = performance.now() - started;
  stall.disable();
  const sent = sim.deliveries.slice(before);
  return { ms, stallMs: stall.max / 1e6, sends: sent.length, bytes: sent.reduce((s, d) => s + utf8Length(d.text ?? ''), 0) };
}

const runs = (make: () => string) =>
  Promise.all([]).then(async () => {
    const rs = [];
    for (let r = 0; r < ROUNDS; r++) rs.push(await measure(make()));
    return {
      ms: median(rs.map((x) => x.ms)),
      stallMs: median(rs.map((x) => x.stallMs)),
      sends: Math.max(...rs.map((x) => x.sends)),
      bytes: Math.max(...rs.map((x) => x.bytes)),
    };
  });

await runs(() => '帮助'); // warm-up: the access token, the JIT
const baseline = await runs(() => '第四十七条');
console.log(JSON.stringify({ store: store.kind, limits: MESSAGE_LIMITS, baseline: { ms: +baseline.ms.toFixed(1), sends: baseline.sends } }));
for (const [shape, make] of Object.entries(SHAPES)) {
  let first: number | undefined;
  const row: Record<string, unknown>[] = [];
  for (const chars of LENGTHS) {
    const r = await runs(() => make(chars));
    const perK = r.ms / (chars / 1000);
    first ??= perK;
    row.push({
      chars,
      sends: r.sends,
      bytes: r.bytes,
      ms: +r.ms.toFixed(1),
      xBaseline: +(r.ms / baseline.ms).toFixed(1),
      stallMs: +r.stallMs.toFixed(1),
      perKChar: +(perK / first).toFixed(2),
    });
  }
  // 16 KB (the review's 15.6 KB): over the text limit, declined whole.
  const big = await runs(() => make(16_000 / 3));
  row.push({ bytesIn: utf8Length(make(16_000 / 3)), sends: big.sends, ms: +big.ms.toFixed(1), stallMs: +big.stallMs.toFixed(1) });
  console.log(JSON.stringify({ shape, row }));
}
await built.app.close();
await sim.stop();
