/**
 * Where a callback's time goes: npm run bench:stages
 * Runs each stage of the callback path in isolation, N times, in one process, and prints µs per call
 * (with the cost of a bare SHA-1 and a bare AES context as the floor this machine sets).
 */
import { createDecipheriv, createHash } from 'node:crypto';
import pino from 'pino';
import { buildApp } from '../../src/app.ts';
import { systemClock } from '../../src/clock.ts';
import { loadConfig } from '../../src/config.ts';
import { createLogger } from '../../src/logger.ts';
import { LowdbStore } from '../../src/storage/lowdb-store.ts';
import { CallbackCodec } from '../../src/wecom/callback-codec.ts';
import { CallbackSender } from '../../src/wecom/callback-sender.ts';
import { parseInboundMessage } from '../../src/wecom/messages.ts';
import { BENCH_CREDENTIALS } from './credentials.ts';

const { corpId, agentId, token, encodingAesKey, secret } = BENCH_CREDENTIALS;
const N = 20_000;
const codec = new CallbackCodec({ token, encodingAesKey, corpId, clock: systemClock, timestampWindowSec: 300 });
const wecom = new CallbackSender(codec, corpId, agentId, async () => ({ status: 0, body: '' }));
const pool = Array.from({ length: N }, (_, i) => codec.sealInbound(wecom.textXml(`user${i % 500}`, '帮助'), agentId));
const config = loadConfig({ WECOM_CORP_ID: corpId, WECOM_AGENT_ID: agentId, WECOM_SECRET: secret, WECOM_TOKEN: token, WECOM_ENCODING_AES_KEY: encodingAesKey });
const logger = createLogger('info', pino.destination({ dest: '/dev/null', sync: true }));
const { appTransport } = await buildApp(config, { logger, store: await LowdbStore.memory() });

const rows: Array<[string, number]> = [];
async function time(name: string, f: (i: number) => unknown) {
  const t = performance.now();
  for (let i = 0; i < N; i++) await f(i);
  rows.push([name, ((performance.now() - t) / N) * 1000]);
}
const key = Buffer.from(`${encodingAesKey}=`, 'base64');
const inners = pool.map((p) => codec.openMessage(p.query, p.body));
const messages = inners.map(parseInboundMessage);
const results: Array<{ passiveReplyXml?: string }> = [];
await time('floor: SHA-1 of the ciphertext', (i) => createHash('sha1').update(pool[i]!.body).digest('hex'));
await time('floor: AES-256-CBC context', () => createDecipheriv('aes-256-cbc', key, key.subarray(0, 16)));
await time('verify + decrypt (openMessage)', (i) => codec.openMessage(pool[i]!.query, pool[i]!.body));
await time('parse inner message', (i) => parseInboundMessage(inners[i]!));
await time('appTransport.receive (dedupe, handlers)', async (i) => results.push(await appTransport.receive(messages[i]!)));
await time('encrypt + sign reply (sealReply)', (i) => codec.sealReply(results[i]!.passiveReplyXml!));
await time('callback log line', () =>
  logger.info({ key: 'msg:1', type: 'text', user: 'u', text: '帮助', handler: 'help', durationMs: 1, reply: 'passive' }, 'callback'),
);
console.log(`Callback stages, ${N} runs each, Node ${process.version}\n`);
console.log('| stage | µs per call |\n|---|---:|');
for (const [name, us] of rows) console.log(`| ${name} | ${us.toFixed(1)} |`);
console.log(
  `| total of our stages | ${rows
    .slice(2)
    .reduce((a, [, us]) => a + us, 0)
    .toFixed(1)} |`,
);
