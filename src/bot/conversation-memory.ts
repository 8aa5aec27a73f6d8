import type { Clock } from '../clock.ts';
import type { ConversationRepository } from '../storage/ports.ts';
import type { Middleware } from './context.ts';

/**
 * What the bot remembers of a conversation between messages, briefly: the document the user was just asking about,
 * so "第三条" after a question on 八项规定 means its third point. In memory, forgotten after `ttlMs` idle; losing it
 * on a restart only means the next bare article number goes to the default law, with its title shown.
 */
export interface ConversationState {
  lastDocId?: string;
  /**
   * The article or point last shown alone, for "那第二款呢", "下一条", "上一条"; with the 款 when one was shown (not the
   * whole article), for "下一款" and "上一款".
   */
  lastArticle?: { docId: string; number: number; clause?: number };
  /** How many records 修改记录 just listed: a bare "1" (or 好 when there was one) next opens that record. */
  amendList?: number;
  /** 补充照片 <回执编号> was said: the images that follow go to this record (its receipt), until 完成. */
  photosFor?: string;
}

/**
 * Handlers read it synchronously (parsers are synchronous); with a shared repository (PostgreSQL: several instances),
 * `middleware()`, first in the chain, loads the user's state before the handlers run and writes it back after them
 * if they changed it, so a follow-up that lands on another instance means the same. Without one (lowdb: one
 * process) it lives here only.
 */
export class ConversationMemory {
  readonly #entries = new Map<string, { state: ConversationState; at: number }>();
  /** Users whose state a handler changed during the message being handled. */
  readonly #changed = new Set<string>();

  constructor(
    private readonly clock: Clock,
    private readonly ttlMs = 30 * 60_000,
    private readonly maxUsers = 10_000,
    private readonly repo?: ConversationRepository,
  ) {}

  /** Loads the sender's state from the repository before the handlers, and saves it after them if it changed. */
  middleware(): Middleware {
    return async (ctx, next) => {
      if (!this.repo) return next();
      const userId = ctx.userId;
      const stored = await this.repo.get(userId);
      this.#entries.delete(userId);
      if (stored) this.#set(userId, stored.state as ConversationState, stored.at);
      this.#changed.delete(userId);
      try {
        await next();
      } finally {
        if (this.#changed.delete(userId)) {
          const e = this.#entries.get(userId);
          if (e) await this.repo.put(userId, e.state as Record<string, unknown>, e.at);
          else await this.repo.delete(userId);
        }
      }
    };
  }

  get(userId: string): ConversationState {
    const e = this.#entries.get(userId);
    if (!e || this.clock.now() - e.at > this.ttlMs) return {};
    return e.state;
  }

  /** Forgets the conversation: a form in between makes "第三条" mean the default again, not what came before it. */
  forget(userId: string): void {
    if (this.#entries.delete(userId)) this.#changed.add(userId);
  }

  update(userId: string, patch: ConversationState): void {
    // A key set to undefined is dropped, so what is kept (and stored as JSON) is what is there.
    const state = Object.fromEntries(Object.entries({ ...this.get(userId), ...patch }).filter(([, v]) => v !== undefined)) as ConversationState;
    this.#set(userId, state, this.clock.now());
    this.#changed.add(userId);
  }

  #set(userId: string, state: ConversationState, at: number): void {
    this.#entries.delete(userId);
    this.#entries.set(userId, { state, at });
    if (this.#entries.size > this.maxUsers) this.#entries.delete(this.#entries.keys().next().value!);
  }
}
