import type { Logger } from 'pino';
import type { Clock } from '../clock.ts';
import type { Content } from '../content/content.ts';
import type { BroadcastTarget } from '../content/targets.ts';
import type { Route, Store } from '../storage/ports.ts';
import type { WeComClient } from '../wecom/client.ts';
import { agendaJob, buildAgenda, type AgendaMessage } from './agenda.ts';
import { Outbox, type SendOutcome } from './outbox.ts';
import { failureText } from './delivery-failure.ts';
import { UnknownTargetError } from '../errors.ts';

/**
 * Sends a week's agenda to every target exactly once, through the outbox (src/jobs/outbox.ts): each target × week is
 * a delivery in the ledger, so a second trigger, a restart or a second instance sends nothing again; a failing target
 * is retried with backoff now and, if WeCom stays down, by the outbox's sweep until the evening; targets run
 * concurrently, so one slow or failing target does not hold up the others.
 */
export interface BroadcastOptions {
  week: number;
  /** Only this target (by name). */
  target?: string;
  /** Send even to targets that already got this week's agenda (an operator's deliberate resend). */
  force?: boolean;
  /** Build and report the messages; send nothing, record nothing. */
  dryRun?: boolean;
  /** Also send again what may have been delivered when a sender died (an admin's 补发, after checking the group). */
  resendUncertain?: boolean;
  /** The plan whose week it is (content.plans); the content's own plan when not given. */
  plan?: Content;
}

export type TargetOutcome = SendOutcome | 'nothing_to_send' | 'dry_run' | 'unconfigured';

/** A delivery that may have gone out when its sender died: what an admin is told, and what to do. */
export const UNCERTAIN_TEXT = '可能已发出（发送时服务中断，无法确认群里是否收到）。如没有收到，请发送“补发本周推送”';

/** How an outcome reads to an operator (the chat's 补发 reply and `npm run broadcast`). */
export const OUTCOME_TEXT: Record<TargetOutcome, string> = {
  sent: '已发送',
  already_sent: '此前已发送，未重复发送',
  in_progress: '正在由另一进程发送',
  queued: '暂未发出（企业微信暂时不可用），服务将自动重试',
  failed: '发送失败',
  nothing_to_send: '无相关活动，不推送',
  dry_run: '将发送（预览，未发送）',
  unconfigured: '未配置，未发送',
};

/** A robot target whose key variable is unset (live mode starts without it): what an admin is told, and what to do. */
export function unconfiguredText(keyEnv: string): string {
  return `未配置群机器人，不会推送（环境变量 ${keyEnv} 未设置；设置后重启服务即可）`;
}

/** One line for a target's result, with what went wrong when it did not go out. */
export function describeResult(r: Pick<TargetResult, 'outcome' | 'errcode' | 'errmsg' | 'keyEnv' | 'maybeDelivered'>): string {
  if (r.outcome === 'failed' && r.maybeDelivered) return UNCERTAIN_TEXT;
  if (r.outcome === 'unconfigured' && r.keyEnv) return unconfiguredText(r.keyEnv);
  return `${OUTCOME_TEXT[r.outcome]}${(r.outcome === 'failed' || r.outcome === 'queued') && (r.errcode !== undefined || r.errmsg) ? `（${failureText(r)}）` : ''}`;
}

export interface TargetResult {
  target: string;
  outcome: TargetOutcome;
  parts: AgendaMessage[];
  attempts?: number;
  errcode?: number;
  errmsg?: string;
  maybeDelivered?: true;
  /** For an unconfigured robot target: the variable its key should be in. */
  keyEnv?: string;
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
  /** The service's outbox; one of its own (from the options above) when not given. */
  outbox?: Outbox;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  concurrency?: number;
  /** Attempts per target now (each attempt already includes the client's own short retries). */
  maxAttempts?: number;
  backoffBaseMs?: number;
  /** How long the outbox keeps retrying a target that failed (WeCom down): the agenda is news for a morning. */
  retryForMs?: number;
  worker?: string;
}

export class Broadcaster {
  readonly #o: Required<Omit<BroadcasterOptions, 'outbox' | 'sleep' | 'random' | 'worker'>>;
  readonly outbox: Outbox;

  constructor(options: BroadcasterOptions) {
    this.#o = { concurrency: 32, maxAttempts: 3, backoffBaseMs: 5_000, retryForMs: 12 * 3600_000, ...options };
    const { store, client, clock, logger, robotKeys, sleep, random, worker } = options;
    this.outbox =
      options.outbox ??
      new Outbox({ store, client, clock, logger, robotKeys, ...(sleep ? { sleep } : {}), ...(random ? { random } : {}), ...(worker ? { worker } : {}) });
  }

  /** The robot key of a target, or undefined when it is not configured. */
  robotKey(target: BroadcastTarget): string | undefined {
    return target.robot ? this.#o.robotKeys[target.robot.keyEnv] : undefined;
  }

  /** Robot targets whose key variable is unset: they are skipped, and 推送状态 and /healthz say so. */
  unconfigured(): { target: string; keyEnv: string }[] {
    return this.#o.content.broadcast.targets.filter((t) => t.robot && !this.robotKey(t)).map((t) => ({ target: t.name, keyEnv: t.robot!.keyEnv }));
  }

  async run(options: BroadcastOptions): Promise<BroadcastReport> {
    const { content } = this.#o;
    const job = agendaJob(options.plan ?? content, options.week);
    const targets = content.broadcast.targets.filter((t) => !options.target || t.name === options.target);
    if (options.target && targets.length === 0) throw new UnknownTargetError(options.target);
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
    const parts = buildAgenda(options.plan ?? this.#o.content, options.week, target);
    if (parts.length === 0) return { target: target.name, outcome: 'nothing_to_send', parts };
    // Nothing recorded: there is nothing to retry until the key is set and the service restarted.
    if (target.robot && !this.robotKey(target)) return { target: target.name, outcome: 'unconfigured', parts, keyEnv: target.robot.keyEnv };
    if (options.dryRun) return { target: target.name, outcome: 'dry_run', parts };
    const result = await this.outbox.send(
      job,
      target.name,
      { route: routeOf(target), parts },
      {
        force: options.force ?? false,
        resendUncertain: options.resendUncertain ?? false,
        attempts: this.#o.maxAttempts,
        backoffBaseMs: this.#o.backoffBaseMs,
        retryForMs: this.#o.retryForMs,
      },
    );
    return { target: target.name, parts, ...result };
  }
}

/** Where a target's messages go. App messages ask WeCom to drop an identical one sent again within 4 hours. */
function routeOf(target: BroadcastTarget): Route {
  if (target.robot) return { via: 'robot', keyEnv: target.robot.keyEnv };
  if (target.appchat) return { via: 'appchat', chatid: target.appchat.chatid };
  const { users, parties, tags } = target.members!;
  return { via: 'app', touser: users, toparty: parties, totag: tags, duplicateCheckSec: 4 * 3600 };
}
