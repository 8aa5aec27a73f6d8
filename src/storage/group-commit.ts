/**
 * Group commit for a whole-document store (lowdb serialises the entire document on every write).
 * Callers that change the document await `commit()`; while one write is running, every commit requested
 * meanwhile shares the next single write. So a caller's change is on disk when its promise resolves, and the
 * number of serialisations is bounded by disk speed, not by request rate.
 */
export class GroupCommit {
  #running: Promise<void> | undefined;
  #next: Promise<void> | undefined;

  constructor(private readonly write: () => Promise<void>) {}

  commit(): Promise<void> {
    if (!this.#running) return this.#start();
    // A write is running and may have serialised before our change: join the next one.
    this.#next ??= this.#running
      .catch(() => {})
      .then(() => {
        this.#next = undefined;
        return this.#start();
      });
    return this.#next;
  }

  #start(): Promise<void> {
    const run = this.write().finally(() => {
      if (this.#running === run) this.#running = undefined;
    });
    this.#running = run;
    return run;
  }
}
