import { Composer } from '../src/bot/composer.ts';
import type { BotContext } from '../src/bot/context.ts';
import type { Content } from '../src/content/content.ts';
import { addDays, formatMonthDay, formatShanghaiTime } from '../src/content/dates.ts';
import { parseNumber } from '../src/content/numerals.ts';
import type { BroadcastTarget } from '../src/content/targets.ts';
import { agendaJob, buildAgenda } from '../src/jobs/agenda.ts';
import { describeCron } from '../src/jobs/agenda-scheduler.ts';
import { describeResult, unconfiguredText, type Broadcaster } from '../src/jobs/broadcaster.ts';
import type { Store } from '../src/storage/ports.ts';
import type { HandlerDeps } from './deps.ts';
import { JOB_LABEL, jobKind, jobPrefix } from '../src/jobs/job-names.ts';
import { deliveryStatusText, gaveUpText } from '../src/jobs/delivery-status.ts';

/**
 * The party office's broadcast controls in chat: 预览本周推送 / 预览第3周推送 (exactly what would be sent),
 * 推送状态 [第N周] or 第N周推送状态 (which targets got which week, failures), 补发本周推送 (send to targets that have not got it yet).
 * Admins only (content/roster.yaml); anyone else gets a polite refusal and nothing else.
 */
export const NOT_ADMIN = '抱歉，推送管理仅限党委办公室的管理员使用。如需开通，请联系党委办公室。';

/** `thisWeek`: the week was given as 本周/这周 (or not at all), so replies say 本周 rather than its number. */
type Command = { kind: 'preview' | 'status' | 'send'; week: number | undefined; thisWeek?: boolean };

const WEEK = /(本周|这周|下周|上周)|第([0-9一二三四五六七八九十]+)周/;
const KINDS: Record<string, Command['kind']> = { 预览推送: 'preview', 推送预览: 'preview', 推送状态: 'status', 补发推送: 'send', 推送补发: 'send' };

/**
 * What is asked about the push, beyond the exact names: 推送情况, 推送发了没, 看看推送, 推送成功了吗 (status);
 * 推送内容, 预览一下推送 (preview). 推送 must be said with what is asked: 推送 or 预览 alone, 状态 or 发了没 alone are
 * other things (a word of the readings, an answer to a question).
 */
const STATUS_WORDS =
  /^(?:查看|看看|看|查|查一下)?(?:今天|最近)?推送(?:的)?(?:状态|情况|结果|记录|历史|发送情况)?(?:查询|怎么样|如何)?$|^(?:今天|最近)?推送(?:了|发了|发出去了?|发送了|成功了|失败了|出去了)(?:吗|没|没有)?$/u;
const PREVIEW_WORDS = /^(?:预览一下推送|推送预览一下|推送内容|看看推送内容|预览推送内容)$/u;
function commandKind(rest: string, week: string | undefined): Command['kind'] | undefined {
  // 下周推送 is what will go out (a preview); 本周推送, 上周推送 what went out. 推送 with no week is not a command.
  if (rest === '推送') return week === undefined ? undefined : week === '下周' ? 'preview' : 'status';
  return KINDS[rest] ?? (PREVIEW_WORDS.test(rest) ? 'preview' : STATUS_WORDS.test(rest) ? 'status' : undefined);
}

/** 推送状态 第2周, 第2周推送状态, 预览第3周推送, 第3周推送预览, 补发本周推送 …: the week may come before or after. */
export function parseBroadcastCommand(text: string, content: Content, today: string): Command | undefined {
  const t = text.normalize('NFKC').replace(/[\s?？!！。]/g, '');
  const w = WEEK.exec(t);
  const kind = commandKind((w ? t.slice(0, w.index) + t.slice(w.index + w[0].length) : t).replace(/的/g, ''), w?.[0]);
  if (!kind) return undefined;
  const thisWeek = content.weekOf(today);
  if (w?.[2]) {
    const week = parseNumber(w[2]);
    return week === undefined ? undefined : { kind, week };
  }
  if (w?.[1] === '下周' || w?.[1] === '上周') return { kind, week: thisWeek + (w[1] === '下周' ? 1 : -1) };
  // 推送状态 alone lists recent weeks; the others mean this week.
  if (!w && kind === 'status') return { kind, week: undefined };
  return { kind, week: thisWeek, thisWeek: true };
}

/** The semester's weeks: from week 1 (content/plan.yaml's week1Monday) to the last week with an activity. */
function semesterWeeks(content: Content): { first: number; last: number } {
  return { first: 1, last: Math.max(1, ...content.schedule.map((e) => e.week)) };
}

function inSemester(content: Content, week: number): boolean {
  const { first, last } = semesterWeeks(content);
  return week >= first && week <= last;
}

/** "本周不在本学期（本学期为第1—18周，9月5日—1月8日）": for a week outside the plan, instead of a number like 第534周. */
function notInSemester(content: Content, cmd: Pick<Command, 'week' | 'thisWeek'>): string {
  const { first, last } = semesterWeeks(content);
  const span = `${formatMonthDay(content.mondayOfWeek(first))}—${formatMonthDay(addDays(content.mondayOfWeek(last), 6))}`;
  return `${cmd.thisWeek ? '本周' : `第${cmd.week}周`}不在本学期（本学期为第${first}—${last}周，${span}）。`;
}

function kindOf(t: BroadcastTarget): string {
  return t.robot ? '群机器人' : t.appchat ? '应用群聊' : '应用消息';
}

function preview(content: Content, cmd: Command): string[] {
  const week = cmd.week!;
  if (!inSemester(content, week)) return [`${notInSemester(content, cmd)}可发送“预览第${semesterWeeks(content).first}周推送”等查看学期内某一周的推送。`];
  const monday = content.mondayOfWeek(week);
  const out = [
    `${cmd.thisWeek ? `本周（第${week}周）` : `第${week}周`}推送预览（${formatMonthDay(monday)}—${formatMonthDay(addDays(monday, 6))}，` +
      `共 ${content.broadcast.targets.length} 个推送对象，${describeCron(content.broadcast.schedule.cron)}发送）：`,
  ];
  for (const target of content.broadcast.targets) {
    const parts = buildAgenda(content, week, target);
    const body = parts.length
      ? parts.map((p) => (p.msgtype === 'markdown' ? p.markdown.content : p.text.content)).join('\n—— 分条 ——\n')
      : '（本周没有相关活动，不推送）';
    out.push(`【${target.name}】（${kindOf(target)}）\n${body}`);
  }
  return out;
}

async function status(content: Content, broadcaster: Broadcaster, store: Store, week: number | undefined, thisWeek: number, now: number): Promise<string> {
  const deliveries = await store.deliveries.list(jobPrefix('agenda'));
  if (week !== undefined && !inSemester(content, week)) return `推送状态：${notInSemester(content, { week })}`;
  const sent = deliveries.map((d) => jobKind(d.job).week ?? 0);
  const weeks =
    week !== undefined
      ? [week]
      : [...new Set([thisWeek, ...sent])]
          .filter((w) => inSemester(content, w))
          .sort((a, b) => b - a)
          .slice(0, 4);
  const lines: string[] = ['推送状态：'];
  if (week === undefined && !inSemester(content, thisWeek)) lines.push(notInSemester(content, { week: thisWeek, thisWeek: true }));
  for (const w of weeks) {
    const job = agendaJob(content, w);
    lines.push(`第${w}周：`);
    for (const target of content.broadcast.targets) {
      const d = deliveries.find((x) => x.job === job && x.target === target.name);
      const due = buildAgenda(content, w, target).length > 0;
      // An unconfigured target is said so even for weeks it got (the key was unset since): the admin's next step.
      const unconfigured = target.robot && !broadcaster.robotKey(target) ? unconfiguredText(target.robot.keyEnv) : undefined;
      lines.push(`· ${target.name}：${d || !unconfigured ? deliveryStatusText(d, due, now) : unconfigured}${d && unconfigured ? `；现${unconfigured}` : ''}`);
    }
  }
  if (content.broadcast.targets.some((t) => t.appchat)) lines.push('（“应用群聊”只能发到本应用自己创建的群聊；已有的群请用群机器人推送。）');
  lines.push(...(await otherMessages(store, now)));
  return lines.join('\n');
}

/** Reminders and replies the outbox still has to send, and those that did not go out in the last 7 days. */
async function otherMessages(store: Store, now: number): Promise<string[]> {
  const unsent = (await store.deliveries.list()).filter(
    (d) => jobKind(d.job).kind !== 'agenda' && d.status !== 'sent' && d.updatedAt > now - 7 * 24 * 3600_000,
  );
  const waiting = unsent.filter((d) => (d.retryUntil ?? 0) > now);
  const failed = unsent.filter((d) => (d.retryUntil ?? 0) <= now);
  if (!unsent.length) return [];
  const lines = ['其他消息（提醒、回复）：'];
  if (waiting.length) lines.push(`· 待自动重发 ${waiting.length} 条（企业微信暂时不可用，恢复后自动发送）`);
  for (const d of failed.slice(0, 10)) {
    lines.push(`· ${JOB_LABEL[jobKind(d.job).kind]} → ${d.target}：${gaveUpText(d)}，${formatShanghaiTime(d.updatedAt)}`);
  }
  if (failed.length > 10) lines.push(`· …另有 ${failed.length - 10} 条未能发出，详见日志`);
  return lines;
}

export function broadcastAdmin({ content: root, broadcaster }: HandlerDeps): Composer {
  const bot = new Composer();
  const today = (ctx: BotContext) => ctx.understood.today;
  // This week's plan: the push follows whichever plan covers the week (the content's own plan outside them all).
  const planOf = (ctx: BotContext) => root.planForWeek(today(ctx)) ?? root;
  bot.parses(
    'broadcast-admin',
    (text, ctx) => parseBroadcastCommand(text, planOf(ctx), today(ctx)),
    async (ctx, cmd) => {
      const content = planOf(ctx);
      if (!content.isAdmin(ctx.userId)) return ctx.reply(NOT_ADMIN);
      if (cmd.kind === 'preview') {
        for (const part of preview(content, cmd)) await ctx.reply(part);
      } else if (cmd.kind === 'status') {
        await ctx.reply(await status(content, broadcaster, ctx.store, cmd.week, content.weekOf(today(ctx)), ctx.clock.now()));
      } else {
        if (!inSemester(content, cmd.week!)) return ctx.reply(`${notInSemester(content, cmd)}没有可补发的推送。`);
        // 补发 is the admin's decision: it also resends what may have gone out when a sender died.
        const report = await broadcaster.run({ week: cmd.week!, resendUncertain: true, plan: content });
        await ctx.reply([`第${cmd.week}周推送：`, ...report.results.map((r) => `· ${r.target}：${describeResult(r)}`)].join('\n'));
      }
    },
  );
  return bot;
}
