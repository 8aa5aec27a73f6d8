import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { Bot } from '../../bot/bot.ts';
import type { BotContext, Reply } from '../../bot/context.ts';
import type { Clock } from '../../clock.ts';
import type { Store, StreamFrameRepository } from '../../storage/ports.ts';
import { claimWaiting, settlesWithin } from '../app/transport.ts';
import { fitBytes, utf8Length } from '../../utf8-text.ts';
import { toBotMessage, type AibotMessage } from './messages.ts';
import { checkResponseUrl } from './response-url.ts';
import { appendReply, newStream, STREAM_WINDOW_MS, StreamRegistry, type Stream } from './streams.ts';

/**
 * The 智能机器人's transport (docs 100719, 101031, 101138): its JSON messages to the bot core and back.
 * - Deduplicated on msgid in the store; a retry gets the same first frame.
 * - An answer ready within the budget goes back in one stream frame with finish: true.
 * - A slower one opens the stream (finish: false); WeCom's refresh calls (msgtype "stream") get the text so far and,
 *   once the handlers are done, the whole answer with finish: true.
 * - What does not fit a frame (20,480 bytes), or is ready after the stream's life (6 minutes from the user's
 *   message), goes to the message's response_url, once.
 * - Open streams are bounded in time, size and number, and a refresh is answered only for the stream's own user and
 *   chat (./streams.ts); the finished frame is served to every refresh within WeCom's window.
 * Stream state is kept in this process; with a shared store (PostgreSQL) each open stream's latest frame is also
 * written there by the instance producing the answer, before WeCom learns the stream's id, so a refresh reaching
 * another instance gets the same frame (issue 22). There the finished frame is made as soon as the handlers are done
 * (what does not fit goes to response_url then), since any instance may serve it. A frame that could not be written
 * only costs a refresh on another instance the polite end of the stream.
 */
export interface AibotTransportOptions {
  bot: Bot;
  store: Store;
  logger: Logger;
  clock: Clock;
  /** How long to wait for handlers before opening a stream instead of answering at once. */
  replyBudgetMs: number;
  fetch?: typeof fetch;
  /** WeCom's API base (WECOM_API_BASE, or the simulator's): the only origin a response_url may point to. */
  apiBase: string;
  claimLeaseMs?: number;
  /** WeCom refreshes a stream for 6 minutes after the user's message; we finish ours a little before. */
  streamLifeMs?: number;
  frameLimitBytes?: number;
  /** Streams kept at once (each at most two frames' worth of text); beyond, slow answers go to response_url. */
  maxStreams?: number;
}

export type AibotReply = Record<string, unknown>;

export interface AibotResult {
  key: string;
  path: 'stream' | 'stream-open' | 'refresh' | 'welcome' | 'none' | 'duplicate' | 'busy';
  /** The passive reply's plaintext JSON object; the route encrypts it. */
  reply?: AibotReply;
  handledBy?: string;
  /** What the message was (src/bot/intent.ts), once the handlers are done. */
  intent?: string;
}

const CUT_NOTE = '\n……（内容太长，其余部分请分开询问，例如一次查一条）';
const STREAM_EXPIRED = '抱歉，这条回答已经过期，请重新提问。';
const ANSWER_LATER = '正在查找，回答稍后发到这里。';

export class AibotTransport {
  readonly #o: Required<Omit<AibotTransportOptions, 'fetch'>> & { fetch: typeof fetch };
  readonly #streams: StreamRegistry;

  constructor(options: AibotTransportOptions) {
    this.#o = { claimLeaseMs: 10_000, streamLifeMs: 5.5 * 60_000, frameLimitBytes: 20_480, maxStreams: 2000, fetch: globalThis.fetch, ...options };
    this.#streams = new StreamRegistry(this.#o.maxStreams, (s) => void this.#unshare(s));
  }

  /** Where open streams' frames are shared between instances (PostgreSQL); none for a one-process store. */
  get #shared(): StreamFrameRepository | undefined {
    return this.#o.store.streamFrames;
  }

  /** Streams held in memory now (tests and the leak benchmark count them). */
  get liveStreams(): number {
    return this.#streams.size;
  }

  /** One frame and one response_url message: more is never shown, so never kept. */
  get #maxStreamBytes(): number {
    return 2 * this.#o.frameLimitBytes;
  }

  async receive(m: AibotMessage): Promise<AibotResult> {
    const now = this.#o.clock.now();
    // Streams freed here: their shared frames go with them (one statement for all expired ones, any writer's).
    if (this.#streams.sweep(now) > 0 && this.#shared)
      void this.#o.bot.background.track(
        this.#shared.prune(now).catch((err: unknown) => this.#o.logger.warn({ err }, 'aibot: expired stream frames not pruned')),
      );
    if (m.msgtype === 'stream' && m.stream) return this.#refresh(m.stream.id, m.from.userid, chatOf(m));
    const key = `aibot:${m.msgid}`;
    const { store, clock } = this.#o;
    const claim = await claimWaiting(store, key, clock, this.#o.claimLeaseMs, this.#o.replyBudgetMs);
    if (claim.status === 'done')
      return { key, path: 'duplicate', ...(claim.outcome.passiveReplyXml ? { reply: JSON.parse(claim.outcome.passiveReplyXml) as AibotReply } : {}) };
    if (claim.status === 'in_progress') return { key, path: 'busy' };

    const result = m.msgtype === 'event' ? await this.#event(key, m) : await this.#message(key, m);
    await store.dedupe.complete(key, result.reply ? { passiveReplyXml: JSON.stringify(result.reply) } : {}, clock.now());
    return result;
  }

  /** Events: enter_chat gets its welcome as a text reply (the only kind WeCom takes there); others are routed. */
  async #event(key: string, m: AibotMessage): Promise<AibotResult> {
    const replies: string[] = [];
    let ctx: BotContext | undefined;
    await this.#o.bot.handle(
      toBotMessage(m),
      async (r) => void replies.push(textOf(r)),
      (c) => (ctx = c),
    );
    const handledBy = { ...(ctx?.handledBy ? { handledBy: ctx.handledBy } : {}), ...(ctx?.intent ? { intent: ctx.intent } : {}) };
    if (!replies.length) return { key, path: 'none', ...handledBy };
    if (m.event?.eventtype === 'enter_chat') return { key, path: 'welcome', reply: { msgtype: 'text', text: { content: replies.join('\n\n') } }, ...handledBy };
    // A card click's answer is a message, not an update of the card: it goes to the response_url.
    await this.#respond(m.response_url, replies.join('\n\n'));
    return { key, path: 'none', ...handledBy };
  }

  async #message(key: string, m: AibotMessage): Promise<AibotResult> {
    const stream = newStream(randomUUID(), m.from.userid, chatOf(m), this.#o.clock.now(), m.response_url);
    let ctx: BotContext | undefined;
    const handling = this.#o.bot
      .handle(
        toBotMessage(m),
        async (r) => {
          appendReply(stream, textOf(r), this.#maxStreamBytes);
          await this.#share(stream);
        },
        (c) => (ctx = c),
      )
      .then(() => this.#finished(stream))
      .catch((err: unknown) => this.#o.logger.error({ err }, 'aibot handling failed'));
    const inTime = await settlesWithin(handling, this.#o.replyBudgetMs);
    const handledBy = () => ({ ...(ctx?.handledBy ? { handledBy: ctx.handledBy } : {}), ...(ctx?.intent ? { intent: ctx.intent } : {}) });
    if (inTime) {
      if (!stream.text) return { key, path: 'none', ...handledBy() };
      return { key, path: 'stream', reply: this.#frame(stream), ...handledBy() };
    }
    this.#o.bot.background.track(handling);
    if (!this.#streams.add(stream, this.#o.clock.now())) {
      // Every place is taken by a stream still needed: this answer goes to response_url when it is ready.
      this.#o.logger.warn({ streams: this.#streams.size }, 'aibot: too many open streams; answering through response_url');
      stream.late = true;
      if (stream.done) void this.#finished(stream); // it finished in the meantime: its answer goes now
      return { key, path: 'stream', reply: { msgtype: 'stream', stream: { id: stream.id, finish: true, content: ANSWER_LATER } }, ...handledBy() };
    }
    stream.open = true;
    // Shared before WeCom gets the id: its first refresh may land on another instance. Handlers that finished while it
    // had no place yet did not make its finished frame: made now (#finished runs again; it does nothing twice).
    await (stream.done ? this.#finished(stream) : this.#share(stream));
    return { key, path: 'stream-open', reply: this.#frame(stream), ...handledBy() };
  }

  /**
   * WeCom asks for more of a stream: the text so far; finish once the handlers are done. The finished frame is served
   * to every refresh within the window (WeCom may ask again when an answer was lost), and only to the stream's own
   * user in its own chat: anyone else is told what an unknown stream is told.
   */
  async #refresh(id: string, userId: string, chat: string): Promise<AibotResult> {
    const stream = this.#streams.get(id, userId, chat);
    const key = `aibot-stream:${id}`;
    if (stream) return { key, path: 'refresh', reply: this.#frame(stream) };
    // Another instance's stream, perhaps: its latest frame as that instance wrote it (same user and chat only).
    const shared = await this.#shared?.get(id, userId, chat, this.#o.clock.now()).catch((err: unknown) => {
      this.#o.logger.warn({ err }, 'aibot: shared stream frame unreadable; the stream is ended politely');
      return undefined;
    });
    if (shared) return { key, path: 'refresh', reply: { msgtype: 'stream', stream: { id, finish: shared.finished, content: shared.content } } };
    return { key, path: 'refresh', reply: { msgtype: 'stream', stream: { id, finish: true, content: STREAM_EXPIRED } } };
  }

  /**
   * A frame: everything so far that fits; when finished, what does not fit goes to response_url, and only the frame's
   * text is kept (it is served again to a repeated refresh; the rest is no longer needed in memory).
   */
  #frame(stream: Stream): AibotReply {
    const content = fitBytes(stream.text, this.#o.frameLimitBytes);
    stream.shown = content.length;
    if (stream.done) {
      stream.served = true;
      if (content.length < stream.text.length || (stream.cut && !stream.responded)) void this.#respond(stream, stream.text.slice(content.length).trimStart());
      stream.text = content;
    }
    return { msgtype: 'stream', stream: { id: stream.id, finish: stream.done, content } };
  }

  /**
   * Handlers done. A stream that outlived its refreshes (or never got a place) sends its answer to response_url. A
   * shared one gets its finished frame now (the rest to response_url), and every instance sees it.
   */
  async #finished(stream: Stream): Promise<void> {
    stream.done = true;
    if (stream.late || this.#o.clock.now() - stream.startedAt > this.#o.streamLifeMs) {
      // With a shared store another instance may have shown more than `shown`: then some text comes twice, none is lost.
      stream.served = true;
      void this.#respond(stream, stream.text.slice(stream.shown).trimStart());
      stream.text = stream.text.slice(0, stream.shown);
    } else if (this.#shared && stream.open) {
      const content = fitBytes(stream.text, this.#o.frameLimitBytes);
      if (content.length < stream.text.length || stream.cut) void this.#respond(stream, stream.text.slice(content.length).trimStart());
      stream.text = content;
    }
    await this.#share(stream);
  }

  /**
   * Writes an open stream's latest frame to the shared store (nothing without one). Writes queue one after another
   * and each takes the frame as it is when it runs, so the last one written is the latest.
   */
  #share(stream: Stream): Promise<void> {
    const shared = this.#shared;
    if (!shared || !stream.open) return Promise.resolve();
    const write = async () => {
      if (!stream.open) return; // freed meanwhile: its frame is gone, and stays gone
      const content = fitBytes(stream.text, this.#o.frameLimitBytes);
      if (stream.shared?.content === content && stream.shared.done === stream.done) return;
      await shared.put({
        id: stream.id,
        userId: stream.userId,
        chat: stream.chat,
        content,
        finished: stream.done,
        expiresAt: stream.startedAt + STREAM_WINDOW_MS,
      });
      stream.shared = { content, done: stream.done };
    };
    stream.sharing = (stream.sharing ?? Promise.resolve()).then(write).catch((err: unknown) => {
      this.#o.logger.warn({ err }, 'aibot: stream frame not shared; a refresh on another instance gets the polite end');
    });
    return stream.sharing;
  }

  /** A stream made way for a new one: its shared frame goes too (after any write still queued). */
  #unshare(stream: Stream): Promise<void> {
    const shared = this.#shared;
    stream.open = false;
    if (!shared) return Promise.resolve();
    stream.sharing = (stream.sharing ?? Promise.resolve())
      .then(() => shared.delete(stream.id))
      .catch((err: unknown) => {
        this.#o.logger.warn({ err }, 'aibot: freed stream frame not deleted (it lapses at its expiry)');
      });
    return this.#o.bot.background.track(stream.sharing);
  }

  /** Posts markdown to a message's response_url, once per URL (WeCom takes one message there). */
  async #respond(target: Stream | string | undefined, content: string): Promise<void> {
    const stream = typeof target === 'object' ? target : undefined;
    const url = stream ? stream.responseUrl : (target as string | undefined);
    if (!url || !content || stream?.responded) return;
    if (stream) stream.responded = true;
    const allowed = checkResponseUrl(url, this.#o.apiBase);
    if (!allowed.ok) {
      // Never sent: only the reason is logged (the URL itself carries the response code).
      this.#o.logger.warn({ reason: allowed.reason }, 'aibot response_url refused: not WeCom');
      return;
    }
    // The URL takes one message: what still does not fit is cut, and the reader is told how to get the rest.
    const fitted = fitBytes(content, this.#o.frameLimitBytes - utf8Length(CUT_NOTE));
    const cut = fitted.length < content.length || stream?.cut === true;
    const body = { msgtype: 'markdown', markdown: { content: cut ? `${fitted}${CUT_NOTE}` : content } };
    const sending = this.#o
      .fetch(allowed.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body), signal: AbortSignal.timeout(10_000) })
      .then(async (res) => {
        const answer = (await res.json().catch(() => ({}))) as { errcode?: number; errmsg?: string };
        if (!res.ok || answer.errcode)
          this.#o.logger.warn({ status: res.status, errcode: answer.errcode, errmsg: answer.errmsg }, 'aibot response_url refused the reply');
      })
      .catch((err: unknown) => this.#o.logger.warn({ err }, 'aibot response_url unreachable'));
    await this.#o.bot.background.track(sending);
  }
}

/** Which chat a message is in: the group's id, or the one-to-one chat. */
function chatOf(m: AibotMessage): string {
  return m.chattype === 'group' && m.chatid ? `group:${m.chatid}` : 'single';
}

function textOf(reply: Reply): string {
  return typeof reply === 'string' ? reply : reply.markdown;
}
