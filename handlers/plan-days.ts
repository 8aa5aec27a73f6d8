import type { Content } from '../src/content/content.ts';
import { addDays, formatDateWithWeekday, formatMonthDay, type CalendarDate } from '../src/content/dates.ts';
import { clip } from '../src/content/format.ts';

/**
 * Which plan answers a question about a day, and what the bot says about a plan whose notice gives no dates:
 * the plans are many (one a month, one a semester …), and a question is answered from the one covering the day
 * it is about. Outside every plan the bot says when the next begins, or that none is loaded after the latest.
 */

/** "2023年6月20日（星期二）" */
export function fullDate(date: CalendarDate): string {
  return `${date.slice(0, 4)}年${formatDateWithWeekday(date)}`;
}

/** "2023年6月1日至6月30日", "2023年10月17日起" */
export function coverageText(plan: Content): string {
  const c = plan.coverage;
  if (!c) return '时间未写明';
  const from = `${c.from.slice(0, 4)}年${formatMonthDay(c.from)}`;
  // A semester table's end is the bot's bound (30 weeks, or the next plan's start), not the notice's words: unsaid.
  if (!c.to || c.soft) return `${from}起`;
  return `${from}至${c.to.slice(0, 4) === c.from.slice(0, 4) ? '' : `${c.to.slice(0, 4)}年`}${formatMonthDay(c.to)}`;
}

/**
 * The plan a question is read against before its day is known: one named by year (2016年9月6日学什么: the plan
 * covering that year), else the plan covering today, else the next one, else the latest. The year is taken out of
 * the text so the day is read in that plan's year.
 */
export function planAsked(content: Content, text: string, today: CalendarDate): { plan: Content; text: string; year?: number } {
  const y = /(\d{4})\s*年(?=\s*[0-9一二三四五六七八九十]{1,2}\s*月)/.exec(text);
  if (y) {
    const year = Number(y[1]);
    const rest = text.replace(y[0], '');
    const inYear = content.plans.find(
      (p) => p.coverage && Number(p.coverage.from.slice(0, 4)) <= year && Number((p.coverage.to ?? '9999').slice(0, 4)) >= year,
    );
    return { plan: inYear ?? currentPlan(content, today), text: rest, year };
  }
  return { plan: currentPlan(content, today), text };
}

/** The plan covering today, else the next to begin, else the latest. */
export function currentPlan(content: Content, today: CalendarDate): Content {
  return content.planOn(today) ?? content.nextPlanAfter(today) ?? content.latestPlan;
}

/** A day outside every plan: when the next one begins, or that none is loaded after the latest (named). */
export function outsidePlans(content: Content, day: CalendarDate, label = fullDate(day)): string {
  const loaded = content.plans.filter((p) => p.coverage);
  if (!loaded.length) return `${label}没有学习计划：目前还没有导入任何学习计划。`;
  const next = content.nextPlanAfter(day);
  if (next) return `${label}不在任何学习计划的时间内。下一个学习计划是《${next.plan.title}》，从${fullDate(next.coverage!.from)}开始。`;
  const latest = content.latestPlan;
  return `${label}不在任何学习计划的时间内，之后的学习计划还没有导入。最近的一个是《${latest.plan.title}》（${coverageText(latest)}）。`;
}

/** A note put before an answer taken from a plan that does not cover today. */
export function notCurrentNote(plan: Content, today: CalendarDate): string {
  if (plan.covers(today)) return '';
  return plan.coverage && plan.coverage.from > today
    ? `（今天不在任何学习计划的时间内；以下是下一个学习计划《${plan.plan.title}》，${coverageText(plan)}）\n`
    : `（今天不在任何学习计划的时间内，之后的计划还没有导入；以下是最近的学习计划《${plan.plan.title}》，${coverageText(plan)}）\n`;
}

/** What a notice says about when to study: its dated sessions, its rule, the day to finish by, or that it does not say. */
export function sessionsText(plan: Content, day?: CalendarDate): string {
  const p = plan.plan;
  const lines: string[] = [];
  for (const rule of p.sessions?.rules ?? []) {
    if (rule.weeks === 'every') lines.push(`${rule.text}`);
    else if (!p.week1Given)
      lines.push(`${rule.text}（通知没有写明第1周是哪一周，无法确定哪几周是${rule.weeks === 'odd' ? '单' : '双'}周，请以所在单位的安排为准）`);
    else if (day) {
      const week = plan.weekOf(day);
      const matches = (week % 2 === 1) === (rule.weeks === 'odd');
      lines.push(`${rule.text}：这一周是第${week}周（${week % 2 ? '单' : '双'}周），${matches ? '要学习' : '不在学习周'}`);
    } else lines.push(rule.text);
  }
  if (p.sessions?.by) lines.push(`${fullDate(p.sessions.by)}之前完成学习`);
  if (p.sessions?.note) lines.push(`通知原文：“${p.sessions.note}”`);
  if (plan.schedule.length) lines.push(...plan.schedule.map((e) => `${formatDateWithWeekday(e.date)} ${e.activity}${e.note ? `（${e.note}）` : ''}`));
  if (!lines.length) return '通知没有写明具体的学习日期。';
  return lines.join('\n');
}

/** The readings in short, for an overview: at most `max`, then how many more. */
export function readingsOverview(plan: Content, max = 6): string[] {
  const ms = plan.plan.materials;
  if (!ms.length && plan.plan.themes.length) return [`学习主题：`, ...plan.plan.themes.map((t) => clip(t, 60))];
  if (!ms.length) return ['通知没有列出学习资料。'];
  const shown = ms.slice(0, max).map((m, i) => `（${i + 1}）${clip(m.title, 60)}`);
  return ['学习内容：', ...shown, ...(ms.length > max ? [`……共 ${ms.length} 项，发送“学习资料”查看全部`] : [])];
}

/**
 * A question about a day (or week, or month) that a plan without dated sessions covers: the plan, when its notice
 * says to study, and what.
 */
export function answerUndatedDay(plan: Content, label: string, day: CalendarDate): string {
  const p = plan.plan;
  const questions = p.questions.staff.length + p.questions.students.length + p.questions.others.length;
  return [
    `${label}在《${p.title}》的学习期间（${coverageText(plan)}）。`,
    `学习时间：${sessionsText(plan, day)}`,
    ...readingsOverview(plan),
    ...(questions ? ['发送“讨论题”查看讨论题，“学习要求”查看要求。'] : p.requirements.length ? ['发送“学习要求”查看要求。'] : []),
  ].join('\n');
}

/** "第3周（9月19日—9月25日）" for people, from a plan's week. */
export function weekSpan(plan: Content, week: number): string {
  const monday = plan.mondayOfWeek(week);
  return `${formatMonthDay(monday)}—${formatMonthDay(addDays(monday, 6))}`;
}
