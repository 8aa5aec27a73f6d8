import { hostname } from 'node:os';
import type { Logger } from 'pino';
import type { Clock } from '../clock.ts';
import { AppError, StoreWriteError, TargetUnconfiguredError } from '../errors.ts';
import type { Delivery, DeliveryClaim, Outgoing, OutboundPart, Store } from '../storage/ports.ts';
import type { UploadFile } from '../wecom/api-types.ts';
import type { WeComClient } from '../wecom/client.ts';
import { RateLimiter } from './rate-limiter.ts';
import { deliveryFailure, type DeliveryFailure } from './delivery-failure.ts';

/**
 * Every message the bot pushes (the weekly agenda, reminders, replies sent through the API) goes out through here:
 * claimed in the delivery ledger together with what it says, each part recorded as it is accepted, then sent or
 * failed with WeCom's errcode (or, when WeCom gave none, what went wrong). So a second trigger, a restart or a second instance never sends it twice, and a
 * delivery that failed while WeCom was down (refused, timing out, 5xx, 45009) is not dropped: `sweep` (every minute,
 * from `start`) sends it again, resuming after its last accepted part, until it is accepted or its retry window
 * closes. Errors that retrying cannot heal (a bad robot key, an unknown chat) end the delivery at once. Whatever ends
 * unsent is logged as an error and listed by 推送状态.
 *
 * A crash while a part is with WeCom leaves its fate unknown: WeCom may deliver a request whose sender died. App
 * messages sent with WeCom's duplicate check (the agenda to members, reminders) are simply sent again: WeCom drops
 * the copy. Robots, app chats and replies have no such check, so before handing WeCom such a part the ledger marks
 * it in flight; a delivery found in flight is not resent by itself (that would double it) but marked maybe delivered,
 * listed by 推送状态 as "may have been delivered", and resent only when an admin asks (补发本周推送).
 */
export interface OutboxOptions {
  store: Store;
  client: WeComClient;
  clock: Clock;
  logger: Logger;
  /** Robot keys by environment variable name (config.robotKeys). */
  robotKeys: Readonly<Record<string, string>>;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  /** A claim older than this whose worker never finished is taken over. */
  leaseMs?: number;
  /** How often `start` sweeps. */
  sweepEveryMs?: number;
  worker?: string;
}

export interface SendOptions {
  /** Send even when already sent (an operator's deliberate resend). */
  force?: boolean;
  /**
   * Attempts now, with backoff between them (each attempt already includes the client's own short retries); 0 only
   * queues it for the sweep (behind an earlier message to the same target that is waiting).
   */
  attempts?: number;
  backoffBaseMs?: number;
  /** Until when the sweep retries it after the attempts now have failed. */
  retryForMs: number;
  /** Send again a part that may have been delivered (maybe delivered): an admin's decision, implied by `force`. */
  resendUncertain?: boolean;
}

export type SendOutcome = 'sent' | 'already_sent' | 'in_progress' | 'queued' | 'failed';

export interface SendResult {
  outcome: SendOutcome;
  attempts?: number;
  /** What WeCom answered, when it refused. */
  errcode?: number;
  errmsg?: string;
  /** A part was with WeCom when its sender died: maybe delivered, not resent by itself. */
  maybeDelivered?: true;
}

export interface SweepReport {
  due: number;
  sent: number;
  failed: number;
}

export class Outbox {
  readonly #o: Required<OutboxOptions>;
  readonly #robotLimit: RateLimiter;
  #timer: NodeJS.Timeout | undefined;
  #claims = 0;
  #sweeping: Promise<SweepReport> | undefined;
  #handingOver = false;

  constructor(options: OutboxOptions) {
    const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
    this.#o = { sleep, random: Math.random, leaseMs: 10 * 60_000, sweepEveryMs: 60_000, worker: `${hostname()}:${process.pid}:${Date.now()}`, ...options };
    this.#robotLimit = new RateLimiter(20, 60_000, options.clock, sleep);
  }

  /**
   * Each claim under a name of its own: a delivery claimed moments ago is "in progress" even to another send in this
   * process (two admins asking for reminders at once), not only to other instances.
   */
  #claimant(): string {
    return `${this.#o.worker}#${++this.#claims}`;
  }

  /** Sends `outgoing` as delivery (job, target) exactly once; see the class comment. */
  /**
   * A file to one person's chat: uploaded now (media ids live three days), then sent through the ledger like any
   * other message, so a WeCom outage after the upload delays it instead of losing it.
   */
  async sendFile(job: string, userId: string, file: UploadFile, options: SendOptions): Promise<SendResult> {
    const mediaId = await this.#o.client.uploadMedia(file);
    return this.send(job, userId, { route: { via: 'app', touser: [userId] }, parts: [{ msgtype: 'file', file: { media_id: mediaId } }] }, options);
  }

  async send(job: string, target: string, given: Outgoing, options: SendOptions): Promise<SendResult> {
    const { store, clock, logger } = this.#o;
    // A deliberate resend must not be dropped by WeCom's duplicate check as the copy of the first send.
    const outgoing: Outgoing = options.force && given.route.via === 'app' ? { ...given, route: { ...given.route, duplicateCheckSec: 0 } } : given;
    const retryUntil = clock.now() + options.retryForMs;
    let claim: DeliveryClaim;
    try {
      claim = await store.deliveries.claim(job, target, this.#claimant(), clock.now(), this.#o.leaseMs, {
        force: options.force ?? false,
        payload: outgoing,
        retryUntil,
      });
    } catch (err) {
      // Nothing was sent and nothing is queued: the caller must know it is still holding the message (issue 23).
      throw new NotQueuedError(err);
    }
    if (!claim.ok) return { outcome: claim.reason, ...summary(claim.delivery) };
    if (options.force && claim.delivery.forcedResends) logger.warn({ job, target }, 'deliberate resend');
    if (!(options.force || options.resendUncertain) && (await this.#uncertain(claim.delivery, outgoing)))
      return { outcome: 'failed', attempts: claim.delivery.attempts, maybeDelivered: true };
    if (options.attempts === 0 || this.#handingOver) {
      await store.deliveries.update(
        job,
        target,
        { status: 'failed', errmsg: this.#handingOver ? HANDED_OVER : 'queued behind an earlier message' },
        clock.now(),
      );
      return { outcome: 'queued', attempts: claim.delivery.attempts };
    }
    return this.#attempt(claim.delivery, outgoing, options.attempts ?? 1, options.backoffBaseMs ?? 5_000);
  }

  /** Sends again what is due (failed or abandoned mid-send, retry window open), in job order per target. */
  sweep(): Promise<SweepReport> {
    // One sweep at a time in this process; other instances are kept off each delivery by its claim.
    this.#sweeping ??= this.#sweep().finally(() => (this.#sweeping = undefined));
    return this.#sweeping;
  }

  async #sweep(): Promise<SweepReport> {
    const { store, clock, logger } = this.#o;
    const due = await store.deliveries.due(clock.now(), this.#o.leaseMs);
    const byTarget = new Map<string, Delivery[]>();
    for (const d of due) {
      const queue = byTarget.get(d.target);
      if (queue) queue.push(d);
      else byTarget.set(d.target, [d]);
    }
    const report: SweepReport = { due: due.length, sent: 0, failed: 0 };
    // Targets in parallel, as the broadcaster does (32 at a time: after a long outage there may be hundreds).
    const queues = [...byTarget.values()];
    let next = 0;
    const worker = async () => {
      while (next < queues.length && !this.#handingOver) {
        const queue = queues[next++]!;
        for (const d of queue) {
          try {
            const claim = await store.deliveries.claim(d.job, d.target, this.#claimant(), clock.now(), this.#o.leaseMs);
            if (!claim.ok) continue;
            if (await this.#uncertain(claim.delivery, claim.delivery.payload!)) {
              report.failed++; // settled as "may have been delivered"; what follows it may go
              continue;
            }
            const result = await this.#attempt(claim.delivery, claim.delivery.payload!, 1, 0);
            if (result.outcome === 'sent') report.sent++;
            else {
              report.failed++;
              break; // keep this target's messages in order: the rest wait for the next sweep
            }
          } catch (err) {
            // The store is unreachable (a database restart): this target waits for the next sweep; the others go on.
            report.failed++;
            logger.warn({ job: d.job, target: d.target, error: (err as Error).message }, 'outbox: store unavailable; will retry');
            break;
          }
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(SWEEP_CONCURRENCY, queues.length) }, worker));
    if (due.length) logger.info(report, 'outbox sweep');
    return report;
  }

  async #attempt(claimed: Delivery, outgoing: Outgoing, maxAttempts: number, backoffBaseMs: number): Promise<SendResult> {
    const { store, clock, logger } = this.#o;
    const { job, target } = claimed;
    let { attempts, partsSent } = claimed;
    for (let tries = 1; ; tries++) {
      attempts++;
      try {
        const marked = !deduplicated(outgoing);
        while (partsSent < outgoing.parts.length) {
          // Nothing is sent yet; retried as #record is, so a database restart here does not leave a false "in flight".
          if (marked) await this.#record(() => store.deliveries.update(job, target, { inFlight: true, attempts }, clock.now()));
          await this.#deliverPart(outgoing, outgoing.parts[partsSent]!);
          partsSent++;
          // The last part is recorded with "sent": one write fewer for the many one-part messages. WeCom has the part
          // now, so the record must not be mistaken for a failed send (that would send it again): see #record.
          if (partsSent < outgoing.parts.length)
            await this.#record(() => store.deliveries.update(job, target, { partsSent, attempts, inFlight: false }, clock.now()));
        }
        await this.#record(() =>
          store.deliveries.update(job, target, { status: 'sent', partsSent, sentAt: clock.now(), attempts, inFlight: false }, clock.now()),
        );
        logger.info({ job, target, parts: outgoing.parts.length, attempts }, 'delivered');
        return { outcome: 'sent', attempts };
      } catch (err) {
        // The store failed, not WeCom: leave the ledger as it is (claimed, maybe in flight) for the sweep to settle.
        if (err instanceof StoreWriteError) throw err.cause;
        const e = deliveryFailure(err);
        const healable = e.retryable;
        // At shutdown's hand-over nothing is retried now: the delivery waits, recorded, for the next start.
        const retryNow = healable && tries < maxAttempts && !this.#handingOver;
        const giveUp = !healable || (!retryNow && (claimed.retryUntil ?? 0) <= clock.now());
        await store.deliveries.update(
          job,
          target,
          // A refusal, an error answer or a timeout: taken as not delivered (a timeout is the one doubt left, as
          // with any HTTP API; the simulated outage never delivers a request it did not answer).
          { status: retryNow ? 'pending' : 'failed', attempts, ...withCode(e), errmsg: e.errmsg, inFlight: false, ...(giveUp ? { retryUntil: 0 } : {}) },
          clock.now(),
        );
        if (!retryNow) {
          if (giveUp) logger.error({ job, target, ...withCode(e), errmsg: e.errmsg, attempts }, 'delivery failed; not retrying');
          else
            logger.warn({ job, target, ...withCode(e), errmsg: e.errmsg, attempts, retryUntil: claimed.retryUntil }, 'delivery failed; the outbox will retry');
          return { outcome: giveUp ? 'failed' : 'queued', attempts, ...withCode(e), errmsg: e.errmsg };
        }
        const delay = backoffBaseMs * 2 ** (tries - 1) * (0.75 + this.#o.random() / 2);
        logger.warn({ job, target, ...withCode(e), errmsg: e.errmsg, attempts, delayMs: Math.round(delay) }, 'delivery failed; retrying');
        await this.#o.sleep(delay);
      }
    }
  }

  /**
   * Records what WeCom accepted. The database may be restarting or may have dropped this connection (the next query
   * reconnects): try again for a while rather than give up, because a delivery left unrecorded is resent (app messages
   * with WeCom's duplicate check) or marked "may have been delivered" (the rest). Gives up after ~25 s.
   */
  async #record(write: () => Promise<void>): Promise<void> {
    for (let i = 0; ; i++) {
      try {
        return await write();
      } catch (err) {
        if (i >= RECORD_RETRIES) throw new StoreWriteError({ cause: err });
        this.#o.logger.warn({ error: (err as Error).message, retry: i + 1 }, 'could not record a delivery; retrying');
        await this.#o.sleep(Math.min(RECORD_BACKOFF_MS * 2 ** i, 5_000));
      }
    }
  }

  /** A delivery left in flight by a dead sender (or already marked so), on a route WeCom does not deduplicate. */
  async #uncertain(d: Delivery, outgoing: Outgoing): Promise<boolean> {
    if (deduplicated(outgoing) || !(d.inFlight || d.maybeDelivered)) return false;
    const { store, clock, logger } = this.#o;
    await store.deliveries.update(d.job, d.target, { status: 'failed', maybeDelivered: true, inFlight: false, retryUntil: 0 }, clock.now());
    if (!d.maybeDelivered)
      logger.error(
        { job: d.job, target: d.target, part: d.partsSent + 1 },
        'delivery interrupted while a part was with WeCom: maybe delivered; not resending by itself',
      );
    return true;
  }

  async #deliverPart({ route }: Outgoing, part: OutboundPart): Promise<void> {
    const { client } = this.#o;
    if (route.via === 'robot') {
      const key = this.#o.robotKeys[route.keyEnv];
      if (!key) throw new TargetUnconfiguredError(route.keyEnv);
      await this.#robotLimit.acquire(key);
      await client.sendWebhook(key, part);
    } else if (route.via === 'appchat') {
      await client.sendAppChat(route.chatid, part);
    } else {
      const { touser, toparty, totag, duplicateCheckSec } = route;
      await client.sendMessage({ touser, toparty, totag }, part, duplicateCheckSec ? { duplicateCheckSec } : {});
    }
  }

  /** Sweeps every `sweepEveryMs` (and once now) until `stop`. */
  start(): void {
    if (this.#timer) return;
    const tick = () => void this.sweep().catch((err: unknown) => this.#o.logger.error({ err }, 'outbox sweep failed'));
    this.#timer = setInterval(tick, this.#o.sweepEveryMs);
    this.#timer.unref();
    tick();
  }

  /**
   * Shutdown's drain deadline has come: what is being sent is cut off (the client aborts its requests, recorded as
   * failed sends that the next start's sweep sends again, resuming after the last part WeCom accepted), and every
   * send from now on is only recorded, for the next start. Nothing taken on is dropped: it is all in the ledger.
   */
  handOver(): void {
    this.#handingOver = true;
    this.#o.client.abortAll();
  }

  async stop(): Promise<void> {
    clearInterval(this.#timer);
    this.#timer = undefined;
    await this.#sweeping;
  }
}

const SWEEP_CONCURRENCY = 32;
const HANDED_OVER = 'handed over at shutdown: sent at the next start';
const RECORD_RETRIES = 8;
const RECORD_BACKOFF_MS = 250;

/**
 * The store could not take the delivery (its claim failed: a full disk, a database that is down). Nothing was sent and
 * nothing waits in the outbox: a caller with no other record of the message (an API reply) must deliver it another way.
 */
export class NotQueuedError extends AppError {
  constructor(cause: unknown) {
    super('ERR_NOT_QUEUED', `not queued: ${(cause as Error)?.message ?? String(cause)}`, { cause });
  }
}

/** WeCom drops a copy of these itself (app messages with its duplicate check), so resending them is safe. */
function deduplicated({ route }: Outgoing): boolean {
  return route.via === 'app' && (route.duplicateCheckSec ?? 0) > 0;
}

/** The errcode field only when WeCom gave one (the ledger's errcode is WeCom's, never ours). */
function withCode(f: DeliveryFailure): { errcode?: number } {
  return f.errcode !== undefined ? { errcode: f.errcode } : {};
}

function summary(d: Delivery): Pick<SendResult, 'attempts' | 'errcode' | 'errmsg' | 'maybeDelivered'> {
  return {
    attempts: d.attempts,
    ...(d.errcode !== undefined ? { errcode: d.errcode } : {}),
    ...(d.errmsg !== undefined ? { errmsg: d.errmsg } : {}),
    ...(d.maybeDelivered ? { maybeDelivered: true as const } : {}),
  };
}
