import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { Bot } from '../../bot/bot.ts';
import type { BotContext, Reply } from '../../bot/context.ts';
import type { Clock } from '../../clock.ts';
import type { Store } from '../../storage/ports.ts';
import { claimWaiting, settlesWithin } from '../app/transport.ts';
import { utf8Length } from '../../utf8-text.ts';
import { toBotMessage, type AibotMessage } from './messages.ts';

/**
 * The 智能机器人's transport (docs 100719, 101031, 101138): its JSON messages to the bot core and back.
 * - Deduplicated on msgid in the store; a retry gets the same first frame.
 * - An answer ready within the budget goes back in one stream frame with finish: true.
 * - A slower one opens the stream (finish: false); WeCom's refresh calls (msgtype "stream") get the text so far and,
 *   once the handlers are done, the whole answer with finish: true.
 * - What does not fit a frame (20,480 bytes), or is ready after the stream's life (6 minutes from the user's
 *   message), goes to the message's response_url, once.
 * Stream state is kept in this process: a refresh reaching another instance gets a polite end of the stream.
 */
export interface AibotTransportOptions {
  bot: Bot;
  store: Store;
  logger: Logger;
  clock: Clock;
  /** How long to wait for handlers before opening a stream instead of answering at once. */
  replyBudgetMs: number;
  fetch?: typeof fetch;
  claimLeaseMs?: number;
  /** WeCom refreshes a stream for 6 minutes after the user's message; we finish ours a little before. */
  streamLifeMs?: number;
  frameLimitBytes?: number;
}

export type AibotReply = Record<string, unknown>;

export interface AibotResult {
  key: string;
  path: 'stream' | 'stream-open' | 'refresh' | 'welcome' | 'none' | 'duplicate' | 'busy';
  /** The passive reply's plaintext JSON object; the route encrypts it. */
  reply?: AibotReply;
  handledBy?: string;
}

interface Stream {
  id: string;
  text: string;
  done: boolean;
  /** How much of `text` WeCom has been shown in frames (the rest goes to response_url). */
  shown: number;
  startedAt: number;
  responseUrl: string | undefined;
  /** The response_url was used (it takes one message). */
  responded: boolean;
}

const CUT_NOTE = '\n……（内容太长，其余部分请分开询问，例如一次查一条）';
const STREAM_EXPIRED = '抱歉，这条回答已经过期，请重新提问。';

export class AibotTransport {
  readonly #o: Required<Omit<AibotTransportOptions, 'fetch'>> & { fetch: typeof fetch };
  readonly #streams = new Map<string, Stream>();

  constructor(options: AibotTransportOptions) {
    this.#o = { claimLeaseMs: 10_000, streamLifeMs: 5.5 * 60_000, frameLimitBytes: 20_480, fetch: globalThis.fetch, ...options };
  }

  async receive(m: AibotMessage): Promise<AibotResult> {
    if (m.msgtype === 'stream' && m.stream) return this.#refresh(m.stream.id);
    const key = `aibot:${m.msgid}`;
    const { store, clock } = this.#o;
    const claim = await claimWaiting(store, key, clock, this.#o.claimLeaseMs, this.#o.replyBudgetMs);
    if (claim.status === 'done') return { key, path: 'duplicate', ...(claim.outcome.passiveReplyXml ? { reply: JSON.parse(claim.outcome.passiveReplyXml) as AibotReply } : {}) };
    if (claim.status === 'in_progress') return { key, path: 'busy' };

    const result = m.msgtype === 'event' ? await this.#event(key, m) : await this.#message(key, m);
    await store.dedupe.complete(key, result.reply ? { passiveReplyXml: JSON.stringify(result.reply) } : {}, clock.now());
    return result;
  }

  /** Events: enter_chat gets its welcome as a text reply (the only kind WeCom takes there); others are routed. */
  async #event(key: string, m: AibotMessage): Promise<AibotResult> {
    const replies: string[] = [];
    let ctx: BotContext | undefined;
    await this.#o.bot.handle(toBotMessage(m), async (r) => void replies.push(textOf(r)), (c) => (ctx = c));
    const handledBy = ctx?.handledBy ? { handledBy: ctx.handledBy } : {};
    if (!replies.length) return { key, path: 'none', ...handledBy };
    if (m.event?.eventtype === 'enter_chat') return { key, path: 'welcome', reply: { msgtype: 'text', text: { content: replies.join('\n\n') } }, ...handledBy };
    // A card click's answer is a message, not an update of the card: it goes to the response_url.
    await this.#respond(m.response_url, replies.join('\n\n'));
    return { key, path: 'none', ...handledBy };
  }

  async #message(key: string, m: AibotMessage): Promise<AibotResult> {
    const stream: Stream = { id: randomUUID(), text: '', shown: 0, done: false, startedAt: this.#o.clock.now(), responseUrl: m.response_url, responded: false };
    let ctx: BotContext | undefined;
    const handling = this.#o.bot
      .handle(toBotMessage(m), async (r) => {
        stream.text = stream.text ? `${stream.text}\n\n${textOf(r)}` : textOf(r);
      }, (c) => (ctx = c))
      .then(() => this.#finished(stream))
      .catch((err: unknown) => this.#o.logger.error({ err }, 'aibot handling failed'));
    const inTime = await settlesWithin(handling, this.#o.replyBudgetMs);
    const handledBy = () => (ctx?.handledBy ? { handledBy: ctx.handledBy } : {});
    if (inTime) {
      if (!stream.text) return { key, path: 'none', ...handledBy() };
      return { key, path: 'stream', reply: this.#frame(stream), ...handledBy() };
    }
    this.#streams.set(stream.id, stream);
    this.#o.bot.background.track(handling);
    return { key, path: 'stream-open', reply: this.#frame(stream), ...handledBy() };
  }

  /** WeCom asks for more of a stream: the text so far; finish once the handlers are done. */
  #refresh(id: string): AibotResult {
    const stream = this.#streams.get(id);
    const key = `aibot-stream:${id}`;
    if (!stream) return { key, path: 'refresh', reply: { msgtype: 'stream', stream: { id, finish: true, content: STREAM_EXPIRED } } };
    const reply = this.#frame(stream);
    if (stream.done) this.#streams.delete(id);
    return { key, path: 'refresh', reply };
  }

  /** A frame: everything so far that fits; when finished, what does not fit goes to response_url. */
  #frame(stream: Stream): AibotReply {
    const content = fitBytes(stream.text, this.#o.frameLimitBytes);
    stream.shown = content.length;
    if (stream.done && content.length < stream.text.length) void this.#respond(stream, stream.text.slice(content.length).trimStart());
    return { msgtype: 'stream', stream: { id: stream.id, finish: stream.done, content } };
  }

  /** Handlers done. A stream that outlived its refreshes sends its answer to response_url instead. */
  #finished(stream: Stream): void {
    stream.done = true;
    if (this.#streams.has(stream.id) && this.#o.clock.now() - stream.startedAt > this.#o.streamLifeMs) {
      this.#streams.delete(stream.id);
      void this.#respond(stream, stream.text.slice(stream.shown).trimStart());
    }
  }

  /** Posts markdown to a message's response_url, once per URL (WeCom takes one message there). */
  async #respond(target: Stream | string | undefined, content: string): Promise<void> {
    const stream = typeof target === 'object' ? target : undefined;
    const url = stream ? stream.responseUrl : (target as string | undefined);
    if (!url || !content || stream?.responded) return;
    if (stream) stream.responded = true;
    // The URL takes one message: what still does not fit is cut, and the reader is told how to get the rest.
    const fitted = fitBytes(content, this.#o.frameLimitBytes - utf8Length(CUT_NOTE));
    const body = { msgtype: 'markdown', markdown: { content: fitted.length < content.length ? `${fitted}${CUT_NOTE}` : content } };
    const sending = this.#o
      .fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body), signal: AbortSignal.timeout(10_000) })
      .then(async (res) => {
        const answer = (await res.json().catch(() => ({}))) as { errcode?: number; errmsg?: string };
        if (!res.ok || answer.errcode) this.#o.logger.warn({ status: res.status, errcode: answer.errcode, errmsg: answer.errmsg }, 'aibot response_url refused the reply');
      })
      .catch((err: unknown) => this.#o.logger.warn({ err }, 'aibot response_url unreachable'));
    await this.#o.bot.background.track(sending);
  }
}

function textOf(reply: Reply): string {
  return typeof reply === 'string' ? reply : reply.markdown;
}

/** The longest prefix of `text` within `maxBytes` of UTF-8, cut after a line where one is near. */
function fitBytes(text: string, maxBytes: number): string {
  if (utf8Length(text) <= maxBytes) return text;
  let bytes = 0;
  let end = 0;
  for (const ch of text) {
    const n = utf8Length(ch);
    if (bytes + n > maxBytes) break;
    bytes += n;
    end += ch.length;
  }
  const lastBreak = text.lastIndexOf('\n', end);
  return text.slice(0, lastBreak > end / 2 ? lastBreak : end);
}
