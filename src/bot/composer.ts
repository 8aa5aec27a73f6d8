import type { BotContext, Handler, Middleware, NextFn } from './context.ts';
import type { BotMessageType } from './message.ts';
import { NextCalledTwiceError } from '../errors.ts';
import { normalizeText } from './understanding.ts';

export { normalizeText };

/**
 * The one routing mechanism (after grammY's Composer): middleware `(ctx, next)` run in order.
 * `hears` matches text messages by an anchored string (or list), a RegExp or a predicate;
 * `on` matches by message type or event name. A matched handler ends the chain unless it calls nothing:
 * handlers registered with hears/on do not fall through; plain `use` middleware decides with `next`.
 */
export type TextMatcher = string | readonly string[] | RegExp | ((text: string, ctx: BotContext) => boolean);

export class Composer {
  readonly #stack: Middleware[] = [];
  /** For each text handler, in order: whether it would take a text, without running it (see `wouldHandle`). */
  readonly #probes: Array<(text: string, ctx: BotContext) => string | undefined> = [];
  /** The names of its text and event handlers, nested composers' included (the intent step's table). */
  readonly #names: string[] = [];

  /** Adds middleware, or another composer: its handlers run in place, and it answers `wouldHandle` for them. */
  use(...middleware: Array<Middleware | Composer>): this {
    for (const m of middleware) {
      if (m instanceof Composer) {
        this.#stack.push(m.middleware());
        this.#probes.push((text, ctx) => m.wouldHandle(text, ctx));
        this.#names.push(...m.handlerNames());
      } else this.#stack.push(m);
    }
    return this;
  }

  /** Handles text messages whose text matches; names the handler for logs. */
  hears(name: string, textMatcher: TextMatcher, handler: Handler): this {
    const matcher = ready(textMatcher);
    this.#names.push(name);
    this.#probes.push((text, ctx) => (matchText(matcher, text, ctx) ? name : undefined));
    return this.use(async (ctx, next) => {
      if (ctx.text === undefined) return next();
      const match = matchText(matcher, ctx.text, ctx);
      if (!match) return next();
      ctx.match = match === true ? undefined : match;
      ctx.handledBy = name;
      await handler(ctx);
    });
  }

  /**
   * Handles text messages that `parse` understands: it returns what it read (passed to the handler, so nothing is
   * parsed twice) or undefined to let the next handler try.
   */
  parses<T>(name: string, parse: (text: string, ctx: BotContext) => T | undefined, handler: (ctx: BotContext, parsed: T) => Promise<void> | void): this {
    this.#probes.push((text, ctx) => (parse(text, ctx) !== undefined ? name : undefined));
    this.#names.push(name);
    return this.use(async (ctx, next) => {
      if (ctx.text === undefined) return next();
      const parsed = parse(ctx.text, ctx);
      if (parsed === undefined) return next();
      ctx.handledBy = name;
      await handler(ctx, parsed);
    });
  }

  /** Handles messages of a type ('image', 'event', …) or events by name ('event:enter_agent'). */
  on(name: string, filter: BotMessageType | `event:${string}`, handler: Handler): this {
    this.#names.push(name);
    return this.use(async (ctx, next) => {
      const m = ctx.message;
      const hit = filter.startsWith('event:') ? m.type === 'event' && m.event === filter.slice(6) : m.type === filter;
      if (!hit) return next();
      ctx.handledBy = name;
      await handler(ctx);
    });
  }

  /**
   * A dry run: the name of the first text handler (hears or parses) that would take `text`, or undefined. Plain `use`
   * middleware cannot be asked and is passed over, so ask a composer made of text handlers.
   */
  wouldHandle(text: string, ctx: BotContext): string | undefined {
    for (const probe of this.#probes) {
      const name = probe(text, ctx);
      if (name) return name;
    }
    return undefined;
  }

  /** The names its handlers log (hears, parses, on), nested composers' included, in order. */
  handlerNames(): readonly string[] {
    return this.#names;
  }

  middleware(): Middleware {
    return (ctx, next) => run(this.#stack, ctx, next);
  }
}

/** Runs middleware in order; calling `next` twice from one middleware is a programming error. */
export function run(stack: readonly Middleware[], ctx: BotContext, last: NextFn = async () => {}): Promise<void> {
  const dispatch = async (i: number): Promise<void> => {
    const mw = stack[i];
    if (!mw) return last();
    let called = false;
    await mw(ctx, async () => {
      if (called) throw new NextCalledTwiceError();
      called = true;
      await dispatch(i + 1);
    });
  };
  return dispatch(0);
}

/** A matcher made ready once, at registration: string lists become a set of their normalised forms. */
type ReadyMatcher = ReadonlySet<string> | RegExp | ((text: string, ctx: BotContext) => boolean);

function ready(matcher: TextMatcher): ReadyMatcher {
  if (typeof matcher === 'string') return new Set([normalizeText(matcher)]);
  if (typeof matcher === 'function' || matcher instanceof RegExp) return matcher;
  return new Set(matcher.map(normalizeText));
}

/** The text's normalised form comes from the message's one reading (ctx.understand), never computed again. */
function matchText(matcher: ReadyMatcher, text: string, ctx: BotContext): RegExpMatchArray | true | false {
  if (typeof matcher === 'function') return matcher(text, ctx);
  if (matcher instanceof RegExp) return text.match(matcher) ?? false;
  return matcher.has(ctx.understand(text).normalized);
}
