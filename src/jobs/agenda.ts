import type { Content } from '../content/content.ts';
import { addDays, formatMonthDay } from '../content/dates.ts';
import type { ScheduleEntry } from '../content/plan.ts';
import type { BroadcastTarget } from '../content/targets.ts';
import { GROUP_KIND_LABEL, GROUP_KINDS, RecordPolicy } from '../records/policy.ts';
import { packParts } from '../utf8-text.ts';
import { TEXT_LIMIT_BYTES } from '../wecom/limits.ts';
import { jobName } from './job-names.ts';

/**
 * The weekly agenda for one target, built from the schedule: each entry with date, weekday, activity, organisers and
 * notes; the semester's themes; a reminder to hand in the discussion record where an activity needs one. Markdown
 * for robots and app messages (unless the target asks for text), within WeCom's size limits: robot markdown 4096
 * bytes, app markdown and text 2048; a longer agenda is split between entries, never inside one.
 */
/** Assignable to both app messages and robot messages. */
export type AgendaMessage = { msgtype: 'markdown'; markdown: { content: string } } | { msgtype: 'text'; text: { content: string } };

export const ROBOT_MARKDOWN_LIMIT = 4096;

export function weekEntries(content: Content, week: number, target?: BroadcastTarget): ScheduleEntry[] {
  return content.schedule.filter((e) => e.week === week && (!target?.activities || target.activities.includes(e.activity)));
}

/** The message parts for a target and week; empty when there is nothing to send. */
export function buildAgenda(content: Content, week: number, target: BroadcastTarget): AgendaMessage[] {
  const entries = weekEntries(content, week, target);
  if (entries.length === 0 && !content.broadcast.schedule.sendEmptyWeeks) return [];
  const markdown = target.format === 'markdown';
  const monday = content.mondayOfWeek(week);
  const b = (s: string) => (markdown ? `**${s}**` : s);
  const head = `${markdown ? '### ' : '【'}第${week}周学习安排（${formatMonthDay(monday)}—${formatMonthDay(addDays(monday, 6))}）${markdown ? '' : '】'}`;
  const lines = entries.length
    ? entries.map((e) => `${b(`${formatMonthDay(e.date)} 星期${e.weekday}`)} ${e.activity}${e.note ? `（${e.note}）` : ''}${organiserLine(e)}`)
    : ['本周没有安排学习活动。'];
  const tail: string[] = [];
  if (content.plan.themes.length) tail.push(`${content.plan.semester}学习主题：\n${content.plan.themes.join('\n')}`);
  for (const text of recordNotices(content, entries, target)) tail.push(markdown ? `<font color="warning">${text}</font>` : text);
  if (target.extraText) tail.push(target.extraText);
  tail.push(markdown ? `> 向学习助手发送“本周安排”或“帮助”可随时查询` : `（向学习助手发送“帮助”可查询学习内容）`);
  const limit = markdown && target.robot ? ROBOT_MARKDOWN_LIMIT : TEXT_LIMIT_BYTES;
  const parts = packParts([head, ...lines, ...tail], limit, '\n\n');
  return parts.map((content) => (markdown ? { msgtype: 'markdown', markdown: { content } } : { msgtype: 'text', text: { content } }));
}

/**
 * What the target's readers are told about handing in records this week: each audience its own rule (RecordPolicy),
 * and only when one of the week's sessions needs a record from its kind of group (students owe none for 业务学习活动).
 * A target for everyone gets the line of each kind concerned, labelled when there are two.
 */
export function recordNotices(content: Content, entries: readonly ScheduleEntry[], target: BroadcastTarget): string[] {
  const policy = RecordPolicy.of(content);
  const kinds = (target.audience ? [target.audience] : GROUP_KINDS).filter((k) => entries.some((e) => policy.kindsOwing(e).includes(k)));
  return kinds.map((k) => (kinds.length > 1 ? `${GROUP_KIND_LABEL[k]}学习组：${policy.notice(k, content)}` : policy.notice(k, content)));
}

/** The organisers under an entry; nothing when the notice names none (an empty "组织者：" says nothing). */
function organiserLine(e: ScheduleEntry): string {
  return e.organisers.length ? `\n组织者：${e.organisers.join('、')}` : '';
}

/** The job key of a week's agenda in the delivery ledger. */
export function agendaJob(content: Content, week: number): string {
  return jobName.agenda(content.plan.week1Monday, week);
}
