import type { FormState } from '../../storage/ports.ts';

/**
 * Which messages a form state has applied, so WeCom's retry of one is never applied twice (issue 23). WeCom retries
 * an unanswered callback within seconds (three times, ~5 s apart); after a restart the lowdb dedupe ledger, which
 * lives in memory, has forgotten the message, and on PostgreSQL a dead worker's claim is taken over after its lease.
 * Only the last message used to be remembered: two summary lines retried after a restart became 1, 2, 1, 2. Now the
 * state keeps every message applied within APPLIED_KEEP_MS, at most APPLIED_MAX of them, written in the same write as
 * the state itself (so "applied" and "remembered" can never disagree).
 */
export const APPLIED_KEEP_MS = 10 * 60_000;
/** Far more than anyone sends within WeCom's retry window; only a bound on the state's size. */
export const APPLIED_MAX = 50;

/** Whether the state already contains the effect of the message `key`. */
export function wasApplied(state: FormState, key: string | undefined): boolean {
  if (key === undefined) return false;
  // `lastMessage`: states written before the set existed.
  return state.lastMessage === key || (state.appliedMessages ?? []).some(([k]) => k === key);
}

/** The state's applied set with `key` added at `now`, old and surplus entries dropped (oldest first). */
export function withApplied(state: FormState, key: string | undefined, now: number): Array<[string, number]> {
  const kept = (state.appliedMessages ?? []).filter(([k, at]) => k !== key && now - at < APPLIED_KEEP_MS);
  if (state.lastMessage !== undefined && state.lastMessage !== key && now - state.updatedAt < APPLIED_KEEP_MS) kept.push([state.lastMessage, state.updatedAt]);
  if (key !== undefined) kept.push([key, now]);
  return kept.slice(-APPLIED_MAX);
}
