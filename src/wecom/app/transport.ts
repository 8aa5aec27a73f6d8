import type { Logger } from 'pino';
import type { Bot } from '../../bot/bot.ts';
import type { BotContext, Reply } from '../../bot/context.ts';
import type { BotMessage } from '../../bot/message.ts';
import type { Clock } from '../../clock.ts';
import { jobName } from '../../jobs/job-names.ts';
import { NotQueuedError, type Outbox } from '../../jobs/outbox.ts';
import type { WeComClient } from '../client.ts';
import type { ClaimResult, Store } from '../../storage/ports.ts';
import { dedupeKey, type InboundMessage } from '../messages.ts';
import { fitsPassiveReply, passiveTextXml, replyParts } from '../replies.ts';
import { ReplyChannel } from './reply-channel.ts';
import { TEXT_LIMIT_BYTES } from '../limits.ts';
import { splitUtf8, utf8Length } from '../../utf8-text.ts';

/**
 * The self-built app's transport: WeCom's XML callback to the bot core and back. It owns what is particular to this
 * channel: deduplication by MsgId (a retry gets the stored passive reply), the choice between a passive reply (one
 * text within the budget) and API replies through the outbox, and how those outbox jobs are named.
 */
export interface AppTransportOptions {
  bot: Bot;
  store: Store;
  outbox: Outbox;
  /** For a reply the outbox cannot take (the store cannot write): sent directly, without the ledger. */
  client: WeComClient;
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
  /** What the message was (src/bot/intent.ts), once the handlers are done. */
  intent?: string;
}

/** An API reply left unsent by a WeCom outage is retried for an hour; later than that it would only confuse. */
const REPLY_RETRY_MS = 3600_000;
/**
 * How long an answer ready in time waits for its API replies to be queued or sent before the HTTP request is answered
 * empty. Within it a reply the store could not take and WeCom refused too is still answered passively; WeCom waits 5 s.
 */
const API_ACK_WAIT_MS = 1500;
/** Said passively when the replies could be neither queued nor sent and none fits a passive reply. */
export const REPLY_NOT_DELIVERED = '抱歉，系统暂时无法保存和发送这条回答（存储或网络故障），请稍后再问一次。';
const PASSIVE_CUT_NOTE = '\n……（其余内容暂时无法发送，请稍后再问）';

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
    const handled = () => ({ ...(ctx?.handledBy ? { handledBy: ctx.handledBy } : {}), ...(ctx?.intent ? { intent: ctx.intent } : {}) });

    if (inTime && fitsPassiveReply(channel.collected)) {
      const xml = passiveTextXml(message.fromUserName, this.#o.corpId, Math.floor(clock.now() / 1000), channel.collected[0]);
      await store.dedupe.complete(key, { passiveReplyXml: xml }, clock.now());
      return { key, path: 'passive', passiveReplyXml: xml, ...handled() };
    }
    if (inTime && channel.collected.length === 0) {
      await store.dedupe.complete(key, {}, clock.now());
      return { key, path: 'none', ...handled() };
    }
    // Too slow, several replies, markdown or too long: deliver through the API.
    channel.switchToApi();
    if (inTime && (await settlesWithin(channel.drained(), API_ACK_WAIT_MS)) && channel.failures > 0) {
      // Neither queued (the store cannot write: a full disk) nor sent (WeCom refused too): the only way left to the user
      // is this HTTP answer. WeCom never retries an acknowledged callback, so an empty 200 here would lose it (issue 23).
      const xml = passiveTextXml(message.fromUserName, this.#o.corpId, Math.floor(clock.now() / 1000), passiveRescue(channel.unsent));
      log.error({ unsent: channel.failures }, 'replies could not be queued or sent; answered passively');
      await store.dedupe.complete(key, { passiveReplyXml: xml }, clock.now()).catch(() => {});
      return { key, path: 'passive', passiveReplyXml: xml, ...handled() };
    }
    // Answer the HTTP request now; the replies are queued (or sent) and the rest follow through the API.
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
    try {
      return (await this.#o.outbox.send(job, userId, outgoing, { retryForMs: REPLY_RETRY_MS, attempts: holdBack ? 0 : 1 })).outcome === 'sent';
    } catch (err) {
      if (!(err instanceof NotQueuedError)) throw err;
      // The store cannot write (a full disk): the reply is not in the outbox, so it goes straight to WeCom, unrecorded.
      // It then reaches the user while WeCom is up; if WeCom refuses it too, the caller answers passively if it still can.
      this.#o.logger.warn({ user: userId, job, error: (err.cause as Error)?.message }, 'store cannot write; reply sent directly, without the outbox');
      for (const part of outgoing.parts) await this.#o.client.sendMessage({ touser: [userId] }, part);
      return true;
    }
  }
}

/** Replies that could not be delivered, as one passive text: as much as fits, then a note; an apology if none fits. */
function passiveRescue(unsent: readonly Reply[]): string {
  const text = unsent.map((r) => (typeof r === 'string' ? r : r.markdown)).join('\n\n');
  if (utf8Length(text) <= TEXT_LIMIT_BYTES) return text;
  const head = splitUtf8(text, TEXT_LIMIT_BYTES - utf8Length(PASSIVE_CUT_NOTE))[0] ?? '';
  return head ? `${head}${PASSIVE_CUT_NOTE}` : REPLY_NOT_DELIVERED;
}

/** The app's message as the core sees it: one-to-one chats only (an app is never in a group chat). */
export function toBotMessage(m: InboundMessage): BotMessage {
  const base = { channel: 'app', userId: m.fromUserName, chat: { type: 'single' as const }, original: m };
  switch (m.type) {
    case 'text':
      return { ...base, id: m.msgId, type: 'text', text: m.content };
    case 'event':
      return { ...base, id: undefined, type: 'event', event: m.event, eventKey: m.eventKey };
    case 'image':
      // The bytes are fetched by media id (the PicUrl is a CDN link that needs no token, but may be gone sooner).
      return m.mediaId
        ? { ...base, id: m.msgId, type: 'image', image: { via: 'media', mediaId: m.mediaId } }
        : { ...base, id: m.msgId, type: 'other', kind: 'image' };
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
