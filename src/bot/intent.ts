import type { Composer } from './composer.ts';
import type { BotContext, Middleware } from './context.ts';

/**
 * The intent step (issue 20): what a message is, in one place, from the recognisers the handlers already have. The
 * kinds: a question (article, schedule, plan, record questions, keyword search), a record command (the record form and
 * a secretary's records), an office command (the office's views, exports, the status page, the push), small talk
 * (help, greetings, thanks), a step of a form in progress, and off-topic (nothing understood it).
 *
 * The step is built from the routing's own composers, each with its kind, in the order the bot tries them
 * (handlers/index.ts). `recognise` is the dry run the form engine, the group-chat rule and a message of several
 * questions ask ("which question handler would take this?", "is this one person's business?"); its answer is kept
 * on the text's reading (ctx.understand), so a second asker of the same message does not run the recognisers again.
 * After the handlers ran, the step names the message's intent from the handler that took it (`ctx.intent`, logged as
 * `intent` on every callback).
 */
export type IntentKind = 'question' | 'record-command' | 'office-command' | 'small-talk' | 'form-step' | 'off-topic';

/** Handlers that say they did not understand: the message was off-topic whatever took it. */
const NOT_UNDERSTOOD = new Set(['fallback', 'search-unsure']);

export class IntentStep {
  readonly #groups: ReadonlyArray<{ kind: IntentKind; composer: Composer }>;
  readonly #kindOf = new Map<string, IntentKind>();

  readonly #pointers: Readonly<Record<string, readonly IntentKind[]>>;

  /**
   * `others`: handlers outside the groups and their kinds. `pointers`: handlers that answer for other recognisers (the
   * group chat's pointer to the private chat): the intent is what those kinds recognise.
   */
  constructor(
    groups: ReadonlyArray<{ kind: IntentKind; composer: Composer }>,
    others: Readonly<Record<string, IntentKind>> = {},
    pointers: Readonly<Record<string, readonly IntentKind[]>> = {},
  ) {
    this.#groups = groups;
    this.#pointers = pointers;
    for (const { kind, composer } of groups) for (const name of composer.handlerNames()) if (!this.#kindOf.has(name)) this.#kindOf.set(name, kind);
    for (const [name, kind] of Object.entries(others)) this.#kindOf.set(name, kind);
  }

  /**
   * The first handler of the given kinds (all when none given), in routing order, that would take `text`; undefined
   * when none would. Kept on the text's reading for the rest of the message.
   */
  recognise(text: string, ctx: BotContext, kinds?: readonly IntentKind[]): string | undefined {
    const key = `intent:${kinds?.join(',') ?? '*'}`;
    return ctx.understand(text).remember(key, () => {
      for (const { kind, composer } of this.#groups) {
        if (kinds && !kinds.includes(kind)) continue;
        const name = composer.wouldHandle(text, ctx);
        if (name) return name;
      }
      return undefined;
    });
  }

  /** The kind of intent a handler serves; a text message no handler named was a form's step. */
  kindOf(handler: string | undefined): IntentKind | undefined {
    if (handler === undefined) return undefined;
    if (NOT_UNDERSTOOD.has(handler)) return 'off-topic';
    return this.#kindOf.get(handler);
  }

  /** Runs the handlers, then names the message's intent on the context (for the callback's log line). */
  middleware(): Middleware {
    return async (ctx, next) => {
      await next();
      if (ctx.message.type !== 'text' || ctx.text === undefined) return;
      const pointedAt = ctx.handledBy !== undefined ? this.#pointers[ctx.handledBy] : undefined;
      const handler = pointedAt ? this.recognise(ctx.text, ctx, pointedAt) : ctx.handledBy;
      ctx.intent = ctx.handledBy === undefined ? 'form-step' : (this.kindOf(handler) ?? 'off-topic');
    };
  }
}
