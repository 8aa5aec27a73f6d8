/**
 * A store's write check for /healthz (issue 23: it said ok while the disk was full, because it checked write
 * permission, not writes). The probe is a real write, and it is kept cheap and bounded: one probe at a time (callers
 * meanwhile share it), its result reused for `reuseMs`, and a probe that does not finish within `timeoutMs` counts as
 * a failure (a hung disk or database is not healthy either).
 */
export class WriteProbe {
  #running: Promise<boolean> | undefined;
  #last: { at: number; ok: boolean } | undefined;

  constructor(
    private readonly write: () => Promise<void>,
    private readonly options: { timeoutMs?: number; reuseMs?: number; now?: () => number } = {},
  ) {}

  check(): Promise<boolean> {
    const now = (this.options.now ?? performance.now.bind(performance))();
    if (this.#last && now - this.#last.at < (this.options.reuseMs ?? 1000)) return Promise.resolve(this.#last.ok);
    this.#running ??= this.#probe().then((ok) => {
      this.#last = { at: (this.options.now ?? performance.now.bind(performance))(), ok };
      this.#running = undefined;
      return ok;
    });
    return this.#running;
  }

  async #probe(): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(false), this.options.timeoutMs ?? 2000);
    });
    try {
      return await Promise.race([
        this.write().then(
          () => true,
          () => false,
        ),
        timeout,
      ]);
    } finally {
      clearTimeout(timer);
    }
  }
}
