/**
 * Callback benchmark: npm run bench:callback [-- --duration 10 --connections 50]
 * In one run on one machine: bare Fastify hello-world (baseline), bare Fastify POST echo of the same sizes,
 * GET /healthz, and encrypted POST /wecom/callback
 * text messages (each a distinct MsgId, answered by an encrypted passive reply). Servers run in their own
 * processes; prints requests/s, p50/p99 latency and the callback/hello-world throughput ratio.
 */
import type autocannon from 'autocannon';
import { parseArgs } from 'node:util';
import { systemClock } from '../../src/clock.ts';
import { AibotCodec } from '../../src/wecom/aibot/codec.ts';
import { CallbackCodec } from '../../src/wecom/callback-codec.ts';
import { CallbackSender } from '../../src/wecom/callback-sender.ts';
import { BENCH_CREDENTIALS } from './credentials.ts';
import { runLoad, startTarget, table, type LoadResult } from './load.ts';

const { values } = parseArgs({
  options: { duration: { type: 'string', default: '10' }, connections: { type: 'string', default: '50' }, postgres: { type: 'string' } },
});
const duration = Number(values.duration);
const connections = Number(values.connections);

const results: LoadResult[] = [];
const hello = await startTarget('hello');
await runLoad('warm-up', { url: `http://127.0.0.1:${hello.port}/`, connections, duration: 2 });
results.push(await runLoad('bare Fastify hello-world', { url: `http://127.0.0.1:${hello.port}/`, connections, duration }));
await hello.stop();

// Bare Fastify answering a POST of the same size with a reply of the same size: what HTTP alone costs here.
const post = await startTarget('post');
const body600 = 'x'.repeat(600);
results.push(
  await runLoad('bare Fastify POST echo (same sizes)', {
    url: `http://127.0.0.1:${post.port}/wecom/callback`,
    connections,
    duration,
    requests: [{ method: 'POST', body: body600, headers: { 'content-type': 'text/xml' } }],
  }),
);
await post.stop();

const bot = await startTarget('bot');
const base = `http://127.0.0.1:${bot.port}`;
await runLoad('warm-up', { url: `${base}/healthz`, connections, duration: 2 });
results.push(await runLoad('GET /healthz', { url: `${base}/healthz`, connections, duration }));

// Pre-encrypt distinct messages (as WeCom would send them) so the load generator only picks the next one.
const { corpId, agentId, token, encodingAesKey } = BENCH_CREDENTIALS;
const codec = new CallbackCodec({ token, encodingAesKey, corpId, clock: systemClock, timestampWindowSec: 300 });
const wecom = new CallbackSender(codec, corpId, agentId, async () => ({ status: 0, body: '' }));
// Enough distinct messages that none repeats (a repeat would measure the dedupe path instead).
const pool = Array.from({ length: (values.postgres ? 60_000 : 40_000) * Math.max(1, duration / 10) }, (_, i) => {
  const { query, body } = codec.sealInbound(wecom.textXml(`user${i % 500}`, '帮助'), agentId);
  return { path: `/wecom/callback?${new URLSearchParams(query)}`, body };
});
let next = 0;
let passive = 0;
/** An autocannon request that posts the pool's messages in turn; `answered` sees each 200's body. */
function postFrom(
  messages: Array<{ path: string; body: string }>,
  take: () => number,
  contentType: string,
  answered: (body: string) => unknown,
): autocannon.Request {
  return {
    method: 'POST',
    headers: { 'content-type': contentType },
    setupRequest: (req) => {
      const r = messages[take() % messages.length]!;
      return { ...req, method: 'POST', path: r.path, body: r.body };
    },
    onResponse: (status: number, body: string) => {
      if (status === 200) answered(body);
    },
  };
}
/** Distinct encrypted text messages against one or several instances (round robin, as a load balancer would). */
const callbackLoad = (name: string, bases: string[]) => {
  const perBase = Math.ceil(connections / bases.length);
  return Promise.all(
    bases.map((b) =>
      runLoad(name, {
        url: b,
        connections: perBase,
        duration,
        requests: [
          postFrom(
            pool,
            () => next++,
            'text/xml',
            (body) => body.includes('<Encrypt>') && void passive++,
          ),
        ],
      }),
    ),
  ).then((rs) => ({
    name,
    requests: rs.reduce((a, r) => a + r.requests, 0),
    rps: rs.reduce((a, r) => a + r.rps, 0),
    p50: Math.max(...rs.map((r) => r.p50)),
    p99: Math.max(...rs.map((r) => r.p99)),
    errors: rs.reduce((a, r) => a + r.errors, 0),
    non2xx: rs.reduce((a, r) => a + r.non2xx, 0),
  }));
};
// The floor: a minimal correct callback server (bare Fastify and @wecom/crypto) on the same encrypted messages.
const floor = await startTarget('floor');
const floorResult = await callbackLoad('floor: bare Fastify + @wecom/crypto (verify, decrypt, encrypted reply)', [`http://127.0.0.1:${floor.port}`]);
results.push(floorResult);
await floor.stop();
passive = 0;
next = 0;

const callback = await callbackLoad('POST /wecom/callback (text → passive reply), lowdb', [base]);
results.push(callback);
const passiveLowdb = passive;
const usedLowdb = next;

// The 智能机器人's route the same way: distinct group @-mentions, each answered with one finished stream frame.
const aibotCodec = new AibotCodec({
  token: BENCH_CREDENTIALS.aibotToken,
  encodingAesKey: BENCH_CREDENTIALS.aibotEncodingAesKey,
  clock: systemClock,
  timestampWindowSec: 300,
});
const aibotPool = Array.from({ length: 40_000 * Math.max(1, duration / 10) }, (_, i) => {
  const { query, body } = aibotCodec.sealInbound({
    msgid: `bench-${i}`,
    aibotid: 'BENCH',
    chatid: 'benchchat',
    chattype: 'group',
    from: { userid: `user${i % 500}` },
    msgtype: 'text',
    text: { content: '@学习助手 帮助' },
  });
  return { path: `/wecom/aibot?${new URLSearchParams(query)}`, body };
});
let aibotNext = 0;
let frames = 0;
const aibot = await runLoad('POST /wecom/aibot (group @-mention → stream frame), lowdb', {
  url: base,
  connections,
  duration,
  requests: [
    postFrom(
      aibotPool,
      () => aibotNext++,
      'application/json',
      (body) => body.includes('msgsignature') && void frames++,
    ),
  ],
});
results.push(aibot);
await bot.stop();

if (values.postgres) {
  // The same on PostgreSQL: one instance, then two instances sharing the database (connections split between them).
  const env = { BENCH_DATABASE_URL: values.postgres };
  const one = await startTarget('bot', env);
  await runLoad('warm-up', { url: `http://127.0.0.1:${one.port}/healthz`, connections, duration: 2 });
  results.push(await callbackLoad('POST /wecom/callback, PostgreSQL, 1 instance', [`http://127.0.0.1:${one.port}`]));
  const two = await startTarget('bot', env);
  results.push(await callbackLoad('POST /wecom/callback, PostgreSQL, 2 instances', [`http://127.0.0.1:${one.port}`, `http://127.0.0.1:${two.port}`]));
  await Promise.all([one.stop(), two.stop()]);
}

const ratio = callback.rps / results[0]!.rps;
console.log(`\nCallback benchmark: ${connections} connections, ${duration} s per case, Node ${process.version}\n`);
console.log(table(results));
console.log(`\ncallback / hello-world throughput: ${(ratio * 100).toFixed(1)}%  (target ≥ 25%)`);
console.log(`callback / floor (bare Fastify + @wecom/crypto) throughput: ${((callback.rps / floorResult.rps) * 100).toFixed(1)}%`);
console.log(`callback p99: ${callback.p99} ms  (target ≤ 20 ms at 50 connections)`);
console.log(
  `智能机器人 / hello-world throughput: ${((aibot.rps / results[0]!.rps) * 100).toFixed(1)}%, p99 ${aibot.p99} ms; stream frames: ${frames} of ${aibot.requests}`,
);
console.log(
  `passive replies (lowdb case): ${passiveLowdb} of ${callback.requests} callbacks; distinct messages used in all cases: ${next} (pool ${pool.length}${next > pool.length ? ', some repeated' : ''}); lowdb case used ${usedLowdb}`,
);
