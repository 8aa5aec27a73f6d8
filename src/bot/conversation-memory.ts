import type { Clock } from '../clock.ts';

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
}

export class ConversationMemory {
  readonly #entries = new Map<string, { state: ConversationState; at: number }>();

  constructor(
    private readonly clock: Clock,
    private readonly ttlMs = 30 * 60_000,
    private readonly maxUsers = 10_000,
  ) {}

  get(userId: string): ConversationState {
    const e = this.#entries.get(userId);
    if (!e || this.clock.now() - e.at > this.ttlMs) return {};
    return e.state;
  }

  /** Forgets the conversation: a form in between makes "第三条" mean the default again, not what came before it. */
  forget(userId: string): void {
    this.#entries.delete(userId);
  }

  update(userId: string, patch: ConversationState): void {
    const state = { ...this.get(userId), ...patch };
    this.#entries.delete(userId);
    this.#entries.set(userId, { state, at: this.clock.now() });
    if (this.#entries.size > this.maxUsers) this.#entries.delete(this.#entries.keys().next().value!);
  }
}
