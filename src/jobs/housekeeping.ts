import type { Logger } from 'pino';
import type { Clock } from '../clock.ts';
import type { Store } from '../storage/ports.ts';
import { jobPrefix } from './job-names.ts';

/** WeCom retries a callback for seconds; a day of dedupe keys is plenty (lowdb keeps its own, in memory). */
export const DEDUPE_KEEP_MS = 24 * 3600_000;
/**
 * Sent API replies stay in the ledger two days (to answer "did it go out?"), then go: on lowdb the ledger is one file
 * rewritten on every write. Pushes and reminders stay.
 */
export const SENT_REPLIES_KEEP_MS = 2 * 24 * 3600_000;

/**
 * Keeps the tables that grow with every message from growing forever: the dedupe ledger, sent API replies, lapsed
 * marks and expired stream frames. Hourly
 * (and once at start); harmless when several instances do it.
 */
export class Housekeeping {
  #timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly logger: Logger,
    private readonly everyMs = 3600_000,
  ) {}

  async run(): Promise<{ dedupe: number; replies: number }> {
    const now = this.clock.now();
    const dedupe = await this.store.dedupe.prune(now - DEDUPE_KEEP_MS);
    const replies = await this.store.deliveries.prune(jobPrefix('reply'), now - SENT_REPLIES_KEEP_MS);
    const marks = (await this.store.marks?.prune(now)) ?? 0;
    // Frames of streams whose refresh window passed (their writer frees its own; these are a stopped writer's).
    const streams = (await this.store.streamFrames?.prune(now)) ?? 0;
    if (dedupe || replies || marks || streams) this.logger.info({ dedupe, replies, marks, streams }, 'housekeeping: pruned');
    return { dedupe, replies };
  }

  start(): void {
    if (this.#timer) return;
    const tick = () => void this.run().catch((err: unknown) => this.logger.error({ err }, 'housekeeping failed'));
    this.#timer = setInterval(tick, this.everyMs);
    this.#timer.unref();
    tick();
  }

  stop(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
  }
}
