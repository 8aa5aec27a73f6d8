/**
 * Injected time. Everything that reads "now" takes a Clock so tests can set it;
 * everything users see is rendered in Asia/Shanghai whatever the server's zone.
 */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

/** A clock tests can set and move. */
export class ManualClock implements Clock {
  constructor(private ms: number) {}
  now(): number {
    return this.ms;
  }
  set(ms: number): void {
    this.ms = ms;
  }
  advance(ms: number): void {
    this.ms += ms;
  }
}

export const USER_TIME_ZONE = 'Asia/Shanghai';

/**
 * A demo clock (BOT_NOW): starts at a chosen instant and runs on in real time from there, so the demo can be tried
 * inside the seed plan's semester. Local mode only (config refuses it live).
 */
export class DemoClock implements Clock {
  readonly #realStart: number;
  constructor(
    readonly startedAt: number,
    private readonly realNow: () => number = Date.now,
  ) {
    this.#realStart = realNow();
  }
  now(): number {
    return this.startedAt + (this.realNow() - this.#realStart);
  }
}

/** The clock a process runs on: the demo clock from BOT_NOW's instant when set (local mode only), else the system's. */
export function clockFor(demoNow: number | undefined): Clock {
  return demoNow !== undefined ? new DemoClock(demoNow) : systemClock;
}

/**
 * Calls `onMinute(minuteStart)` at the start of every minute of `clock`'s time until the returned stop is called.
 * For the schedulers under a DemoClock: node-cron fires on the wall clock, which is years away from the demo's.
 */
export function everyClockMinute(clock: Clock, onMinute: (minuteStart: number) => void): () => void {
  let timer: NodeJS.Timeout | undefined;
  const arm = () => {
    const now = clock.now();
    const next = Math.floor(now / 60_000) * 60_000 + 60_000;
    timer = setTimeout(() => {
      onMinute(next);
      arm();
    }, next - now);
    // A pending minute must not keep a finished process alive (the CLI exits when its answer is printed).
    timer.unref();
  };
  arm();
  return () => clearTimeout(timer);
}
