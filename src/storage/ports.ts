/**
 * Storage ports: one narrow repository per aggregate. The lowdb store implements them for one server
 * (and, with lowdb's Memory adapter, for unit tests); a shared database implements the same interfaces.
 */

/** The outcome of a handled callback, kept so a WeCom retry gets the same answer. */
export interface CallbackOutcome {
  /** The passive reply's plaintext XML, if one was given; re-encrypted fresh for each retry. */
  passiveReplyXml?: string;
}

export type ClaimResult =
  | { status: 'new' }
  | { status: 'done'; outcome: CallbackOutcome }
  /** Another worker claimed it moments ago and has not finished. */
  | { status: 'in_progress' };

export interface DedupeRepository {
  /**
   * Claims a delivery key. 'new' means: handle it. A claim whose worker has not completed within `leaseMs`
   * (it crashed) may be claimed again, so an unanswered message is not lost.
   */
  claim(key: string, now: number, leaseMs: number): Promise<ClaimResult>;
  complete(key: string, outcome: CallbackOutcome, now: number): Promise<void>;
  /** Forgets keys claimed before `before`; WeCom stops retrying after seconds, so a day is plenty. */
  prune(before: number): Promise<number>;
}

export interface Store {
  readonly kind: 'lowdb' | 'memory';
  readonly dedupe: DedupeRepository;
  /** True when the backing store can be read and written. */
  ping(): Promise<boolean>;
  /** Writes everything pending and releases the store. */
  close(): Promise<void>;
}
