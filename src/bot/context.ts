import type { Logger } from 'pino';
import type { Clock } from '../clock.ts';
import type { Store } from '../storage/ports.ts';
import type { MessageLimits } from './limits.ts';
import type { Understanding } from './understanding.ts';
import type { BotMessage } from './message.ts';

/** What a handler can answer with. Plain strings are text; markdown is delivered through the API. */
export type Reply = string | { markdown: string };

/**
 * One context per incoming message (grammY's Context). Handlers see this, never Fastify's request nor the transport;
 * `reply` hands the answer to the transport's replier, which decides how it travels (passive reply, API, stream).
 */
export interface BotContext {
  readonly message: BotMessage;
  /** The sender's WeCom user id. */
  readonly userId: string;
  /** Trimmed text of a text message; undefined for other kinds. */
  readonly text: string | undefined;
  /**
   * What the bot read from `text`, once per message (normalised forms, the Shanghai day): handlers and dry runs use
   * this instead of normalising or reading the clock again. For a derived context (one question of several), its part.
   */
  readonly understood: Understanding;
  /** The same for another text of this message (a part a handler looks at), kept for the message's life. */
  understand(text: string): Understanding;
  readonly store: Store;
  readonly log: Logger;
  readonly clock: Clock;
  /** Result of the matcher that selected the running handler (a RegExp match for RegExp matchers). */
  match: RegExpMatchArray | undefined;
  /** Name of the handler that took the message, for the callback log line. */
  handledBy: string | undefined;
  /** What the message was (the intent step, src/bot/intent.ts), for the callback log line; set after the handlers. */
  intent?: string;
  /** What this message may cause (src/bot/limits.ts); replies past it are cut by the core. */
  readonly limits: MessageLimits;
  reply(reply: Reply): Promise<void>;
  /** True once this message's replies reached the limits: anything replied now is dropped. */
  readonly replyCut: boolean;
  /**
   * A short note sent after every other reply, even when the limits cut them (within a part kept for it): what was
   * left unanswered and how to ask for it. Without one, a cut answer ends with a generic note.
   */
  replyLast(note: string): void;
  /**
   * An answer of several parts (articles, lines of a list): as few messages as the channel's size allows, in order,
   * never splitting a part.
   */
  replyAll(parts: readonly string[]): Promise<void>;
}

export type NextFn = () => Promise<void>;
export type Middleware = (ctx: BotContext, next: NextFn) => Promise<void> | void;
export type Handler = (ctx: BotContext) => Promise<void> | void;
