/**
 * 智能机器人 stream memory (issue 23: 27 streams of long multi-question answers took the heap from 58 to 348 MB and it
 * stayed at 183 MB; 2,143 finished streams were never freed):
 *   node --expose-gc --import tsx scripts/bench/aibot-streams.ts [--rounds 6] [--streams 30] [--repeat 1]
 * The real app and handlers (behind a 5 ms wait, so every answer opens a stream), in this process, against the simulated WeCom on loopback. Each round opens `streams`
 * streams of a long multi-question message (a slow answer: the reply budget is 0, so every one is a stream), lets
 * WeCom refresh half of them to the end (the other half are never refreshed again: a client gone), then the clock
 * passes WeCom's 6-minute window. Reports the heap after a forced GC: before any stream (the baseline), at the peak of
 * each round (its streams alive) and after its window, with the live-stream count; ratios are against the baseline.
 */
import { parseArgs } from 'node:util';
import pino from 'pino';
import { buildApp } from '../../src/app.ts';
import { Composer } from '../../src/bot/composer.ts';
import { realHandlers } from '../../test/helpers/content.ts';
import { ManualClock } from '../../src/clock.ts';
import { createLogger } from '../../src/logger.ts';
import { LowdbStore } from '../../src/storage/lowdb-store.ts';
import { groupChat, startAibotBench } from './aibot-bench-setup.ts';

const { values } = parseArgs({
  options: { rounds: { type: 'string', default: '6' }, streams: { type: 'string', default: '30' }, repeat: { type: 'string', default: '1' } },
});
const ROUNDS = Number(values.rounds);
const STREAMS = Number(values.streams);
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with node --expose-gc --import tsx');

const clock = new ManualClock(Date.parse('2016-09-14T02:00:00Z'));
const { sim, config } = await startAibotBench(clock);
// The real handlers behind a short wait, so every answer is slower than the budget and opens a stream, as the review's
// long answers did on a loaded machine.
const slow = new Composer()
  .use(async (_ctx, next) => {
    await new Promise((r) => setTimeout(r, 5));
    return next();
  })
  .use(await realHandlers(clock))
  .middleware();
const built = await buildApp(config, {
  clock,
  logger: createLogger('silent', pino.destination('/dev/null')),
  store: await LowdbStore.memory(),
  handlers: slow,
});
const transport = built.aibot!.transport;
// A long multi-question message: every article of a law asked for in ranges, several times over.
// `repeat` times over (a longer message, as in the review's; per-message limits may cap how much of it is answered).
const QUESTION = '@学习助手 ' + Array.from({ length: 7 * Number(values.repeat) }, (_, i) => `第${(i % 7) * 10 + 1}-${(i % 7) * 10 + 10}条`).join('，');

const chat = groupChat(transport, sim, QUESTION);
const ask = chat.ask;
const refresh = (id: string, user: string, group: string) => chat.refresh(transport, id, user, group);

const heapMb = () => {
  gc();
  gc();
  return Math.round(process.memoryUsage().heapUsed / 1e5) / 10;
};

// Warm-up: one question answered, so code and content are loaded before the baseline.
await ask('warm', 'W');
await built.bot.idle();
clock.advance(6 * 60_000 + 1);
await ask('warm', 'W');
await built.bot.idle();
const baseline = heapMb();
const rows: Array<Record<string, number>> = [];
let answerBytes = 0;
let responseUrlPosts = 0;
for (let round = 1; round <= ROUNDS; round++) {
  const opened: Array<{ id: string; user: string; chat: string }> = [];
  for (let i = 0; i < STREAMS; i++) {
    const user = `u${i % 9}`;
    const chat = `C${i % 4}`;
    const r = await ask(user, chat);
    const id = (r.reply as { stream?: { id: string } } | undefined)?.stream?.id;
    if (id) opened.push({ id, user, chat });
  }
  await built.bot.idle();
  for (const [i, s] of opened.entries()) {
    if (i % 2) continue;
    const frame = (await refresh(s.id, s.user, s.chat)).reply as { stream: { content: string } };
    answerBytes = Math.max(answerBytes, Buffer.byteLength(frame.stream.content));
  }
  await built.bot.idle();
  const peak = heapMb();
  const liveAtPeak = transport.liveStreams;
  clock.advance(6 * 60_000);
  await ask('sweeper', 'S'); // any callback sweeps what is past the window
  await built.bot.idle();
  // The simulated WeCom keeps every message it was sent (it is a test double in this process): counted, then dropped,
  // so the heap measures the service alone.
  responseUrlPosts += sim.deliveries.filter((d) => d.api === 'aibot/response').length;
  sim.deliveries.length = 0;
  const after = heapMb();
  rows.push({
    round,
    streams: opened.length,
    liveAtPeak,
    peakMb: peak,
    liveAfter: transport.liveStreams,
    afterMb: after,
    afterVsBaseline: Math.round((after / baseline) * 100) / 100,
  });
}
console.log(JSON.stringify({ baselineMb: baseline, questionChars: QUESTION.length, largestFrameBytes: answerBytes, responseUrlPosts }));
console.table(rows);
await built.app.close();
await sim.stop();
