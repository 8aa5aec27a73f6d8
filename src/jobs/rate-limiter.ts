import type { Clock } from '../clock.ts';

/**
 * A sliding-window limit per key (WeCom group robots accept 20 messages a minute each). `acquire` waits until the
 * key may send again. In-process: it spaces one instance's sends; WeCom's 45009 answer covers the rest.
 */
export class RateLimiter {
  readonly #sent = new Map<string, number[]>();

  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
    private readonly clock: Clock,
    private readonly sleep: (ms: number) => Promise<void>,
  ) {}

  async acquire(key: string): Promise<void> {
    for (;;) {
      const now = this.clock.now();
      const recent = (this.#sent.get(key) ?? []).filter((t) => now - t < this.windowMs);
      if (recent.length < this.limit) {
        recent.push(now);
        this.#sent.set(key, recent);
        return;
      }
      this.#sent.set(key, recent);
      await this.sleep(this.windowMs - (now - recent[0]!) + 1);
    }
  }
}
