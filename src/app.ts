import path from 'node:path';
import formbody from '@fastify/formbody';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { buildHandlers } from '../handlers/index.ts';
import { Bot } from './bot/bot.ts';
import { ConversationMemory } from './bot/conversation-memory.ts';
import type { Middleware } from './bot/context.ts';
import { systemClock, type Clock } from './clock.ts';
import type { Config } from './config.ts';
import { loadContent, type Content } from './content/content.ts';
import { ContentError } from './errors.ts';
import { AgendaScheduler } from './jobs/agenda-scheduler.ts';
import { Broadcaster } from './jobs/broadcaster.ts';
import { Housekeeping } from './jobs/housekeeping.ts';
import { Outbox } from './jobs/outbox.ts';
import { ReminderScheduler } from './jobs/reminders.ts';
import { callbackRoutes } from './http/callback-route.ts';
import { devChatRoutes } from './http/dev-chat-route.ts';
import { healthRoutes } from './http/health-route.ts';
import { statusLink, statusPageRoutes } from './http/status-page.ts';
import { createLogger } from './logger.ts';
import { LowdbStore } from './storage/lowdb-store.ts';
import { PostgresStore } from './storage/postgres-store.ts';
import type { Store } from './storage/ports.ts';
import { CallbackCodec } from './wecom/callback-codec.ts';
import { CallbackSender } from './wecom/callback-sender.ts';
import { WeComClient } from './wecom/client.ts';
import { replyParts } from './wecom/replies.ts';
import type { WeComSimulator } from './wecom/simulator.ts';

/** What tests and main may replace; everything else is built from the config. */
export interface AppOverrides {
  clock?: Clock;
  logger?: Logger;
  store?: Store;
  fetch?: typeof fetch;
  /** Local mode: the simulated WeCom the client talks to and the chat page shows. */
  simulator?: WeComSimulator;
  handlers?: Middleware;
  /** Already loaded content (tests and benchmarks load it once); otherwise loaded from config.contentDir. */
  content?: Content;
  /** How the client, the outbox and the broadcaster wait between retries (tests: not at all). */
  sleep?: (ms: number) => Promise<void>;
  /** The WeCom client's timeout per request (tests of a WeCom that stops answering). */
  requestTimeoutMs?: number;
}

export interface BuiltApp {
  app: FastifyInstance;
  broadcaster: Broadcaster;
  /** Every push and API reply; retries what a WeCom outage left unsent. Started by main, like the scheduler. */
  outbox: Outbox;
  /** Prunes the dedupe ledger and old sent replies hourly; started by main. */
  housekeeping: Housekeeping;
  /** Not started by buildApp: main starts it (tests drive it with their own clock). */
  scheduler: AgendaScheduler;
  /** Automatic record reminders (when enabled in content/roster.yaml); started by main like the scheduler. */
  reminders: ReminderScheduler;
  content: Content;
  bot: Bot;
  store: Store;
  client: WeComClient;
  codec: CallbackCodec;
  /** Sends callbacks into this app as WeCom would (through app.inject): for the chat page, the CLI and tests. */
  wecomSide: CallbackSender;
}

/** An API reply left unsent by a WeCom outage is retried for an hour; later than that it would only confuse. */
const REPLY_RETRY_MS = 3600_000;

/**
 * Builds the service without listening, so tests can `inject` or listen on port 0.
 * Order as Fastify recommends: ecosystem plugins → our plugins (one per concern) → hooks.
 */
export async function buildApp(config: Config, overrides: AppOverrides = {}): Promise<BuiltApp> {
  const clock = overrides.clock ?? systemClock;
  const logger = overrides.logger ?? createLogger(config.logLevel);
  // Content first: broken content stops start-up with file, line and field before anything listens.
  const content = overrides.content ?? (await loadContent(config.contentDir));
  const store: Store =
    overrides.store ??
    (config.databaseUrl
      ? await PostgresStore.open(config.databaseUrl, {
          // A dropped connection is survivable (the next query reconnects); say so once per connection, without the URL.
          onConnectionError: (err) => logger.warn({ error: err.message }, 'PostgreSQL connection lost; reconnecting on next use'),
        })
      : await LowdbStore.open(config.dataDir));
  const { corpId, agentId, secret, token, encodingAesKey } = config.wecom;

  const client = new WeComClient({
    corpId,
    agentId,
    secret,
    apiBase: overrides.simulator?.baseUrl ?? config.wecom.apiBase,
    clock,
    logger,
    ...(store.tokenCache ? { tokenCache: store.tokenCache(`${corpId}:${agentId}`) } : {}),
    ...(overrides.fetch ? { fetch: overrides.fetch } : {}),
    ...(overrides.sleep ? { sleep: overrides.sleep } : {}),
    ...(overrides.requestTimeoutMs ? { requestTimeoutMs: overrides.requestTimeoutMs } : {}),
  });
  const codec = new CallbackCodec({ token, encodingAesKey, corpId, clock, timestampWindowSec: config.callback.timestampWindowSec });
  const keys = robotKeys(config, content);
  const sleep = overrides.sleep ? { sleep: overrides.sleep } : {};
  const outbox = new Outbox({ store, client, clock, logger, robotKeys: keys, ...sleep });
  const broadcaster = new Broadcaster({ content, store, client, clock, logger, robotKeys: keys, outbox, ...sleep });
  const housekeeping = new Housekeeping(store, clock, logger);
  const scheduler = new AgendaScheduler(content, broadcaster, clock, logger);
  const reminders = new ReminderScheduler({ content, store, outbox, clock }, logger);
  const bot = new Bot({
    middleware: overrides.handlers ?? buildHandlers({ content, memory: new ConversationMemory(clock), broadcaster, outbox, store, client, statusLink: (userId) => statusLink(config.publicBaseUrl, config.statusPageSecret, userId, clock.now()) }),
    store,
    logger,
    clock,
    corpId,
    // Through the outbox, so a reply survives a WeCom outage; no duplicate check: the same answer asked for twice is sent twice.
    // The job names sort in the order the user wrote (the outbox retries a user's replies in that order).
    sendViaApi: async (userId, reply, { key, createTime, index, holdBack }) => {
      const job = `reply:${String(createTime).padStart(10, '0')}:${key}:${String(index).padStart(3, '0')}`;
      const outgoing = { route: { via: 'app' as const, touser: [userId] }, parts: replyParts(reply) };
      return (await outbox.send(job, userId, outgoing, { retryForMs: REPLY_RETRY_MS, attempts: holdBack ? 0 : 1 })).outcome === 'sent';
    },
    passiveReplyBudgetMs: config.callback.passiveReplyBudgetMs,
  });

  const app = Fastify({
    loggerInstance: logger as FastifyBaseLogger,
    // The callback route logs one line per callback itself; Fastify's per-request lines would double it.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: config.callback.bodyLimitBytes,
    return503OnClosing: true,
    // A client trickling its request (a byte every few seconds) is cut off: the whole request, the headers, and a
    // silent socket each have a limit (HTTP_*_TIMEOUT_MS). Node checks the first two on an interval (30 s by
    // default): checked every second so the limits hold as configured.
    requestTimeout: config.http.requestTimeoutMs,
    connectionTimeout: config.http.idleTimeoutMs,
    http: { headersTimeout: config.http.headersTimeoutMs, requestTimeout: config.http.requestTimeoutMs, connectionsCheckingInterval: 1000 },
  });
  // A parameter given twice arrives as an array, which no route expects (a status-page token split on "." threw: 500).
  app.addHook('onRequest', async (req, reply) => {
    // The reason names no parameter: a refusal never echoes the input.
    if (Object.values((req.query ?? {}) as Record<string, unknown>).some(Array.isArray)) {
      return reply.code(400).type('application/json; charset=utf-8').send({ error: 'repeated_parameter', message: '请求参数重复：每个参数只能提供一次' });
    }
  });
  await app.register(formbody);
  await app.register(callbackRoutes, { codec, bot, bodyLimitBytes: config.callback.bodyLimitBytes });
  await app.register(statusPageRoutes, { content, store, clock, secret: config.statusPageSecret, secureCookie: config.publicBaseUrl.startsWith('https://') });
  await app.register(healthRoutes, { mode: config.mode, store, content: () => ({ loaded: true, ...content.summary() }) });

  const wecomSide = new CallbackSender(codec, corpId, agentId, async (query, body) => {
    const res = await app.inject({ method: 'POST', url: '/wecom/callback', query, payload: body, headers: { 'content-type': 'text/xml' } });
    return { status: res.statusCode, body: res.body };
  }, () => clock.now());
  if (config.mode === 'local' && overrides.simulator) {
    await app.register(devChatRoutes, { sender: wecomSide, simulator: overrides.simulator });
  }

  // Stop taking callbacks (Fastify answers 503 while closing), finish in-flight work, flush the store.
  app.addHook('onClose', async () => {
    await scheduler.stop();
    await reminders.stop();
    await bot.idle();
    await outbox.stop();
    housekeeping.stop();
    await store.close();
  });
  return { app, content, bot, store, client, codec, wecomSide, broadcaster, outbox, housekeeping, scheduler, reminders };
}

/**
 * Robot keys for the targets. Live: every robot target's key must be set (WECOM_ROBOT_KEY_…), else start-up stops
 * naming the target's line. Local: keys that are not set get a stand-in, so the simulator shows the pushes.
 */
function robotKeys(config: Config, content: Content): Record<string, string> {
  const keys: Record<string, string> = { ...config.robotKeys };
  for (const t of content.broadcast.targets) {
    if (!t.robot || keys[t.robot.keyEnv]) continue;
    if (config.mode === 'local') keys[t.robot.keyEnv] = `local-${t.robot.keyEnv.toLowerCase()}`;
    else {
      throw new ContentError(
        `${path.basename(path.resolve(config.contentDir))}/targets.yaml`,
        content.targetLines.get(t.name),
        'robot.keyEnv',
        `推送对象“${t.name}”的群机器人 key 未配置：请设置环境变量 ${t.robot.keyEnv}`,
      );
    }
  }
  return keys;
}
