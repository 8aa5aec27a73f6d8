import { createTask, type ScheduledTask } from 'node-cron';
import type { Logger } from 'pino';
import { DemoClock, everyClockMinute, USER_TIME_ZONE, type Clock } from '../clock.ts';
import type { Content } from '../content/content.ts';
import { shanghaiDate } from '../content/dates.ts';
import type { Broadcaster, BroadcastReport } from './broadcaster.ts';

/**
 * Fires the weekly agenda on the content's cron expression in Asia/Shanghai (default Monday 08:00), whatever the
 * server's zone. At start-up it looks back over the catch-up window: if a scheduled time passed while the service was
 * down, it sends that week's push now. Both paths go through the broadcaster's ledger, so a push that already went
 * out is never sent again, and two instances firing at once send once.
 */
export class AgendaScheduler {
  readonly #task: ScheduledTask;
  #stopDemoTicks: (() => void) | undefined;

  constructor(
    private readonly content: Content,
    private readonly broadcaster: Broadcaster,
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {
    this.#task = createTask(content.broadcast.schedule.cron, () => this.fire(this.clock.now()), {
      timezone: USER_TIME_ZONE,
      name: 'weekly-agenda',
      noOverlap: true,
    });
  }

  /** Whether the cron expression fires at this instant's minute (in Asia/Shanghai). */
  matches(instant: number): boolean {
    return this.#task.match(new Date(Math.floor(instant / 60_000) * 60_000));
  }

  /** The latest scheduled time within the catch-up window before `now`, if any. */
  missedFireTime(now: number): number | undefined {
    const windowMs = this.content.broadcast.schedule.catchUpHours * 3600_000;
    for (let t = Math.floor(now / 60_000) * 60_000; t >= now - windowMs; t -= 60_000) if (this.matches(t)) return t;
    return undefined;
  }

  /** Sends the agenda of the week the fire time falls in. */
  async fire(at: number): Promise<BroadcastReport | undefined> {
    // The week's agenda comes from whichever plan covers that week; outside every plan there is nothing to push.
    const plan = this.content.planForWeek(shanghaiDate(at));
    if (!plan) {
      this.logger.info({ date: shanghaiDate(at) }, 'no study plan covers this week: no agenda to push');
      return undefined;
    }
    const week = plan.weekOf(shanghaiDate(at));
    try {
      return await this.broadcaster.run({ week, plan });
    } catch (err) {
      this.logger.error({ err, week, plan: plan.plan.id ?? 'seed' }, 'weekly agenda run failed');
      return undefined;
    }
  }

  /** Starts the cron task and sends a push missed while the service was down. */
  async start(): Promise<BroadcastReport | undefined> {
    // Under a demo clock (BOT_NOW) the schedule follows the demo's time, not the wall clock's.
    if (this.clock instanceof DemoClock) {
      this.#stopDemoTicks = everyClockMinute(this.clock, (minute) => {
        if (this.matches(minute)) void this.fire(minute); // fire() logs its own failures
      });
    } else await this.#task.start();
    const missed = this.missedFireTime(this.clock.now());
    if (missed === undefined) return undefined;
    this.logger.info({ scheduledAt: new Date(missed).toISOString() }, 'catching up on the weekly agenda scheduled while the service was down');
    return this.fire(missed);
  }

  async stop(): Promise<void> {
    this.#stopDemoTicks?.();
    await this.#task.stop();
    await this.#task.destroy();
  }
}

/**
 * The push time in words for people: "每周一 8:00（北京时间）" from "0 8 * * 1". Covers what content/targets.yaml
 * documents (a minute, an hour, weekdays as one, a list or a range); anything else is shown as the expression.
 */
export function describeCron(cron: string): string {
  const day = (d: string) => '日一二三四五六日'[Number(d)];
  const [minute, hour, dom, month, dow, ...extra] = cron.trim().split(/\s+/);
  const zone = '（北京时间）';
  if (extra.length || !/^\d{1,2}$/.test(minute ?? '') || !/^\d{1,2}$/.test(hour ?? '') || dom !== '*' || month !== '*') return `按“${cron}”${zone}`;
  const time = `${Number(hour)}:${minute!.padStart(2, '0')}`;
  if (dow === '*') return `每天 ${time}${zone}`;
  if (/^[0-7]$/.test(dow!)) return `每周${day(dow!)} ${time}${zone}`;
  if (/^[0-7](,[0-7])+$/.test(dow!)) return `每周${dow!.split(',').map(day).join('、')} ${time}${zone}`;
  const range = /^([0-7])-([0-7])$/.exec(dow!);
  if (range) return `每周${day(range[1]!)}至周${day(range[2]!)} ${time}${zone}`;
  return `按“${cron}”${zone}`;
}
