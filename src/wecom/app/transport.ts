import type { Logger } from 'pino';
import type { Bot } from '../../bot/bot.ts';
import type { BotContext, Reply } from '../../bot/context.ts';
import type { BotMessage } from '../../bot/message.ts';
import type { Clock } from '../../clock.ts';
import { jobName } from '../../jobs/job-names.ts';
import type { Outbox } from '../../jobs/outbox.ts';
import type { ClaimResult, Store } from '../../storage/ports.ts';
import { dedupeKey, type InboundMessage } from '../messages.ts';
import { fitsPassiveReply, passiveTextXml, replyParts } from '../replies.ts';
import { ReplyChannel } from './reply-channel.ts';
import { TEXT_LIMIT_BYTES } from '../limits.ts';

/**
 * The self-built app's transport: WeCom's XML callback to the bot core and back. It owns what is particular to this
 * channel: deduplication by MsgId (a retry gets the stored passive reply), the choice between a passive reply (one
 * text within the budget) and API replies through the outbox, and how those outbox jobs are named.
 */
export interface AppTransportOptions {
  bot: Bot;
  store: Store;
  outbox: Outbox;
  logger: Logger;
  clock: Clock;
  corpId: string;
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

/** An API reply left unsent by a WeCom outage is retried for an hour; later than that it would only confuse. */
const REPLY_RETRY_MS = 3600_000;

export class AppTransport {
  readonly #o: Required<AppTransportOptions>;
  readonly #inflight = new Map<string, Promise<ReceiveResult>>();

  constructor(options: AppTransportOptions) {
    // WeCom retries a callback only when it got no answer within 5 s (three times, ~5 s apart), that is when the worker
    // that claimed it died or its answer was lost. A lease shorter than that retry horizon lets a restarted service
    // answer the last retry (a retried 确认 gets its receipt); what a second run could repeat is idempotent by MsgId
    // (form answers, records).
    this.#o = { claimLeaseMs: 10_000, ...options };
  }

  /**
   * WeCom retries a callback it has no 200 for within 5 s, so a message is claimed in the store before it is handled
   * and a retry gets the stored outcome (the same passive reply) instead of a second run.
   */
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

  async #process(key: string, message: InboundMessage): Promise<ReceiveResult> {
    const { store, clock, bot } = this.#o;
    const claim = await claimWaiting(store, key, clock, this.#o.claimLeaseMs, this.#o.passiveReplyBudgetMs);
    if (claim.status === 'done') {
      return { key, path: 'duplicate', ...(claim.outcome.passiveReplyXml ? { passiveReplyXml: claim.outcome.passiveReplyXml } : {}) };
    }
    if (claim.status === 'in_progress') return { key, path: 'busy' };

    const log = this.#o.logger.child({ user: message.fromUserName });
    const channel = new ReplyChannel((reply, index, holdBack) => this.#sendViaApi(message, key, reply, index, holdBack), log);
    let ctx: BotContext | undefined;
    // An answer of several parts is packed into app text messages (2048 bytes); the channel splits any longer one.
    const replier = Object.assign((reply: Reply) => channel.push(reply), { maxBytes: TEXT_LIMIT_BYTES });
    const handling = bot.handle(toBotMessage(message), replier, (c) => (ctx = c));
    const inTime = await settlesWithin(handling, this.#o.passiveReplyBudgetMs);
    // Who took it is known once a handler matched, before it finishes (the log line of a slow answer names it).
    const handled = () => (ctx?.handledBy ? { handledBy: ctx.handledBy } : {});

    if (inTime && fitsPassiveReply(channel.collected)) {
      const xml = passiveTextXml(message.fromUserName, this.#o.corpId, Math.floor(clock.now() / 1000), channel.collected[0]);
      await store.dedupe.complete(key, { passiveReplyXml: xml }, clock.now());
      return { key, path: 'passive', passiveReplyXml: xml, ...handled() };
    }
    if (inTime && channel.collected.length === 0) {
      await store.dedupe.complete(key, {}, clock.now());
      return { key, path: 'none', ...handled() };
    }
    // Too slow, several replies, markdown or too long: answer the HTTP request now, deliver through the API.
    channel.switchToApi();
    bot.background.track(
      handling
        .then(() => channel.drained())
        .then(() => store.dedupe.complete(key, {}, clock.now()))
        .catch((err: unknown) => log.error({ err }, 'background handling failed')),
    );
    return { key, path: 'api', ...handled() };
  }

  /**
   * Through the outbox, so a reply survives a WeCom outage; no duplicate check: the same answer asked for twice is
   * sent twice. The job names sort in the order the user wrote (the outbox retries a user's replies in that order).
   */
  async #sendViaApi(message: InboundMessage, key: string, reply: Reply, index: number, holdBack: boolean): Promise<boolean> {
    const userId = message.fromUserName;
    const job = jobName.reply(message.createTime, key, index);
    const outgoing = { route: { via: 'app' as const, touser: [userId] }, parts: replyParts(reply) };
    return (await this.#o.outbox.send(job, userId, outgoing, { retryForMs: REPLY_RETRY_MS, attempts: holdBack ? 0 : 1 })).outcome === 'sent';
  }
}

/** The app's message as the core sees it: one-to-one chats only (an app is never in a group chat). */
export function toBotMessage(m: InboundMessage): BotMessage {
  const base = { channel: 'app', userId: m.fromUserName, chat: { type: 'single' as const }, original: m };
  switch (m.type) {
    case 'text':
      return { ...base, id: m.msgId, type: 'text', text: m.content };
    case 'event':
      return { ...base, id: undefined, type: 'event', event: m.event, eventKey: m.eventKey };
    default:
      return { ...base, id: m.msgId, type: 'other', kind: m.type === 'unknown' ? m.msgType : m.type };
  }
}

/**
 * Claims a message's dedupe key. Another worker holds it (another instance, or a process that died holding it): wait
 * for its outcome within `budgetMs`, so a duplicate gets the same answer. An answer of "received, nothing to say"
 * would end WeCom's retries, and with them the only chance to answer a message whose worker died: the caller says
 * "busy" instead when the claim is still held.
 */
export async function claimWaiting(store: Store, key: string, clock: Clock, leaseMs: number, budgetMs: number): Promise<ClaimResult> {
  let claim = await store.dedupe.claim(key, clock.now(), leaseMs);
  const until = performance.now() + budgetMs;
  while (claim.status === 'in_progress' && performance.now() < until) {
    await new Promise((r) => setTimeout(r, 50));
    claim = await store.dedupe.claim(key, clock.now(), leaseMs);
  }
  return claim;
}

/** True if the promise settles within `ms` (it keeps running either way). */
export async function settlesWithin(p: Promise<unknown>, ms: number): Promise<boolean> {
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
