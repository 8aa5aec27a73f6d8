import { hostname } from 'node:os';
import type { Logger } from 'pino';
import type { Clock } from '../clock.ts';
import type { Content } from '../content/content.ts';
import type { BroadcastTarget } from '../content/targets.ts';
import { WeComApiError } from '../errors.ts';
import type { Delivery, Store } from '../storage/ports.ts';
import type { WeComClient } from '../wecom/client.ts';
import { agendaJob, buildAgenda, type AgendaMessage } from './agenda.ts';
import { RateLimiter } from './rate-limiter.ts';

/**
 * Sends a week's agenda to every target exactly once. For each target: claim (target × week) in the store before
 * sending, record every part sent, then sent or failed with the errcode. A second trigger, a restart or a second
 * instance finds the claim or the "sent" record and sends nothing; a failed target is retried with backoff; targets
 * run concurrently, so one slow or failing target does not hold up the others.
 *
 * The one window no ledger can close: a crash after WeCom accepted a part and before the store recorded it. App
 * messages (members) ask WeCom to drop a duplicate within 4 hours (enable_duplicate_check); robots and app chats have
 * no such option, so there the window is kept to the moment between the API answer and one store write.
 */
export interface BroadcastOptions {
  week: number;
  /** Only this target (by name). */
  target?: string;
  /** Send even to targets that already got this week's agenda (an operator's deliberate resend). */
  force?: boolean;
  /** Build and report the messages; send nothing, record nothing. */
  dryRun?: boolean;
}

export type TargetOutcome = 'sent' | 'already_sent' | 'in_progress' | 'failed' | 'nothing_to_send' | 'dry_run';

export interface TargetResult {
  target: string;
  outcome: TargetOutcome;
  parts: AgendaMessage[];
  attempts?: number;
  errcode?: number;
  errmsg?: string;
}

export interface BroadcastReport {
  week: number;
  job: string;
  results: TargetResult[];
}

export interface BroadcasterOptions {
  content: Content;
  store: Store;
  client: WeComClient;
  clock: Clock;
  logger: Logger;
  /** Robot keys by environment variable name (config.robotKeys). */
  robotKeys: Readonly<Record<string, string>>;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  concurrency?: number;
  /** Attempts per target (each attempt already includes the client's own short retries). */
  maxAttempts?: number;
  backoffBaseMs?: number;
  /** A claim older than this whose worker never finished is taken over. */
  leaseMs?: number;
  worker?: string;
}

export class Broadcaster {
  readonly #o: Required<BroadcasterOptions>;
  readonly #robotLimit: RateLimiter;

  constructor(options: BroadcasterOptions) {
    const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
    this.#o = {
      sleep,
      random: Math.random,
      concurrency: 32,
      maxAttempts: 3,
      backoffBaseMs: 5_000,
      leaseMs: 10 * 60_000,
      worker: `${hostname()}:${process.pid}:${Date.now()}`,
      ...options,
    };
    this.#robotLimit = new RateLimiter(20, 60_000, options.clock, sleep);
  }

  /** The robot key of a target, or undefined when it is not configured. */
  robotKey(target: BroadcastTarget): string | undefined {
    return target.robot ? this.#o.robotKeys[target.robot.keyEnv] : undefined;
  }

  async run(options: BroadcastOptions): Promise<BroadcastReport> {
    const { content } = this.#o;
    const job = agendaJob(content, options.week);
    const targets = content.broadcast.targets.filter((t) => !options.target || t.name === options.target);
    if (options.target && targets.length === 0) throw new Error(`没有名为“${options.target}”的推送对象`);
    const results: TargetResult[] = new Array(targets.length);
    let next = 0;
    const worker = async () => {
      while (next < targets.length) {
        const i = next++;
        results[i] = await this.#deliver(job, targets[i]!, options);
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.#o.concurrency, targets.length) }, worker));
    const report = { week: options.week, job, results };
    const counts = results.reduce<Record<string, number>>((c, r) => ((c[r.outcome] = (c[r.outcome] ?? 0) + 1), c), {});
    this.#o.logger.info({ job, week: options.week, force: options.force ?? false, dryRun: options.dryRun ?? false, ...counts }, 'broadcast finished');
    return report;
  }

  async #deliver(job: string, target: BroadcastTarget, options: BroadcastOptions): Promise<TargetResult> {
    const { store, clock, logger } = this.#o;
    const parts = buildAgenda(this.#o.content, options.week, target);
    if (parts.length === 0) return { target: target.name, outcome: 'nothing_to_send', parts };
    if (options.dryRun) return { target: target.name, outcome: 'dry_run', parts };

    const claim = await store.deliveries.claim(job, target.name, this.#o.worker, clock.now(), this.#o.leaseMs, options.force);
    if (!claim.ok) return { target: target.name, outcome: claim.reason, parts, ...summary(claim.delivery) };
    if (options.force && claim.delivery.forcedResends) logger.warn({ job, target: target.name }, 'deliberate resend (--force)');

    let { attempts, partsSent } = claim.delivery;
    for (;;) {
      attempts++;
      try {
        while (partsSent < parts.length) {
          await this.#send(target, parts[partsSent]!);
          partsSent++;
          await store.deliveries.update(job, target.name, { partsSent, attempts }, clock.now());
        }
        await store.deliveries.update(job, target.name, { status: 'sent', sentAt: clock.now(), attempts }, clock.now());
        logger.info({ job, target: target.name, parts: parts.length, attempts }, 'agenda delivered');
        return { target: target.name, outcome: 'sent', parts, attempts };
      } catch (err) {
        const e = err instanceof WeComApiError ? err : new WeComApiError('broadcast', -1, (err as Error).message);
        const final = attempts >= this.#o.maxAttempts || !retryable(e);
        await store.deliveries.update(job, target.name, { status: final ? 'failed' : 'pending', attempts, errcode: e.errcode, errmsg: e.errmsg }, clock.now());
        if (final) {
          logger.error({ job, target: target.name, errcode: e.errcode, errmsg: e.errmsg, attempts }, 'agenda delivery failed');
          return { target: target.name, outcome: 'failed', parts, attempts, errcode: e.errcode, errmsg: e.errmsg };
        }
        const delay = this.#o.backoffBaseMs * 2 ** (attempts - 1) * (0.75 + this.#o.random() / 2);
        logger.warn({ job, target: target.name, errcode: e.errcode, attempts, delayMs: Math.round(delay) }, 'agenda delivery failed; retrying');
        await this.#o.sleep(delay);
      }
    }
  }

  async #send(target: BroadcastTarget, part: AgendaMessage): Promise<void> {
    const { client } = this.#o;
    if (target.robot) {
      const key = this.robotKey(target);
      if (!key) throw new WeComApiError('webhook/send', 93000, `环境变量 ${target.robot.keyEnv} 未设置`);
      await this.#robotLimit.acquire(key);
      await client.sendWebhook(key, part);
    } else if (target.appchat) {
      await client.sendAppChat(target.appchat.chatid, part);
    } else if (target.members) {
      const { users, parties, tags } = target.members;
      // WeCom drops an identical app message sent again within 4 hours: a resend after a crash is not doubled.
      await client.sendMessage({ touser: users, toparty: parties, totag: tags }, part, { duplicateCheckSec: 4 * 3600 });
    }
  }
}

/** Configuration errors (bad key, chat not found) will not heal by retrying; busy, 5xx and network errors may. */
function retryable(e: WeComApiError): boolean {
  return e.errcode === -1 || e.errcode === 45009 || e.errcode === 45033;
}

function summary(d: Delivery): Pick<TargetResult, 'attempts' | 'errcode' | 'errmsg'> {
  return { attempts: d.attempts, ...(d.errcode !== undefined ? { errcode: d.errcode, errmsg: d.errmsg ?? '' } : {}) };
}
