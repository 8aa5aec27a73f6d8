import { lazyLawLibrary } from './content/import/law-library.ts';
import path from 'node:path';
import formbody from '@fastify/formbody';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { buildHandlers } from '../handlers/index.ts';
import { Bot } from './bot/bot.ts';
import { ConversationMemory } from './bot/conversation-memory.ts';
import type { Middleware } from './bot/context.ts';
import type { MessageLimits } from './bot/limits.ts';
import { systemClock, type Clock } from './clock.ts';
import type { Config } from './config.ts';
import type { HttpErrorCode } from './errors.ts';
import { loadContent, type Content } from './content/content.ts';
import { AgendaScheduler } from './jobs/agenda-scheduler.ts';
import { Broadcaster } from './jobs/broadcaster.ts';
import { Housekeeping } from './jobs/housekeeping.ts';
import { Outbox } from './jobs/outbox.ts';
import { PlanImportSync } from './jobs/plan-import-sync.ts';
import { ReminderScheduler } from './jobs/reminders.ts';
import { aibotRoutes } from './http/aibot-route.ts';
import { callbackRoutes } from './http/callback-route.ts';
import { devChatRoutes } from './http/dev-chat-route.ts';
import type { DemoPerson } from './http/dev-chat-page.ts';
import { healthRoutes } from './http/health-route.ts';
import { statusLink, statusPageRoutes } from './http/status-page.ts';
import { createLogger } from './logger.ts';
import { LowdbStore } from './storage/lowdb-store.ts';
import { PostgresStore } from './storage/postgres-store.ts';
import type { Store } from './storage/ports.ts';
import { CallbackCodec } from './wecom/callback-codec.ts';
import { CallbackSender } from './wecom/callback-sender.ts';
import { WeComClient } from './wecom/client.ts';
import { WeComImageFetcher } from './wecom/image-fetcher.ts';
import { AppTransport, settlesWithin } from './wecom/app/transport.ts';
import { AibotCodec } from './wecom/aibot/codec.ts';
import { AibotSender } from './wecom/aibot/sender.ts';
import { AibotTransport } from './wecom/aibot/transport.ts';
import type { WeComSimulator } from './wecom/simulator.ts';

/** What tests and main may replace; everything else is built from the config. */
export interface AppOverrides {
  clock?: Clock;
  logger?: Logger;
  store?: Store;
  fetch?: typeof fetch;
  /** Local mode: the simulated WeCom the client talks to and the chat page shows. */
  simulator?: WeComSimulator;
  /** Local mode: where the chat page's delivery journal survives restarts (main: DATA_DIR/dev-chat); memory without. */
  devChatDir?: string;
  handlers?: Middleware;
  /** Already loaded content (tests and benchmarks load it once); otherwise loaded from config.contentDir. */
  content?: Content;
  /** How the client, the outbox and the broadcaster wait between retries (tests: not at all). */
  sleep?: (ms: number) => Promise<void>;
  /** The WeCom client's timeout per request (tests of a WeCom that stops answering). */
  requestTimeoutMs?: number;
  /** What one message may cause (src/bot/limits.ts); tests of a transport's own size limits raise them. */
  limits?: MessageLimits;
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
  /** The self-built app's callback into the bot (dedupe, passive or API replies). */
  appTransport: AppTransport;
  /** The 智能机器人's callback (group @-mentions), when configured. */
  aibot: { codec: AibotCodec; transport: AibotTransport } | undefined;
  store: Store;
  client: WeComClient;
  codec: CallbackCodec;
  /** Sends callbacks into this app as WeCom would (through app.inject): for the chat page, the CLI and tests. */
  wecomSide: CallbackSender;
}

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
  const keys = robotKeys(config, content, logger);
  const sleep = overrides.sleep ? { sleep: overrides.sleep } : {};
  const outbox = new Outbox({ store, client, clock, logger, robotKeys: keys, ...sleep });
  const broadcaster = new Broadcaster({ content, store, client, clock, logger, robotKeys: keys, outbox, ...sleep });
  const housekeeping = new Housekeeping(store, clock, logger);
  // Plans an admin imported in chat live in the store: applied now, and followed while running (other instances).
  // A law a notice names gets its text from the law library (LAWS_CORPUS), opened when first needed.
  const laws = config.lawsCorpus
    ? lazyLawLibrary(config.lawsCorpus, (err) => logger.error({ err, lawsCorpus: config.lawsCorpus }, 'the law library could not be opened; laws stay titles'))
    : undefined;
  const planSync = new PlanImportSync(content, store, logger, undefined, { laws });
  await planSync.refresh();
  planSync.start();
  const scheduler = new AgendaScheduler(content, broadcaster, clock, logger);
  const reminders = new ReminderScheduler({ content, store, outbox, clock }, logger);
  const bot = new Bot({
    middleware:
      overrides.handlers ??
      buildHandlers({
        content,
        memory: new ConversationMemory(clock, undefined, undefined, store.conversations),
        broadcaster,
        outbox,
        store,
        planSync,
        statusLink: (userId) => statusLink(config.publicBaseUrl, config.statusPageSecret, userId, clock.now()),
        images: new WeComImageFetcher(client, logger),
      }),
    store,
    logger,
    clock,
    ...(overrides.limits ? { limits: overrides.limits } : {}),
  });
  const appTransport = new AppTransport({ bot, store, outbox, client, logger, clock, corpId, passiveReplyBudgetMs: config.callback.passiveReplyBudgetMs });
  const aibot = config.aibot
    ? {
        codec: new AibotCodec({ ...config.aibot, clock, timestampWindowSec: config.callback.timestampWindowSec }),
        transport: new AibotTransport({
          bot,
          store,
          logger,
          clock,
          apiBase: overrides.simulator?.baseUrl ?? config.wecom.apiBase,
          replyBudgetMs: config.callback.passiveReplyBudgetMs,
          ...(overrides.fetch ? { fetch: overrides.fetch } : {}),
        }),
      }
    : undefined;

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
      return reply
        .code(400)
        .type('application/json; charset=utf-8')
        .send({ error: 'repeated_parameter' satisfies HttpErrorCode, message: '请求参数重复：每个参数只能提供一次' });
    }
  });
  await app.register(formbody);
  await app.register(callbackRoutes, { codec, transport: appTransport, bodyLimitBytes: config.callback.bodyLimitBytes });
  if (aibot) await app.register(aibotRoutes, { ...aibot, bodyLimitBytes: config.callback.bodyLimitBytes });
  await app.register(statusPageRoutes, {
    content,
    store,
    clock,
    planSync,
    secret: config.statusPageSecret,
    secureCookie: config.publicBaseUrl.startsWith('https://'),
  });
  await app.register(healthRoutes, {
    mode: config.mode,
    store,
    content: () => ({ loaded: true, ...content.summary() }),
    unconfiguredTargets: () => broadcaster.unconfigured(),
  });

  const wecomSide = new CallbackSender(
    codec,
    corpId,
    agentId,
    async (query, body) => {
      const res = await app.inject({ method: 'POST', url: '/wecom/callback', query, payload: body, headers: { 'content-type': 'text/xml' } });
      return { status: res.statusCode, body: res.body };
    },
    () => clock.now(),
  );
  if (config.mode === 'local' && overrides.simulator) {
    const simulator = overrides.simulator;
    const aibotSide = aibot
      ? new AibotSender(
          aibot.codec,
          async (query, body) => {
            const res = await app.inject({ method: 'POST', url: '/wecom/aibot', query, payload: body, headers: { 'content-type': 'application/json' } });
            return { status: res.statusCode, body: res.body };
          },
          (msgid) => simulator.aibotResponseUrl(msgid),
        )
      : undefined;
    await app.register(devChatRoutes, {
      sender: wecomSide,
      simulator,
      people: demoPeople(content),
      targetName: targetNamer(content, keys),
      hostNames: [config.host, new URL(config.publicBaseUrl).hostname],
      ...(aibotSide ? { aibot: aibotSide } : {}),
      ...(overrides.devChatDir ? { journalDir: overrides.devChatDir } : {}),
    });
  }

  // Shutdown (docs/reliability.md, "Shutdown"): stop taking callbacks (Fastify answers 503 while closing), let
  // in-flight work finish until the drain deadline, then hand what is left to the outbox, flush the store and release
  // the data folder. From the first moment the data folder's lock says "draining until …", so a new process started
  // meanwhile waits for it instead of refusing to start.
  let closingSince: number | undefined;
  app.addHook('preClose', async () => {
    closingSince ??= performance.now();
    await store.beginShutdown?.(Date.now() + config.shutdownDrainMs);
  });
  app.addHook('onClose', async () => {
    planSync.stop();
    laws?.close();
    await scheduler.stop();
    await reminders.stop();
    const drainMs = config.shutdownDrainMs;
    // The last part of the drain time is the hand-over's: cut-off sends are recorded, later replies only queued.
    const handOverMs = Math.min(2000, drainMs / 2);
    const left = () => drainMs - (performance.now() - (closingSince ?? performance.now()));
    if (!(await settlesWithin(bot.idle(), left() - handOverMs))) {
      logger.warn({ pending: bot.background.size, drainMs }, 'shutdown: drain deadline reached; handing what is left to the outbox');
      outbox.handOver();
      if (!(await settlesWithin(bot.idle(), Math.max(left(), 100)))) {
        logger.error({ pending: bot.background.size }, 'shutdown: work still running after the hand-over; closing the store anyway');
      }
    }
    await settlesWithin(outbox.stop(), Math.max(left(), 100));
    housekeeping.stop();
    await store.close();
  });
  return { app, content, bot, appTransport, aibot, store, client, codec, wecomSide, broadcaster, outbox, housekeeping, scheduler, reminders };
}

/**
 * Robot keys for the targets. Local: keys that are not set get a stand-in, so the simulator shows the pushes.
 * Live: a robot target whose key variable is unset is left out, loudly, rather than refusing to start: one group's
 * missing key must not take questions and forms away from everyone (the broadcaster skips it and 推送状态 says so).
 */
function robotKeys(config: Config, content: Content, logger: Logger): Record<string, string> {
  const keys: Record<string, string> = { ...config.robotKeys };
  for (const t of content.broadcast.targets) {
    if (!t.robot || keys[t.robot.keyEnv]) continue;
    if (config.mode === 'local') keys[t.robot.keyEnv] = `local-${t.robot.keyEnv.toLowerCase()}`;
    else {
      const file = `${path.basename(path.resolve(config.contentDir))}/targets.yaml`;
      const line = content.targetLines.get(t.name);
      logger.error(
        { target: t.name, keyEnv: t.robot.keyEnv, file, line },
        `TARGET UNCONFIGURED: robot key variable ${t.robot.keyEnv} is not set; target "${t.name}" (${file}${line ? `:${line}` : ''}) gets no weekly agenda until it is set and the service restarted`,
      );
    }
  }
  return keys;
}

/** The roster's people for the local chat page's user picker: admins, then secretaries with their groups. */
function demoPeople(content: Content): DemoPerson[] {
  const people: DemoPerson[] = content.roster.admins.map((a) => ({ userId: a.userId, name: a.name ?? a.userId, role: '管理员' }));
  const secretaries = new Map<string, { name: string; groups: string[] }>();
  for (const g of content.roster.groups) {
    for (const s of g.secretaries) {
      const entry = secretaries.get(s.userId) ?? { name: s.name ?? s.userId, groups: [] };
      entry.groups.push(g.name);
      secretaries.set(s.userId, entry);
    }
  }
  for (const [userId, s] of secretaries)
    if (!people.some((p) => p.userId === userId)) people.push({ userId, name: s.name, role: `记录员（${s.groups.join('、')}）` });
  return people;
}

/** Local mode's chat page: which content target a simulated delivery went to, by robot key, chat id or tag/party. */
function targetNamer(content: Content, keys: Readonly<Record<string, string>>) {
  return (d: { api: string; to: string; body: Record<string, unknown> }): string | undefined => {
    const t = content.broadcast.targets.find((x) =>
      d.api === 'webhook/send'
        ? x.robot && keys[x.robot.keyEnv] === d.to
        : d.api === 'appchat/send'
          ? x.appchat?.chatid === d.to
          : x.members &&
            !d.body.touser &&
            (x.members.tags ?? []).join('|') === String(d.body.totag ?? '') &&
            (x.members.parties ?? []).join('|') === String(d.body.toparty ?? ''),
    );
    return t && `${t.name}（${t.robot ? '群机器人' : t.appchat ? '应用群聊' : '应用消息'}）`;
  };
}
