import type { Logger } from 'pino';
import type { Reply } from '../../bot/context.ts';

/**
 * Sends one reply through the API; true when WeCom took it now, false when it waits in the outbox (WeCom down). With
 * `holdBack` it is only queued, behind an earlier reply of the same message that is waiting, so the user still gets
 * them in order.
 */
export type ApiReplySender = (reply: Reply, index: number, holdBack: boolean) => Promise<boolean>;

/**
 * Where a handler's replies go. It starts by collecting them, hoping to answer passively in the HTTP
 * response; once the bot gives up on that (too slow, too many, too long) it switches to the API and sends
 * everything, collected and future, in order.
 */
export class ReplyChannel {
  readonly collected: Reply[] = [];
  #viaApi = false;
  #chain: Promise<void> = Promise.resolve();
  #sent = 0;
  #waiting = false;
  readonly #unsent: Reply[] = [];

  constructor(
    private readonly sendViaApi: ApiReplySender,
    private readonly log: Logger,
  ) {}

  get viaApi(): boolean {
    return this.#viaApi;
  }

  /** Replies that could be neither sent nor queued nor sent directly (the store and WeCom both failed); each is logged. */
  get failures(): number {
    return this.#unsent.length;
  }

  /** Those replies themselves, in order: the transport may still answer them passively. */
  get unsent(): readonly Reply[] {
    return this.#unsent;
  }

  push(reply: Reply): Promise<void> {
    if (!this.#viaApi) {
      this.collected.push(reply);
      return Promise.resolve();
    }
    const index = this.#sent++;
    this.#chain = this.#chain.then(async () => {
      try {
        if (!(await this.sendViaApi(reply, index, this.#waiting))) this.#waiting = true;
      } catch (err) {
        this.#unsent.push(reply);
        this.log.error({ err }, 'reply could not be delivered or queued');
      }
    });
    return this.#chain;
  }

  /** Switches to API delivery, sending what was collected first. */
  switchToApi(): void {
    if (this.#viaApi) return;
    this.#viaApi = true;
    for (const reply of this.collected.splice(0)) void this.push(reply);
  }

  /** Resolves when every queued API send has finished. */
  drained(): Promise<void> {
    return this.#chain;
  }
}
