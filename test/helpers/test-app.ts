import { Writable } from 'node:stream';
import { buildApp } from '../../src/app.ts';
import type { Content } from '../../src/content/content.ts';
import type { Middleware } from '../../src/bot/context.ts';
import type { MessageLimits } from '../../src/bot/limits.ts';
import { ManualClock } from '../../src/clock.ts';
import { loadConfig } from '../../src/config.ts';
import { createLogger } from '../../src/logger.ts';
import { LowdbStore } from '../../src/storage/lowdb-store.ts';
import type { Store } from '../../src/storage/ports.ts';
import { WeComSimulator } from '../../src/wecom/simulator.ts';
import { FIXTURE_CONTENT } from './content.ts';
import { TEST_CREDENTIALS } from './fake-wecom.ts';

export const TEST_ENV = {
  WECOM_CORP_ID: TEST_CREDENTIALS.corpId,
  WECOM_AGENT_ID: TEST_CREDENTIALS.agentId,
  WECOM_SECRET: TEST_CREDENTIALS.secret,
  WECOM_TOKEN: TEST_CREDENTIALS.token,
  WECOM_ENCODING_AES_KEY: TEST_CREDENTIALS.encodingAesKey,
  LOG_LEVEL: 'info',
  WECOM_ROBOT_KEY_STAFF: 'robot-key-staff',
  WECOM_ROBOT_KEY_STUDENTS: 'robot-key-students',
  CONTENT_DIR: FIXTURE_CONTENT,
};

export interface TestAppOptions {
  env?: Record<string, string>;
  handlers?: Middleware;
  clock?: ManualClock;
  store?: Store;
  content?: Content;
  sleep?: (ms: number) => Promise<void>;
  requestTimeoutMs?: number;
  limits?: MessageLimits;
}

/**
 * The real app (live mode, test credentials) wired to the simulated WeCom on loopback, an in-memory store,
 * and a log captured in memory so tests can read it.
 */
export async function startTestApp(options: TestAppOptions = {}) {
  const clock = options.clock ?? new ManualClock(Date.UTC(2016, 8, 19, 1, 0));
  const sim = new WeComSimulator({ ...TEST_CREDENTIALS, clock });
  const apiBase = await sim.start();
  const config = loadConfig({ ...TEST_ENV, WECOM_API_BASE: apiBase, ...options.env });
  const logLines: string[] = [];
  const logger = createLogger(
    'debug',
    new Writable({
      write(chunk, _enc, cb) {
        logLines.push(String(chunk));
        cb();
      },
    }),
  );
  const built = await buildApp(config, {
    clock,
    logger,
    store: options.store ?? (await LowdbStore.memory()),
    ...(options.handlers ? { handlers: options.handlers } : {}),
    ...(options.content ? { content: options.content } : {}),
    ...(options.sleep ? { sleep: options.sleep } : {}),
    ...(options.requestTimeoutMs ? { requestTimeoutMs: options.requestTimeoutMs } : {}),
    ...(options.limits ? { limits: options.limits } : {}),
  });
  return {
    ...built,
    sim,
    clock,
    config,
    logLines,
    log: () => logLines.join(''),
    close: async () => {
      await built.app.close();
      await sim.stop();
    },
  };
}

/**
 * The test app listening on a real socket whose address is its public base URL (PUBLIC_BASE_URL, for the signed
 * links pages and chats give out), so its port is chosen before the app is built: below the ephemeral range (32768+)
 * that other tests' sockets take ports from, and another one if it is taken anyway.
 */
export async function startListeningTestApp(options: TestAppOptions = {}): Promise<{ t: Awaited<ReturnType<typeof startTestApp>>; base: string }> {
  for (let attempt = 1; ; attempt++) {
    const port = 20_000 + Math.floor(Math.random() * 12_000);
    const base = `http://127.0.0.1:${port}`;
    const t = await startTestApp({ ...options, env: { ...options.env, PUBLIC_BASE_URL: base } });
    try {
      await t.app.listen({ port, host: '127.0.0.1' });
      return { t, base };
    } catch (err) {
      await t.close();
      if ((err as { code?: string }).code !== 'EADDRINUSE' || attempt === 10) throw err;
    }
  }
}

/**
 * A user's side of the chat: sends a text through the real encrypted callback and returns everything the bot
 * answered to that user, the passive reply and what came through the API, in order.
 */
export async function askApp(t: Pick<Awaited<ReturnType<typeof startTestApp>>, 'sim' | 'wecomSide' | 'bot'>, user: string, text: string): Promise<string> {
  const before = t.sim.deliveries.length;
  const r = await t.wecomSide.sendText(user, text);
  await t.bot.idle();
  const viaApi = t.sim.deliveries.slice(before).filter((d) => d.to === user);
  return [...(r.passiveReply !== undefined ? [r.passiveReply] : []), ...viaApi.map((d) => d.text)].join('\n');
}
