import { createTask, type ScheduledTask } from 'node-cron';
import type { Logger } from 'pino';
import { DemoClock, everyClockMinute, USER_TIME_ZONE, type Clock } from '../clock.ts';
import type { Content } from '../content/content.ts';
import { addDays, formatMonthDay, shanghaiDate } from '../content/dates.ts';
import type { Store } from '../storage/ports.ts';
import { splitUtf8 } from '../utf8-text.ts';
import { TEXT_LIMIT_BYTES } from '../wecom/limits.ts';
import type { Outbox } from './outbox.ts';
import type { ScheduleEntry } from '../content/plan.ts';
import { cellStatus, personName, RecordPolicy, secretaryNames, sessionLabel, statusMatrix, tally, type Cell, type Scope } from '../records/index.ts';
import { jobName } from './job-names.ts';
import { failureText } from './delivery-failure.ts';

/**
 * Reminders about missing discussion records, through the delivery ledger: each (job, person) is claimed before the
 * message and recorded after, so a repeat, a restart or a second instance never reminds twice.
 * - by an admin in chat (提醒未提交): job per scope and day, so at most once per secretary per scope per day;
 * - automatically (content/roster.yaml `reminders`, off by default): `daysBeforeClose` days before a month's records
 *   close, the secretaries still missing; the day after it closes, the admins get the missing list.
 */
export interface ReminderResult {
  groups: number;
  sent: number;
  skipped: number;
  /** Not sent yet because WeCom is unavailable; the outbox retries them. */
  queued: string[];
  failures: string[];
  /** Sessions of the scope not reminded about: their records have closed, or they have not been held yet. */
  closed: ScheduleEntry[];
  notYet: ScheduleEntry[];
}

interface Deps {
  content: Content;
  store: Store;
  outbox: Outbox;
  clock: Clock;
}

/** A reminder left unsent by a WeCom outage is retried by the outbox for a day; after that it is stale. */
const REMINDER_RETRY_MS = 24 * 3600_000;

export async function remindMissing(deps: Deps, scope: Scope, job: string, today = shanghaiDate(deps.clock.now())): Promise<ReminderResult> {
  const { content, store } = deps;
  const policy = RecordPolicy.of(content);
  // Only sessions open for records: a secretary is never asked for a record they can no longer (or not yet) hand in.
  const open = scope.sessions.filter((s) => policy.isOpen(s.date, today));
  const closed = scope.sessions.filter((s) => policy.isDue(s.date, today) && !open.includes(s));
  const notYet = scope.sessions.filter((s) => !policy.isDue(s.date, today));
  const submissions = open.length ? await store.submissions.list({ sessions: open.map((s) => s.date) }) : [];
  const missing = statusMatrix(content, { ...scope, sessions: open }, submissions, today).filter((c) => cellStatus(c) === 'missing');
  const bySecretary = new Map<string, Cell[]>();
  for (const c of missing) for (const s of c.group.secretaries) bySecretary.set(s.userId, [...(bySecretary.get(s.userId) ?? []), c]);
  const result: ReminderResult = { groups: new Set(missing.map((c) => c.group.id)).size, sent: 0, skipped: 0, queued: [], failures: [], closed, notYet };
  for (const [userId, mine] of bySecretary) {
    const lines = mine.map((c) => `· ${c.group.name}：${sessionLabel(c.session)}（${formatMonthDay(policy.closingDate(c.session.date))}截止）`);
    const text = `【学习讨论记录提醒】您负责的学习组还没有提交以下学习的讨论记录：\n${lines.join('\n')}\n请发送“提交记录”在线提交。谢谢！`;
    await deliverOnce(deps, job, userId, text, result);
  }
  return result;
}

/** The missing list of a month to every admin (when the month's records close). */
export async function reportMissingToAdmins(deps: Deps, scope: Scope, job: string, today = shanghaiDate(deps.clock.now())): Promise<ReminderResult> {
  const { content, store } = deps;
  const submissions = await store.submissions.list({ sessions: scope.sessions.map((s) => s.date) });
  const cells = statusMatrix(content, scope, submissions, today);
  const missing = cells.filter((c) => cellStatus(c) === 'missing');
  const counts = tally(cells);
  const lines = missing.map((c) => `· ${c.group.name}（${sessionLabel(c.session)}）— 记录员：${secretaryNames(c.group)}`);
  const text = `【${scope.label}学习讨论记录已截止】已提交 ${counts.submitted} / 应提交 ${counts.expected}。${missing.length ? `\n未提交：\n${lines.join('\n')}` : '全部已提交。'}`;
  const result: ReminderResult = {
    groups: new Set(missing.map((c) => c.group.id)).size,
    sent: 0,
    skipped: 0,
    queued: [],
    failures: [],
    closed: [],
    notYet: [],
  };
  for (const admin of content.roster.admins) await deliverOnce(deps, job, admin.userId, text, result);
  return result;
}

async function deliverOnce({ outbox, content }: Deps, job: string, userId: string, text: string, result: ReminderResult) {
  const parts = splitUtf8(text, TEXT_LIMIT_BYTES).map((content) => ({ msgtype: 'text' as const, text: { content } }));
  // WeCom also drops an identical app message within the hour: a crash between send and record is not doubled.
  const r = await outbox.send(job, userId, { route: { via: 'app', touser: [userId], duplicateCheckSec: 3600 }, parts }, { retryForMs: REMINDER_RETRY_MS });
  if (r.outcome === 'sent') result.sent++;
  else if (r.outcome === 'already_sent' || r.outcome === 'in_progress') result.skipped++;
  else if (r.outcome === 'queued') result.queued.push(userId);
  else result.failures.push(`${personName(content, userId)}（${failureText(r)}）`);
}

/** The automatic reminders, checked daily at `time` (Asia/Shanghai) and once at start-up for the current day. */
export class ReminderScheduler {
  readonly #task: ScheduledTask | undefined;
  #stopDemoTicks: (() => void) | undefined;

  constructor(
    private readonly deps: Deps,
    private readonly logger: Logger,
  ) {
    const r = deps.content.roster.reminders;
    if (r.enabled) {
      const [h, m] = r.time.split(':').map(Number);
      this.#task = createTask(`${m} ${h} * * *`, () => this.runFor(shanghaiDate(this.deps.clock.now())), {
        timezone: USER_TIME_ZONE,
        name: 'record-reminders',
        noOverlap: true,
      });
    }
  }

  /** What is due on `today`: reminders before a month closes, and the missing list the day after. */
  async runFor(today: string): Promise<{ reminded?: ReminderResult; reported?: ReminderResult }> {
    const { content } = this.deps;
    const r = content.roster.reminders;
    const out: { reminded?: ReminderResult; reported?: ReminderResult } = {};
    const policy = RecordPolicy.of(content);
    // Sessions of every plan, by month and the day their records close (a notice's own report deadline may close
    // its sessions before the month's end): one reminder and one report per group of them.
    const batches = new Map<string, { month: string; closes: string }>();
    for (const e of policy.sessions()) {
      const month = e.date.slice(0, 7);
      const closes = policy.closingDate(e.date);
      batches.set(`${month}|${closes}`, { month, closes });
    }
    for (const { month, closes } of batches.values()) {
      const sessions = policy.sessions().filter((e) => e.date.startsWith(month) && policy.closingDate(e.date) === closes && policy.isDue(e.date, today));
      if (!sessions.length) continue;
      const scope: Scope = { label: `${Number(month.slice(5))}月`, sessions };
      // The ledger's key: the month, as always, unless a notice's deadline closes some of its sessions apart.
      const key = closes === policy.closingDate(`${month}-01`) ? month : `${month}:${closes}`;
      if (today === addDays(closes, -r.daysBeforeClose)) out.reminded = await remindMissing(this.deps, scope, jobName.autoRemind(key), today);
      if (today === addDays(closes, 1)) out.reported = await reportMissingToAdmins(this.deps, scope, jobName.closedReport(key), today);
    }
    if (out.reminded || out.reported) this.logger.info({ today, ...out }, 'record reminders run');
    return out;
  }

  async start(): Promise<void> {
    if (!this.#task) return;
    const task = this.#task;
    // Under a demo clock (BOT_NOW) the daily check follows the demo's time, not the wall clock's.
    if (this.deps.clock instanceof DemoClock) {
      this.#stopDemoTicks = everyClockMinute(this.deps.clock, (minute) => {
        if (task.match(new Date(minute))) this.runFor(shanghaiDate(minute)).catch((err: unknown) => this.logger.error({ err }, 'record reminders run failed'));
      });
    } else await task.start();
    await this.runFor(shanghaiDate(this.deps.clock.now()));
  }

  async stop(): Promise<void> {
    this.#stopDemoTicks?.();
    await this.#task?.stop();
    await this.#task?.destroy();
  }
}
