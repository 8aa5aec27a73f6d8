import type { Logger } from 'pino';
import type { Clock } from '../clock.ts';
import type { Store } from '../storage/ports.ts';
import { dedupeKey, type InboundMessage } from '../wecom/messages.ts';
import { fitsPassiveReply, passiveTextXml } from '../wecom/replies.ts';
import { BackgroundTasks } from './background.ts';
import type { BotContext, Middleware, Reply } from './context.ts';
import { ReplyChannel } from './reply-channel.ts';

export const APOLOGY = '抱歉，处理您的消息时出了点问题，请稍后再试。如多次出现，请联系党委办公室。';

export interface BotOptions {
  middleware: Middleware;
  store: Store;
  logger: Logger;
  clock: Clock;
  corpId: string;
  /**
   * Delivers a reply to a user through the WeCom API when a passive reply is not possible: the `index`th reply to the
   * message `key`, sent by the user at `createTime` (seconds). See ApiReplySender.
   */
  sendViaApi: (userId: string, reply: Reply, ref: { key: string; createTime: number; index: number; holdBack: boolean }) => Promise<boolean>;
  /** How long to wait for handlers before answering the HTTP request empty and replying through the API. */
  passiveReplyBudgetMs: number;
  /** A claimed message not completed within this time is considered abandoned (its worker died). */
  claimLeaseMs?: number;
}

/** 'busy': another worker holds the message's claim and has no outcome yet; WeCom should try again later. */
export type ReplyPath = 'passive' | 'api' | 'none' | 'duplicate' | 'busy';

export interface ReceiveResult {
  key: string;
  path: ReplyPath;
  /** Plaintext XML of the passive reply; the HTTP layer encrypts it (fresh nonce each time). */
  passiveReplyXml?: string;
  handledBy?: string;
}

/**
 * The pipeline for one inbound message: dedupe → context → middleware under an error boundary → reply path.
 * WeCom retries a callback it has no 200 for within 5 s, so a message is claimed in the store before it is
 * handled and a retry gets the stored outcome (the same passive reply) instead of a second run.
 */
export class Bot {
  readonly background = new BackgroundTasks();
  readonly #o: Required<BotOptions>;
  readonly #inflight = new Map<string, Promise<ReceiveResult>>();

  constructor(options: BotOptions) {
    // WeCom retries a callback only when it got no answer within 5 s (three times, ~5 s apart), that is when the worker
    // that claimed it died or its answer was lost. A lease shorter than that retry horizon lets a restarted service
    // answer the last retry (a retried 确认 gets its receipt); what a second run could repeat is idempotent by MsgId
    // (form answers, records).
    this.#o = { claimLeaseMs: 10_000, ...options };
  }

  async receive(message: InboundMessage): Promise<ReceiveResult> {
    const key = dedupeKey(message);
    const running = this.#inflight.get(key);
    if (running) {
      const first = await running;
      return { key, path: 'duplicate', ...(first.passiveReplyXml ? { passiveReplyXml: first.passiveReplyXml } : {}) };
    }
    const work = this.#process(key, message);
    this.#inflight.set(key, work);
    try {
      return await work;
    } finally {
      this.#inflight.delete(key);
    }
  }

  /** Waits for background replies and handlers still running. */
  idle(): Promise<void> {
    return this.background.idle();
  }

  async #process(key: string, message: InboundMessage): Promise<ReceiveResult> {
    const { store, clock, logger } = this.#o;
    let claim = await store.dedupe.claim(key, clock.now(), this.#o.claimLeaseMs);
    // Another worker holds it (another instance, or a process that died holding it): wait for its outcome within the
    // passive-reply budget, so a duplicate gets the same answer. An answer of "received, nothing to say" would end
    // WeCom's retries, and with them the only chance to answer a message whose worker died: say "busy" instead.
    const until = performance.now() + this.#o.passiveReplyBudgetMs;
    while (claim.status === 'in_progress' && performance.now() < until) {
      await new Promise((r) => setTimeout(r, 50));
      claim = await store.dedupe.claim(key, clock.now(), this.#o.claimLeaseMs);
    }
    if (claim.status === 'done') {
      return { key, path: 'duplicate', ...(claim.outcome.passiveReplyXml ? { passiveReplyXml: claim.outcome.passiveReplyXml } : {}) };
    }
    if (claim.status === 'in_progress') return { key, path: 'busy' };

    const log = logger.child({ user: message.fromUserName });
    const channel = new ReplyChannel((reply, index, holdBack) => this.#o.sendViaApi(message.fromUserName, reply, { key, createTime: message.createTime, index, holdBack }), log);
    const ctx = this.#context(message, channel, log);
    const handling = this.#runHandlers(ctx);
    const inTime = await settlesWithin(handling, this.#o.passiveReplyBudgetMs);

    if (inTime && fitsPassiveReply(channel.collected)) {
      const xml = passiveTextXml(message.fromUserName, this.#o.corpId, Math.floor(clock.now() / 1000), channel.collected[0]);
      await store.dedupe.complete(key, { passiveReplyXml: xml }, clock.now());
      return { key, path: 'passive', passiveReplyXml: xml, ...handled(ctx) };
    }
    if (inTime && channel.collected.length === 0) {
      await store.dedupe.complete(key, {}, clock.now());
      return { key, path: 'none', ...handled(ctx) };
    }
    // Too slow, several replies, markdown or too long: answer the HTTP request now, deliver through the API.
    channel.switchToApi();
    this.background.track(
      handling
        .then(() => channel.drained())
        .then(() => store.dedupe.complete(key, {}, clock.now()))
        .catch((err: unknown) => log.error({ err }, 'background handling failed')),
    );
    return { key, path: 'api', ...handled(ctx) };
  }

  #context(message: InboundMessage, channel: ReplyChannel, log: Logger): BotContext {
    return {
      message,
      userId: message.fromUserName,
      text: message.type === 'text' ? message.content.trim() : undefined,
      store: this.#o.store,
      log,
      clock: this.#o.clock,
      match: undefined,
      handledBy: undefined,
      reply: (reply) => channel.push(reply),
    };
  }

  /** The error boundary: a handler's failure is logged and answered politely, never crashes the service. */
  async #runHandlers(ctx: BotContext): Promise<void> {
    try {
      await this.#o.middleware(ctx, async () => {});
    } catch (err) {
      ctx.log.error({ err, handler: ctx.handledBy }, 'handler failed');
      await ctx.reply(APOLOGY);
    }
  }
}

function handled(ctx: BotContext): { handledBy?: string } {
  return ctx.handledBy ? { handledBy: ctx.handledBy } : {};
}

/** True if the promise settles within `ms` (it keeps running either way). */
async function settlesWithin(p: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  try {
    return await Promise.race([p.then(() => true), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
