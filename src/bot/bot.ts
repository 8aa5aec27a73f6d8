import type { Logger } from 'pino';
import type { Clock } from '../clock.ts';
import type { Store } from '../storage/ports.ts';
import { packParts } from '../utf8-text.ts';
import { BackgroundTasks } from './background.ts';
import type { BotContext, Middleware, Reply } from './context.ts';
import { MESSAGE_LIMITS, ReplyBudget, tooLongReply, type MessageLimits } from './limits.ts';
import type { BotMessage } from './message.ts';
import { understandings } from './understanding.ts';

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
  /** What one message may cause (src/bot/limits.ts); tests give smaller ones. */
  limits?: MessageLimits;
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
    const limits = this.o.limits ?? MESSAGE_LIMITS;
    // Every reply of this message, from any handler, counts against one budget: no handler can fan out past it.
    const budget = new ReplyBudget(limits, replier.maxBytes);
    const reply = async (r: Reply) => {
      for (const admitted of budget.admit(r)) await replier(admitted);
    };
    let closingNote: string | undefined;
    // The message is read once (normalised forms, the day), here, for every handler and dry run.
    const understand = understandings(this.o.clock);
    const ctx: BotContext = {
      message,
      userId: message.userId,
      text: message.type === 'text' ? message.text.trim() : undefined,
      // A getter: a derived context (one question of several) overrides `text` and gets its own part's reading.
      get understood() {
        return understand(this.text ?? '');
      },
      understand,
      store: this.o.store,
      log: this.o.logger.child({ user: message.userId, channel: message.channel }),
      clock: this.o.clock,
      match: undefined,
      handledBy: undefined,
      limits,
      get replyCut() {
        return budget.cut;
      },
      replyLast(note: string) {
        closingNote = note;
      },
      reply,
      // Through `this.reply`: a derived context (one question of several, with its heading) replies its own way.
      async replyAll(this: BotContext, parts) {
        for (const message of packParts(parts, replier.maxBytes ?? Number.POSITIVE_INFINITY)) await this.reply(message);
      },
    };
    observe?.(ctx);
    const chars = ctx.text === undefined ? 0 : countChars(ctx.text);
    try {
      if (chars > limits.maxTextChars) {
        // Not handled at all: the work per message stays bounded whatever the body limit lets through.
        ctx.handledBy = 'too-long';
        await ctx.reply(tooLongReply(chars, limits));
      } else await this.o.middleware(ctx, async () => {});
    } catch (err) {
      // The error boundary: a handler's failure is logged and answered politely, never crashes the service.
      ctx.log.error({ err, handler: ctx.handledBy }, 'handler failed');
      await ctx.reply(APOLOGY);
    }
    const closing = budget.closing(closingNote);
    if (closing !== undefined) await replier(closing);
    if (budget.cut)
      ctx.log.warn({ handler: ctx.handledBy, parts: budget.parts, dropped: budget.dropped }, 'reply limit reached: the rest of the answer was cut');
    return ctx.handledBy ? { handledBy: ctx.handledBy } : {};
  }

  /** Waits for background replies and handlers still running. */
  idle(): Promise<void> {
    return this.background.idle();
  }
}

/** Characters (code points) of `text`, as people count them (an emoji is one). Linear; the body limit bounds it. */
function countChars(text: string): number {
  let n = 0;
  for (const _ of text) n++;
  return n;
}
