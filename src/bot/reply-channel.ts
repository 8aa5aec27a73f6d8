import type { Logger } from 'pino';
import type { Reply } from './context.ts';

/**
 * Where a handler's replies go. It starts by collecting them, hoping to answer passively in the HTTP
 * response; once the bot gives up on that (too slow, too many, too long) it switches to the API and sends
 * everything, collected and future, in order.
 */
export class ReplyChannel {
  readonly collected: Reply[] = [];
  #viaApi = false;
  #chain: Promise<void> = Promise.resolve();
  #failures = 0;

  constructor(
    private readonly sendViaApi: (reply: Reply) => Promise<void>,
    private readonly log: Logger,
  ) {}

  get viaApi(): boolean {
    return this.#viaApi;
  }

  get failures(): number {
    return this.#failures;
  }

  push(reply: Reply): Promise<void> {
    if (!this.#viaApi) {
      this.collected.push(reply);
      return Promise.resolve();
    }
    this.#chain = this.#chain.then(() =>
      this.sendViaApi(reply).catch((err: unknown) => {
        this.#failures++;
        this.log.error({ err }, 'reply could not be delivered through the API');
      }),
    );
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
