import type { Logger } from 'pino';
import type { Clock } from '../clock.ts';
import type { Store } from '../storage/ports.ts';
import { packParts } from '../utf8-text.ts';
import { BackgroundTasks } from './background.ts';
import type { BotContext, Middleware, Reply } from './context.ts';
import type { BotMessage } from './message.ts';

export const APOLOGY = '抱歉，处理您的消息时出了点问题，请稍后再试。如多次出现，请联系党委办公室。';

/**
 * Where a handler's replies go: the transport's, for this one message. `maxBytes`: how much one message of the
 * channel holds (UTF-8), for packing an answer of several parts; without it, all parts go as one.
 */
export type Replier = ((reply: Reply) => Promise<void>) & { readonly maxBytes?: number };

export interface BotOptions {
  middleware: Middleware;
  store: Store;
  logger: Logger;
  clock: Clock;
}

/**
 * The bot core (grammY's Bot): one message and a replier in, the middleware run under an error boundary. It knows
 * no protocol: deduplication, the reply's wire format and whether it travels passively, through the API or as a
 * stream belong to the transport that called it (src/wecom/app, src/wecom/aibot).
 */
export class Bot {
  /** Work that goes on after a transport answered its HTTP request; shutdown, the CLI and tests wait for it. */
  readonly background = new BackgroundTasks();

  constructor(private readonly o: BotOptions) {}

  /**
   * Runs the handlers for one message; resolves when they are done, with the name of the one that took it.
   * `observe` gets the context first, for a transport that answers before the handler is done and logs who took it.
   */
  async handle(message: BotMessage, replier: Replier, observe?: (ctx: BotContext) => void): Promise<{ handledBy?: string }> {
    const ctx: BotContext = {
      message,
      userId: message.userId,
      text: message.type === 'text' ? message.text.trim() : undefined,
      store: this.o.store,
      log: this.o.logger.child({ user: message.userId, channel: message.channel }),
      clock: this.o.clock,
      match: undefined,
      handledBy: undefined,
      reply: replier,
      // Through `this.reply`: a derived context (one question of several, with its heading) replies its own way.
      async replyAll(this: BotContext, parts) {
        for (const message of packParts(parts, replier.maxBytes ?? Number.POSITIVE_INFINITY)) await this.reply(message);
      },
    };
    observe?.(ctx);
    try {
      await this.o.middleware(ctx, async () => {});
    } catch (err) {
      // The error boundary: a handler's failure is logged and answered politely, never crashes the service.
      ctx.log.error({ err, handler: ctx.handledBy }, 'handler failed');
      await ctx.reply(APOLOGY);
    }
    return ctx.handledBy ? { handledBy: ctx.handledBy } : {};
  }

  /** Waits for background replies and handlers still running. */
  idle(): Promise<void> {
    return this.background.idle();
  }
}
