/**
 * Work that continues after the HTTP answer (API replies, long handlers). Tracked so that graceful
 * shutdown, the CLI and tests can wait until it is all done.
 */
export class BackgroundTasks {
  readonly #pending = new Set<Promise<unknown>>();

  track<T>(work: Promise<T>): Promise<T> {
    const p = work.finally(() => this.#pending.delete(p));
    this.#pending.add(p);
    // The caller may not await; failures are logged where the work is defined.
    p.catch(() => {});
    return p;
  }

  get size(): number {
    return this.#pending.size;
  }

  /** Resolves once nothing is pending, including work started while waiting. */
  async idle(): Promise<void> {
    while (this.#pending.size > 0) await Promise.allSettled([...this.#pending]);
  }
}
