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
