import type { Composer } from '../src/bot/composer.ts';
import type { BotContext } from '../src/bot/context.ts';
import type { Content } from '../src/content/content.ts';
import { formatShanghaiTime, shanghaiDate } from '../src/content/dates.ts';
import { parseNumber } from '../src/content/numerals.ts';
import type { BroadcastTarget } from '../src/content/targets.ts';
import { agendaJob, buildAgenda } from '../src/jobs/agenda.ts';
import { describeResult, unconfiguredText, UNCERTAIN_TEXT, type Broadcaster } from '../src/jobs/broadcaster.ts';
import { UNCERTAIN } from '../src/jobs/outbox.ts';
import type { Delivery, Store } from '../src/storage/ports.ts';
import type { HandlerDeps } from './deps.ts';

/**
 * The party office's broadcast controls in chat: 预览本周推送 / 预览第3周推送 (exactly what would be sent),
 * 推送状态 [第N周] (which targets got which week, failures), 补发本周推送 (send to targets that have not got it yet).
 * Admins only (content/roster.yaml); anyone else gets a polite refusal and nothing else.
 */
export const NOT_ADMIN = '抱歉，推送管理仅限党委办公室的管理员使用。如需开通，请联系党委宣传部。';

type Command = { kind: 'preview' | 'status' | 'send'; week: number | undefined };

export function parseBroadcastCommand(text: string, content: Content, today: string): Command | undefined {
  const t = text.normalize('NFKC').replace(/[\s?？!！。]/g, '');
  const m = /^(预览|推送状态|补发)(?:(本周|这周|下周|上周)|第([0-9一二三四五六七八九十]+)周)?(?:的)?(推送|状态)?$/.exec(t);
  if (!m) return undefined;
  const kind = m[1] === '预览' ? 'preview' : m[1] === '补发' ? 'send' : 'status';
  if (kind !== 'status' && m[4] !== '推送') return undefined;
  const thisWeek = content.weekOf(today);
  const week = m[3] ? parseNumber(m[3]) : m[2] ? thisWeek + (m[2] === '下周' ? 1 : m[2] === '上周' ? -1 : 0) : kind === 'status' ? undefined : thisWeek;
  return { kind, week };
}

function kindOf(t: BroadcastTarget): string {
  return t.robot ? '群机器人' : t.appchat ? '应用群聊' : '应用消息';
}

function preview(content: Content, week: number): string[] {
  const out = [`第${week}周推送预览（共 ${content.broadcast.targets.length} 个推送对象，每周一 ${content.broadcast.schedule.cron} 按北京时间发送）：`];
  for (const target of content.broadcast.targets) {
    const parts = buildAgenda(content, week, target);
    const body = parts.length ? parts.map((p) => (p.msgtype === 'markdown' ? p.markdown.content : p.text.content)).join('\n—— 分条 ——\n') : '（本周没有相关活动，不推送）';
    out.push(`【${target.name}】（${kindOf(target)}）\n${body}`);
  }
  return out;
}

async function status(content: Content, broadcaster: Broadcaster, store: Store, week: number | undefined, thisWeek: number, now: number): Promise<string> {
  const deliveries = await store.deliveries.list('agenda:');
  const weeks = week !== undefined ? [week] : [...new Set([thisWeek, ...deliveries.map((d) => Number(/week-(\d+)$/.exec(d.job)?.[1]))])].filter((w) => w > 0).sort((a, b) => b - a).slice(0, 4);
  const lines: string[] = ['推送状态：'];
  for (const w of weeks) {
    const job = agendaJob(content, w);
    lines.push(`第${w}周：`);
    for (const target of content.broadcast.targets) {
      const d = deliveries.find((x) => x.job === job && x.target === target.name);
      const due = buildAgenda(content, w, target).length > 0;
      // An unconfigured target is said so even for weeks it got (the key was unset since): the admin's next step.
      const unconfigured = target.robot && !broadcaster.robotKey(target) ? unconfiguredText(target.robot.keyEnv) : undefined;
      lines.push(`· ${target.name}：${d || !unconfigured ? describe(d, due, now) : unconfigured}${d && unconfigured ? `；现${unconfigured}` : ''}`);
    }
  }
  lines.push(...(await otherMessages(store, now)));
  return lines.join('\n');
}

/** Reminders and replies the outbox still has to send, and those that did not go out in the last 7 days. */
async function otherMessages(store: Store, now: number): Promise<string[]> {
  const unsent = (await store.deliveries.list()).filter((d) => !d.job.startsWith('agenda:') && d.status !== 'sent' && d.updatedAt > now - 7 * 24 * 3600_000);
  const waiting = unsent.filter((d) => (d.retryUntil ?? 0) > now);
  const failed = unsent.filter((d) => (d.retryUntil ?? 0) <= now);
  if (!unsent.length) return [];
  const lines = ['其他消息（提醒、回复）：'];
  if (waiting.length) lines.push(`· 待自动重发 ${waiting.length} 条（企业微信暂时不可用，恢复后自动发送）`);
  for (const d of failed.slice(0, 10)) {
    const what = d.errcode === UNCERTAIN ? '可能已发出（发送时服务中断）' : `未能发出（错误码 ${d.errcode ?? '-'}）`;
    lines.push(`· ${kindOfJob(d.job)} → ${d.target}：${what}，${formatShanghaiTime(d.updatedAt)}`);
  }
  if (failed.length > 10) lines.push(`· …另有 ${failed.length - 10} 条未能发出，详见日志`);
  return lines;
}

function kindOfJob(job: string): string {
  if (job.startsWith('reply:')) return '回复';
  if (job.startsWith('closed-report:')) return '截止统计';
  return '提醒';
}

function describe(d: Delivery | undefined, due: boolean, now: number): string {
  if (!d) return due ? '未发送' : '无相关活动，不推送';
  if (d.status === 'sent') return `已发送（${formatShanghaiTime(d.sentAt ?? d.updatedAt)}${d.forcedResends ? `，人工重发 ${d.forcedResends} 次` : ''}）`;
  const error = `错误码 ${d.errcode ?? '-'}：${d.errmsg ?? ''}，已尝试 ${d.attempts} 次`;
  if (d.status === 'failed' && d.errcode === UNCERTAIN) return UNCERTAIN_TEXT;
  if (d.status === 'failed' && (d.retryUntil ?? 0) > now) return `暂未发出，将自动重试至 ${formatShanghaiTime(d.retryUntil!)}（${error}）`;
  if (d.status === 'failed') return `发送失败（${error}）。可发送“补发本周推送”重试`;
  return `发送中（已尝试 ${d.attempts} 次${d.errcode !== undefined ? `，上次错误码 ${d.errcode}` : ''}）`;
}


export function registerBroadcastAdmin(bot: Composer, { content, broadcaster }: HandlerDeps): void {
  const today = (ctx: BotContext) => shanghaiDate(ctx.clock.now());
  bot.parses(
    'broadcast-admin',
    (text, ctx) => parseBroadcastCommand(text, content, today(ctx)),
    async (ctx, cmd) => {
      if (!content.isAdmin(ctx.userId)) return ctx.reply(NOT_ADMIN);
      if (cmd.kind === 'preview') {
        for (const part of preview(content, cmd.week!)) await ctx.reply(part);
      } else if (cmd.kind === 'status') {
        await ctx.reply(await status(content, broadcaster, ctx.store, cmd.week, content.weekOf(today(ctx)), ctx.clock.now()));
      } else {
        // 补发 is the admin's decision: it also resends what may have gone out when a sender died.
        const report = await broadcaster.run({ week: cmd.week!, resendUncertain: true });
        await ctx.reply(
          [`第${cmd.week}周推送：`, ...report.results.map((r) => `· ${r.target}：${describeResult(r)}`)].join('\n'),
        );
      }
    },
  );
}
