/**
 * A server under benchmark, run as its own process so the load generator does not share its event loop.
 *   tsx scripts/bench/target-server.ts hello        bare Fastify hello-world (the baseline)
 *   tsx scripts/bench/target-server.ts post         bare Fastify POST echo, callback-sized body and reply
 *   tsx scripts/bench/target-server.ts floor        a minimal correct callback server: bare Fastify and @wecom/crypto
 *                                                   (signature checked, message decrypted, encrypted passive reply)
 *   tsx scripts/bench/target-server.ts bot          the bot (live mode against the simulated WeCom, lowdb store)
 * Prints "LISTENING <port>" when ready.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Fastify from 'fastify';

const kind = process.argv[2];
let port: number;
if (kind === 'hello') {
  const app = Fastify({ logger: false });
  app.get('/', async () => ({ hello: 'world' }));
  await app.listen({ port: 0, host: '127.0.0.1' });
  port = (app.server.address() as { port: number }).port;
} else if (kind === 'post') {
  const app = Fastify({ logger: false });
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'string' }, (_r, b, d) => d(null, b));
  const answer = 'x'.repeat(700);
  app.post('/wecom/callback', async (req, reply) => reply.type('application/xml').send(answer + String(req.body).length));
  await app.listen({ port: 0, host: '127.0.0.1' });
  port = (app.server.address() as { port: number }).port;
} else if (kind === 'floor') {
  // What any correct WeCom callback must do, and nothing more: no store, no dedupe, no handlers (issue 20's floor).
  const [{ decrypt, encrypt, getSignature }, { BENCH_CREDENTIALS }] = await Promise.all([import('@wecom/crypto'), import('./credentials.ts')]);
  const { token, encodingAesKey, corpId } = BENCH_CREDENTIALS;
  const app = Fastify({ logger: false });
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'string' }, (_r, b, d) => d(null, b));
  app.post('/wecom/callback', async (req, reply) => {
    const q = req.query as Record<string, string>;
    const encrypted = /<Encrypt><!\[CDATA\[([^\]]+)\]\]><\/Encrypt>/.exec(String(req.body))?.[1] ?? '';
    if (getSignature(token, q.timestamp!, q.nonce!, encrypted) !== q.msg_signature) return reply.code(403).send('bad signature');
    const { message } = decrypt(encodingAesKey, encrypted);
    const from = /<FromUserName><!\[CDATA\[([^\]]*)\]\]>/.exec(message)?.[1] ?? '';
    const plain = `<xml><ToUserName><![CDATA[${from}]]></ToUserName><FromUserName><![CDATA[${corpId}]]></FromUserName><CreateTime>${Math.floor(Date.now() / 1000)}</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[收到]]></Content></xml>`;
    const sealed = encrypt(encodingAesKey, plain, corpId);
    const timestamp = String(Math.floor(Date.now() / 1000));
    const nonce = String(Math.random()).slice(2, 12);
    return reply
      .type('application/xml')
      .send(
        `<xml><Encrypt><![CDATA[${sealed}]]></Encrypt><MsgSignature><![CDATA[${getSignature(token, timestamp, nonce, sealed)}]]></MsgSignature><TimeStamp>${timestamp}</TimeStamp><Nonce><![CDATA[${nonce}]]></Nonce></xml>`,
      );
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  port = (app.server.address() as { port: number }).port;
} else if (kind === 'bot') {
  // Imported here so the baselines start without loading the bot's modules.
  const [{ default: pino }, { buildApp }, { systemClock }, { loadConfig }, { createLogger }, { WeComSimulator }, { BENCH_CREDENTIALS }] = await Promise.all([
    import('pino'),
    import('../../src/app.ts'),
    import('../../src/clock.ts'),
    import('../../src/config.ts'),
    import('../../src/logger.ts'),
    import('../../src/wecom/simulator.ts'),
    import('./credentials.ts'),
  ]);
  // BENCH_CLOCK_START (ISO): the bot's clock runs from then (a soak in the semester, when secretaries can submit).
  const offset = process.env.BENCH_CLOCK_START ? Date.parse(process.env.BENCH_CLOCK_START) - Date.now() : 0;
  const clock = offset ? { now: () => Date.now() + offset } : systemClock;
  const sim = new WeComSimulator({ ...BENCH_CREDENTIALS, clock });
  const apiBase = await sim.start();
  const config = loadConfig({
    WECOM_CORP_ID: BENCH_CREDENTIALS.corpId,
    WECOM_AGENT_ID: BENCH_CREDENTIALS.agentId,
    WECOM_SECRET: BENCH_CREDENTIALS.secret,
    WECOM_TOKEN: BENCH_CREDENTIALS.token,
    WECOM_ENCODING_AES_KEY: BENCH_CREDENTIALS.encodingAesKey,
    WECOM_AIBOT_TOKEN: BENCH_CREDENTIALS.aibotToken,
    WECOM_AIBOT_ENCODING_AES_KEY: BENCH_CREDENTIALS.aibotEncodingAesKey,
    WECOM_API_BASE: apiBase,
    DATA_DIR: mkdtempSync(path.join(tmpdir(), 'bench-data-')),
    // BENCH_DATABASE_URL: the same bot on PostgreSQL (several targets may share it, as instances do).
    ...(process.env.BENCH_DATABASE_URL ? { DATABASE_URL: process.env.BENCH_DATABASE_URL } : {}),
    WECOM_ROBOT_KEY_STAFF: 'bench-robot-staff',
    WECOM_ROBOT_KEY_STUDENTS: 'bench-robot-students',
    PORT: '0',
  });
  // Production logging (one JSON line per callback) to a real sink, as deployed.
  const logger = createLogger('info', pino.destination({ dest: '/dev/null', sync: false }));
  const { app, outbox, housekeeping } = await buildApp(config, { logger, clock });
  outbox.start();
  housekeeping.start();
  await app.listen({ port: 0, host: '127.0.0.1' });
  port = (app.server.address() as { port: number }).port;
} else {
  console.error('usage: target-server.ts hello|bot');
  process.exit(2);
}
console.log(`LISTENING ${port}`);
// Exit normally on SIGINT so `node --cpu-prof` can write its profile.
process.on('SIGINT', () => process.exit(0));
