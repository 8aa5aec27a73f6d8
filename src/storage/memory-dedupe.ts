import type { CallbackOutcome, ClaimResult, DedupeRepository } from './ports.ts';

/**
 * The callback dedupe ledger for a single instance, in memory with a short retention.
 *
 * Why not on disk with the rest of the lowdb data: WeCom retries a callback only within ~15 s, and it changes on
 * every message, while lowdb rewrites a whole file per write (a persisted ledger, since removed, cut callback
 * throughput several times over; that code is gone, so no figure). Persisting it would also not help where it seems to: a claim that
 * survives a crash blocks WeCom's retry for its lease, so the message would go unanswered. Side effects that must
 * happen once (form answers, submissions) are made idempotent where they are stored, keyed by the message id.
 * Several instances share a ledger in the database instead (PostgreSQL store).
 */
export const DEDUPE_RETENTION_MS = 10 * 60_000;
/**
 * The stored reply is what a retry gets back, and WeCom retries within ~15 s; after a minute only the key is kept
 * (a replay inside the timestamp window is still not handled twice; it gets an empty 200). Measured by the soak
 * run: keeping every reply for the full retention grew the process by ~130 MB over 10 minutes at 166 messages/s.
 */
export const DEDUPE_REPLY_RETENTION_MS = 60_000;

interface Entry {
  claimedAt: number;
  doneAt?: number;
  outcome?: CallbackOutcome;
}

export class MemoryDedupe implements DedupeRepository {
  // Insertion-ordered, so pruning stops at the first entry that is recent enough.
  readonly #entries = new Map<string, Entry>();
  #lastPrune = 0;

  async claim(key: string, now: number, leaseMs: number): Promise<ClaimResult> {
    if (now - this.#lastPrune > 30_000) {
      this.#lastPrune = now;
      await this.prune(now - DEDUPE_RETENTION_MS);
      this.#forgetReplies(now - DEDUPE_REPLY_RETENTION_MS);
    }
    const existing = this.#entries.get(key);
    if (existing?.doneAt !== undefined) return { status: 'done', outcome: existing.outcome ?? {} };
    if (existing && now - existing.claimedAt < leaseMs) return { status: 'in_progress' };
    this.#entries.delete(key);
    this.#entries.set(key, { claimedAt: now });
    return { status: 'new' };
  }

  async complete(key: string, outcome: CallbackOutcome, now: number): Promise<void> {
    const entry = this.#entries.get(key);
    if (entry) {
      entry.doneAt = now;
      entry.outcome = outcome;
    } else {
      this.#entries.set(key, { claimedAt: now, doneAt: now, outcome });
    }
  }

  async prune(before: number): Promise<number> {
    let removed = 0;
    for (const [key, e] of this.#entries) {
      if (e.claimedAt >= before) break;
      this.#entries.delete(key);
      removed++;
    }
    return removed;
  }

  #forgetReplies(before: number): void {
    for (const e of this.#entries.values()) {
      if (e.claimedAt >= before) break;
      if (e.outcome?.passiveReplyXml) e.outcome = {};
    }
  }

  get size(): number {
    return this.#entries.size;
  }
}
