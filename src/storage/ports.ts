import type { Recipients } from '../wecom/api-types.ts';
import type { TokenCache } from '../wecom/client.ts';
import type { RecordFields } from '../records/fields.ts';

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

/** How a delivery reaches its target. A robot is named by the environment variable of its key, never by the key. */
export type Route =
  | { via: 'robot'; keyEnv: string }
  | { via: 'appchat'; chatid: string }
  | ({ via: 'app'; duplicateCheckSec?: number } & Recipients);

/** A text, markdown or file part; assignable to app, app-chat and robot messages (a file by its uploaded media id). */
export type OutboundPart =
  | { msgtype: 'text'; text: { content: string } }
  | { msgtype: 'markdown'; markdown: { content: string } }
  | { msgtype: 'file'; file: { media_id: string } };

/** What a delivery sends, kept with it so the outbox can send it again after an outage without rebuilding it. */
export interface Outgoing {
  route: Route;
  parts: OutboundPart[];
}

/**
 * One delivery of a broadcast: a target × a week (the weekly agenda), or any other keyed push. Recorded before it is
 * sent (pending, claimed by one worker) and after (sent, or failed with the errcode), so nothing is sent twice.
 */
export interface Delivery {
  /** What is delivered, e.g. "agenda:2016-autumn:week-2". */
  job: string;
  target: string;
  status: 'pending' | 'sent' | 'failed';
  attempts: number;
  /** Parts already delivered (a long message is sent in parts; a retry resumes after the last one sent). */
  partsSent: number;
  /**
   * Part `partsSent` was handed to WeCom and no answer is recorded yet (only for routes WeCom does not deduplicate:
   * robots, app chats, replies). Left true by a crash, it means: maybe delivered; never resent automatically.
   */
  inFlight?: boolean;
  /**
   * A part was with WeCom when its sender died (found in flight): it may have been delivered, so it is never resent by
   * itself; 推送状态 says so and an admin decides (补发). Our own state, not a WeCom errcode.
   */
  maybeDelivered?: boolean;
  claimedAt: number;
  /** Which worker holds the claim (process id and start time). */
  claimedBy: string;
  sentAt?: number;
  errcode?: number;
  errmsg?: string;
  /** How many times an operator deliberately resent it. */
  forcedResends?: number;
  updatedAt: number;
  /** What to send; with it, an unsent delivery is retried by the outbox (src/jobs/outbox.ts) until `retryUntil`. */
  payload?: Outgoing;
  retryUntil?: number;
}

export interface ClaimOptions {
  /** Claim even a delivery already sent (an operator's deliberate resend). */
  force?: boolean;
  /** Kept with the delivery (the first claim's; a later claim may replace it). */
  payload?: Outgoing;
  retryUntil?: number;
}

export type DeliveryClaim = { ok: true; delivery: Delivery } | { ok: false; reason: 'already_sent' | 'in_progress'; delivery: Delivery };

export interface DeliveryRepository {
  /**
   * Claims (job, target) for sending. Refused when it was sent (unless `force`) or when another worker claimed it
   * less than `leaseMs` ago. The claim is durable before this resolves.
   */
  claim(job: string, target: string, worker: string, now: number, leaseMs: number, options?: ClaimOptions): Promise<DeliveryClaim>;
  /** Records progress under a claim: a part sent, success, or failure. Durable before it resolves. */
  update(job: string, target: string, patch: Partial<Pick<Delivery, 'status' | 'attempts' | 'partsSent' | 'sentAt' | 'errcode' | 'errmsg' | 'retryUntil' | 'inFlight' | 'maybeDelivered'>>, now: number): Promise<void>;
  get(job: string, target: string): Promise<Delivery | undefined>;
  /** Every delivery of jobs starting with `jobPrefix`, newest first. */
  list(jobPrefix?: string): Promise<Delivery[]>;
  /**
   * What the outbox should try again: not sent, with a payload, `retryUntil` after `now`, and not claimed within
   * `leaseMs` if pending (a worker that died mid-send); in the order of their job names (replies' names sort by time).
   */
  due(now: number, leaseMs: number): Promise<Delivery[]>;
  /** Forgets sent deliveries of jobs starting with `jobPrefix` sent before `before` (API replies, after a while). */
  prune(jobPrefix: string, before: number): Promise<number>;
}

/** A conversational form in progress for one user (see src/bot/forms). */
export interface FormState {
  formId: string;
  /** The form definition's version when this state was started; an older one is offered 继续/重新开始. */
  version: number;
  /** Index of the current field, or -1 for the final confirmation. */
  step: number;
  answers: Record<string, unknown>;
  /** Failed attempts at the current step. */
  attempts: number;
  /** Text being collected over several messages (a long summary), until 完成. */
  buffer?: string;
  /** Set when this form amends an existing record. */
  amends?: string;
  startedAt: number;
  updatedAt: number;
  /** Idle after this: the draft is kept (paused) until draftExpiresAt. */
  expiresAt: number;
  draftExpiresAt: number;
  paused?: boolean;
  /** Whether the user was told about the paused draft since it paused. */
  pausedNoticeGiven?: boolean;
  /**
   * The first message after the pause at a multi-message step (a line of the summary, most likely): kept, and added
   * to the text when the user says 继续, so it is not lost.
   */
  held?: string;
  /** Bumped on every write: a write based on an older revision is refused (two messages at once). */
  revision: number;
  /** The message (dedupe key) this state resulted from: its retry is not applied twice. */
  lastMessage?: string;
  /** Saved by this message (dedupe key): kept only so a retry of it gets the receipt again; ends at the next message. */
  confirmedBy?: string;
}

export interface FormStateRepository {
  get(userId: string): Promise<FormState | undefined>;
  /** Writes the state if the stored revision is still `expectedRevision` (undefined: none stored); false otherwise. */
  put(userId: string, state: FormState, expectedRevision: number | undefined): Promise<boolean>;
  delete(userId: string): Promise<void>;
}

/** A study group's discussion record for one session; the current revision, with the earlier ones kept. */
export interface Submission {
  receipt: string;
  groupId: string;
  /** The schedule entry's date (the session), YYYY-MM-DD. */
  session: string;
  revision: number;
  submittedBy: string;
  submittedAt: number;
  fields: RecordFields;
  history: Array<{ revision: number; submittedBy: string; submittedAt: number; fields: RecordFields }>;
}

/** The receipt of a record's first save: JL-<session without dashes>-<its number in the session, at least 3 digits>. */
export function receiptOf(session: string, n: number): string {
  return `JL-${session.replace(/-/g, '')}-${String(n).padStart(3, '0')}`;
}

export interface SubmissionRepository {
  /**
   * Saves a new record or a new revision of (group, session). Durable before it resolves. `idempotencyKey` (the
   * message that confirmed it) makes a retried confirmation return the first result instead of a second revision.
   */
  save(input: { groupId: string; session: string; submittedBy: string; submittedAt: number; fields: RecordFields; idempotencyKey: string }): Promise<Submission>;
  /**
   * Saves like `save`, but only if the record is still at `expectedRevision` (0: no record yet): otherwise nothing is
   * saved and the record as it is now is returned, so nobody replaces a version they have not seen.
   */
  saveIfRevision(input: Parameters<SubmissionRepository['save']>[0], expectedRevision: number): Promise<{ saved: Submission } | { conflict: Submission | undefined }>;
  get(groupId: string, session: string): Promise<Submission | undefined>;
  /** Records of some groups and/or sessions (all when not given). */
  list(filter?: { groupIds?: string[]; sessions?: string[] }): Promise<Submission[]>;
}

export interface Store {
  readonly kind: 'lowdb' | 'memory' | 'postgres';
  readonly dedupe: DedupeRepository;
  readonly deliveries: DeliveryRepository;
  readonly forms: FormStateRepository;
  readonly submissions: SubmissionRepository;
  /** A WeCom access-token cache shared by every instance using this store (PostgreSQL); none for lowdb. */
  tokenCache?(app: string): TokenCache;
  /** True when the backing store can be read and written. */
  ping(): Promise<boolean>;
  /** Writes everything pending and releases the store. */
  close(): Promise<void>;
}
