import { AppError } from '../errors.ts';
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

/** Who an app message goes to, as the ledger keeps it: user ids, department ids, tag ids (at least one). */
export interface StoredRecipients {
  touser?: string[];
  toparty?: string[];
  totag?: string[];
}

/** An access token as the store keeps it for every instance (the API client that uses it is above the store). */
export interface StoredToken {
  token: string;
  expiresAt: number;
}

/** The store's shared token slot: the WeCom client takes it as its token cache (the shapes agree by design). */
export interface TokenStore {
  get(): Promise<StoredToken | undefined>;
  set(token: StoredToken): Promise<void>;
  clear(token: string): Promise<void>;
  /** Runs a token fetch holding a lock shared by every instance, so only one fetches. */
  exclusive?<T>(work: () => Promise<T>): Promise<T>;
}

/** How a delivery reaches its target. A robot is named by the environment variable of its key, never by the key. */
export type Route = { via: 'robot'; keyEnv: string } | { via: 'appchat'; chatid: string } | ({ via: 'app'; duplicateCheckSec?: number } & StoredRecipients);

/** A text, markdown or file part; assignable to app, app-chat and robot messages (a file by its uploaded media id). */
export type OutboundPart =
  { msgtype: 'text'; text: { content: string } } | { msgtype: 'markdown'; markdown: { content: string } } | { msgtype: 'file'; file: { media_id: string } };

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
  update(
    job: string,
    target: string,
    patch: Partial<Pick<Delivery, 'status' | 'attempts' | 'partsSent' | 'sentAt' | 'errcode' | 'errmsg' | 'retryUntil' | 'inFlight' | 'maybeDelivered'>>,
    now: number,
  ): Promise<void>;
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
  /**
   * Why it paused, for the note that says so: the user started the form again (提交记录 while this one was open),
   * or it sat idle past expiresAt. Absent in states saved before it existed: then the idle time is said as it is.
   */
  pausedBy?: 'new-start' | 'idle';
  /** The message that started the form again (new-start), clipped: the note quotes it. */
  pausedFor?: string;
  /** Whether the user was told about the paused draft since it paused. */
  pausedNoticeGiven?: boolean;
  /**
   * The first message after the pause at a multi-message step (a line of the summary, most likely): kept, and added
   * to the text when the user says 继续, so it is not lost.
   */
  held?: string;
  /** Bumped on every write: a write based on an older revision is refused (two messages at once). */
  revision: number;
  /** Written before issue 23: the one message this state resulted from. Read as part of `appliedMessages`. */
  lastMessage?: string;
  /**
   * The messages (dedupe keys) applied to this state, with when: a retry of any of them is not applied twice. Bounded
   * (src/bot/forms/applied-messages.ts) and written in the same write as the rest of the state.
   */
  appliedMessages?: Array<[string, number]>;
  /** This draft's own id (random): with the revision it names one confirmation, the record's idempotency key. */
  draftId?: string;
  /** Saved by this message (dedupe key): kept so a retry of it, or another 确认, gets the receipt again; ends at the next other message. */
  confirmedBy?: string;
  /** The idempotency key the record was saved with: saving again with it returns the saved record (its receipt). */
  savedWith?: string;
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
  save(input: {
    groupId: string;
    session: string;
    submittedBy: string;
    submittedAt: number;
    fields: RecordFields;
    idempotencyKey: string;
  }): Promise<Submission>;
  /**
   * Saves like `save`, but only if the record is still at `expectedRevision` (0: no record yet): otherwise nothing is
   * saved and the record as it is now is returned, so nobody replaces a version they have not seen.
   */
  saveIfRevision(
    input: Parameters<SubmissionRepository['save']>[0],
    expectedRevision: number,
  ): Promise<{ saved: Submission } | { conflict: Submission | undefined }>;
  get(groupId: string, session: string): Promise<Submission | undefined>;
  /** Records of some groups and/or sessions (all when not given). */
  list(filter?: { groupIds?: string[]; sessions?: string[] }): Promise<Submission[]>;
}

/**
 * A study notice brought in by an admin at run time (导入学习计划 in chat): kept as its text and the office's
 * additions, so every instance imports it the same way; with who brought it and when, and who withdrew it.
 */
export interface PlanImport {
  id: string;
  text: string;
  year?: number;
  week1Monday?: string;
  /** Dates the admin added (补充日期) where the notice gives none. */
  dates?: string[];
  importedBy: string;
  importedAt: number;
  withdrawnBy?: string;
  withdrawnAt?: number;
}

export interface PlanImportRepository {
  /** Every import, withdrawn ones too, oldest first. */
  list(): Promise<PlanImport[]>;
  /** False when a plan with this id was imported already (withdrawn or not). */
  add(p: PlanImport): Promise<boolean>;
  /** False when there is no such import, or it was withdrawn already. */
  withdraw(id: string, by: string, at: number): Promise<boolean>;
}

/**
 * What the bot remembers of a conversation between messages (src/bot/conversation-memory.ts: the document and article
 * last asked about, a list just shown), kept where every instance sees it, so a follow-up ("下一条", "1") may land
 * on any of them. The state is the bot's; storage keeps it as JSON.
 */
export interface ConversationRepository {
  get(userId: string): Promise<{ state: Record<string, unknown>; at: number } | undefined>;
  put(userId: string, state: Record<string, unknown>, at: number): Promise<void>;
  delete(userId: string): Promise<void>;
}

/** Marks every instance sees until they lapse (a status-page session ended with 退出). */
export interface SharedMarks {
  mark(key: string, until: number): Promise<void>;
  has(key: string, now: number): Promise<boolean>;
  /** Forgets marks lapsed before `before`. */
  prune(before: number): Promise<number>;
}

/**
 * The latest frame of an open stream reply (the 智能机器人's), as every instance sees it: the instance producing the
 * answer writes it, any instance answers a refresh from it. Its content is one frame's text (the writer fits it).
 */
export interface StoredStreamFrame {
  id: string;
  /** Who asked, and where: the frame is given only to a refresh from the same user in the same chat. */
  userId: string;
  chat: string;
  content: string;
  finished: boolean;
  /** Nobody may ask for it from then on: it is not served, and it is pruned. */
  expiresAt: number;
}

export interface StreamFrameRepository {
  /** Writes the frame (replacing the stream's earlier one). */
  put(frame: StoredStreamFrame): Promise<void>;
  /** The stream's frame, only for its own user and chat and before it expires (undefined otherwise). */
  get(id: string, userId: string, chat: string, now: number): Promise<StoredStreamFrame | undefined>;
  delete(id: string): Promise<void>;
  /** Forgets frames expired by `now`. */
  prune(now: number): Promise<number>;
}

/**
 * A photo of a study session, kept beside its record (src/records/photos.ts has the limits). `owner` is the record's
 * receipt, or `draft:<id>` for a form not saved yet (moved to the record when it is). `n` numbers an owner's photos
 * from 1 in the order they came. `messageKey` is the message that brought it: a retried callback adds nothing.
 */
export interface StoredPhoto {
  owner: string;
  n: number;
  messageKey: string;
  mime: string;
  size: number;
  addedBy: string;
  addedAt: number;
}

export interface NewPhoto {
  owner: string;
  messageKey: string;
  mime: string;
  bytes: Buffer;
  addedBy: string;
  addedAt: number;
}

/** Checked in the same step as the write (one owner at a time), so two photos at once cannot both pass the limit. */
export interface PhotoLimits {
  maxCount: number;
  maxTotalBytes: number;
  /** Another owner whose photos count too (a draft amending a record: the record's photos). */
  alsoCount?: string;
}

export type AddPhotoResult = { added: boolean; photo: StoredPhoto } | { refused: 'count' | 'bytes'; count: number; bytes: number };

export interface PhotoRepository {
  /** Stores the photo unless its message's photo is stored already (that one is returned, `added: false`). */
  add(photo: NewPhoto, limits: PhotoLimits): Promise<AddPhotoResult>;
  /** An owner's photos in order (without their bytes). */
  list(owner: string): Promise<StoredPhoto[]>;
  read(owner: string, n: number): Promise<Buffer | undefined>;
  /** Moves every photo of `from` after those of `to` (a saved draft's to its record); moving again moves nothing. */
  move(from: string, to: string): Promise<number>;
}

export interface Store {
  readonly kind: 'lowdb' | 'memory' | 'postgres';
  /** Plans brought in at run time, seen by every instance sharing the store. */
  readonly planImports: PlanImportRepository;
  readonly dedupe: DedupeRepository;
  readonly deliveries: DeliveryRepository;
  readonly forms: FormStateRepository;
  readonly submissions: SubmissionRepository;
  /** Photos of the sessions, beside their records. */
  readonly photos: PhotoRepository;
  /** A WeCom access-token cache shared by every instance using this store (PostgreSQL); none for lowdb. */
  tokenCache?(app: string): TokenStore;
  /** Conversation memory shared by every instance (PostgreSQL); none for lowdb, whose one process keeps it in memory. */
  readonly conversations?: ConversationRepository;
  /** Marks shared by every instance (PostgreSQL); none for lowdb, whose one process keeps them in memory. */
  readonly marks?: SharedMarks;
  /** Open streams' frames shared by every instance (PostgreSQL); none for lowdb, whose one process keeps them in memory. */
  readonly streamFrames?: StreamFrameRepository;
  /** True when the backing store can be reached (read). */
  ping(): Promise<boolean>;
  /**
   * The process is shutting down and will have closed the store by `until` (epoch ms): the lowdb store says so in
   * its data folder's lock, so a new process waits for the folder instead of refusing to start.
   */
  beginShutdown?(until: number): Promise<void>;
  /** True when a real write succeeds now (a full disk fails it); cheap and bounded (src/storage/write-probe.ts). */
  canWrite(): Promise<boolean>;
  /** Writes everything pending and releases the store. */
  close(): Promise<void>;
}

/**
 * A user's stored form state could not be read (a corrupt form file). The store has moved it aside (`movedTo`) and
 * the user has no form now; the caller says so to the user and logs where the file went.
 */
export class FormStateUnreadableError extends AppError {
  constructor(
    readonly userId: string,
    readonly reason: string,
    readonly movedTo: string | undefined,
    cause: unknown,
  ) {
    super('ERR_FORM_UNREADABLE', `form state of ${userId} could not be read: ${reason}`, { cause });
  }
}
