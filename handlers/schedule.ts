import { Composer } from '../src/bot/composer.ts';
import type { Content } from '../src/content/content.ts';
import { addDays, formatDateWithWeekday, formatMonthDay, isValidDate, type CalendarDate } from '../src/content/dates.ts';
import { formatEntry } from '../src/content/format.ts';
import { parseNumber } from '../src/content/numerals.ts';
import type { ScheduleEntry } from '../src/content/plan.ts';
import { normaliseQuestion } from '../src/content/question-text.ts';
import { choose, readTime, type TimeReading } from '../src/content/time/grammar.ts';
import type { HandlerDeps } from './deps.ts';
import { answerUndatedDay, fullDate, notCurrentNote, outsidePlans, planAsked, weekSpan } from './plan-days.ts';

/**
 * The schedule: by date (9月20日, 9.20, 20号, 今天, 下周二), by week (第2周, 本周, 下周, 上周: relative to today in
 * Asia/Shanghai), by month (9月份有哪些活动), by activity (升旗仪式是哪天, 下次政治理论学习) and who runs it (升旗仪式谁组织),
 * by organiser (党委宣传部组织什么活动), or the whole of it (学习安排).
 */
export type ScheduleQuery =
  | { kind: 'all' }
  | { kind: 'date'; date: CalendarDate; aboutRecord?: boolean }
  /** Several dates asked at once (9月20日和27日学什么), or every day from one to another (9月20日到10月8日). */
  | { kind: 'dates'; dates: CalendarDate[] }
  | { kind: 'range'; from: CalendarDate; to: CalendarDate }
  | { kind: 'week'; week: number; label: string }
  | { kind: 'month'; month: number }
  | { kind: 'upcoming' }
  | { kind: 'records' }
  | { kind: 'activity'; activity: string; next: boolean; who: boolean; where?: boolean }
  /** A date that does not exist (9月31日): said so, not read as the whole month. */
  | { kind: 'no-such-date'; label: string }
  | { kind: 'organiser'; organiser: string }
  /** Chosen by time words: 还有几次学习, 9月最后一次学习, 这学期一共几次学习, 上次学的什么. */
  | { kind: 'choose'; reading: TimeReading; activity?: string };

/** A month or a day: one or two digits, or a Chinese numeral up to 三十一. */
const DAY_CHARS = '0-9一二三四五六七八九十';
const DAY_N = `[${DAY_CHARS}]{1,3}`;
const ASKS_WHEN = /哪天|哪一天|什么时候|啥时候|几号|几月几[日号]|何时|时间|日期|是哪|下次|下一次|安排/;
const ASKS_WHAT =
  /学什么|学啥|学了|学的|干什么|干嘛|干啥|干了|做什么|做啥|做了|要做|要干|有什么|有啥|有哪些|什么活动|啥活动|安排|活动|学习|是什么|是啥|谁组织|谁负责|组织者|交记录|记录吗/;
/** Where or at what time of day: the schedule does not say, and the answer says so with who to ask. */
/** A session's note that gives its time of day or place (下午，地点：行政楼报告厅), not only a pointer (见组织部通知). */
const SAYS_WHEN_OR_WHERE = /地点|上午|下午|晚上|中午|早上|全天|\d{1,2}[:：]\d{2}/;
const ASKS_WHERE = /在哪|哪里|什么地方|地点|几点|几时|什么时间开始|开始时间|多长时间|多久/;
/**
 * Fixed-date holidays, as people name a span of the semester (lunar ones move each year, so are not here). 国庆 and
 * 十一 (with 前/后) are read by the time grammar.
 */
const HOLIDAYS: Record<string, [string, string]> = {
  元旦: ['01-01', '01-01'],
  教师节: ['09-10', '09-10'],
  劳动节: ['05-01', '05-05'],
  五一: ['05-01', '05-05'],
};
/** Who runs an activity: 升旗仪式谁组织, 党员学习由谁负责, 组织者是谁, 哪个部门组织的. */
const ASKS_WHO = /谁|组织者|负责人|哪个(部门|单位|学院)|哪些(部门|单位)|什么(部门|单位)/;
const WHOLE = /^(本学期的?|这学期的?)?(学习|活动|时间)?(安排|日程|计划|安排表|日程表|时间表)(是什么|有哪些|呢)?$|^(全部|所有)(的)?(学习)?(安排|活动)$/;
/** 哪几次需要交记录, 什么时候要交学习讨论记录: the sessions that need a discussion record. */
const ASKS_RECORDS =
  /^(哪几次|哪些|哪次|什么时候|啥时候|哪天|哪几天|几次)(活动|学习)?(需要|要|得|必须)?(交|提交|写|做|上交)(学习)?(讨论)?记录|^(需要|要|得|必须)?(交|提交|写|做|上交)(学习)?(讨论)?记录的?(活动|学习)?(有|是)?(哪几次|哪些|哪次|几次)/;
/** 最近有什么活动, 下一次学习是什么时候, 接下来有什么安排: the next activity from today. */
const UPCOMING =
  /^(最近|近期|接下来|下一次|下次|下一个|下个|即将|马上)(的|有|要)?(什么|啥|哪些)?(学习|活动|安排)(活动|安排)?(是|在)?(什么|啥|哪些|哪天|什么时候|啥时候|几号)?(时候)?(呢|吗|啊)?$/;

/** `question`: the text as `normaliseQuestion` reads it, when the caller has it already (the message's one reading). */
export function parseScheduleQuery(text: string, content: Content, today: CalendarDate, question = normaliseQuestion(text)): ScheduleQuery | undefined {
  const t = question.replace(/[?？!！。.,，]+$/, '');
  if (WHOLE.test(t)) return { kind: 'all' };

  const several = readDates(t, content);
  if (several) return several;
  const holiday = Object.keys(HOLIDAYS)
    .sort((a, b) => b.length - a.length)
    .find((h) => t.startsWith(h));
  if (holiday && (ASKS_WHAT.test(t.slice(holiday.length)) || /有活动|放假/.test(t))) {
    const [from, to] = HOLIDAYS[holiday]!.map((md) => monthDay(content, Number(md.slice(0, 2)), Number(md.slice(3))));
    if (from && to) return from === to ? { kind: 'date', date: from } : { kind: 'range', from, to };
  }
  const impossible = new RegExp(`^(${DAY_N})月(${DAY_N})[日号]`).exec(t);
  if (impossible && ASKS_WHAT.test(t.slice(impossible[0].length))) {
    const [m, d] = [parseNumber(impossible[1]!), parseNumber(impossible[2]!)];
    if (m !== undefined && d !== undefined && m >= 1 && m <= 12 && !monthDay(content, m, d)) return { kind: 'no-such-date', label: `${m}月${d}日` };
  }
  if (UPCOMING.test(t)) return { kind: 'upcoming' };
  if (ASKS_RECORDS.test(t)) return { kind: 'records' };
  const timed = timeQuery(t, content, today);
  if (timed) return timed;

  const named = activityNamed(t, content);
  if (named && (ASKS_WHEN.test(t) || ASKS_WHO.test(t) || ASKS_WHERE.test(t) || named.whole)) {
    const where = ASKS_WHERE.test(t);
    return {
      kind: 'activity',
      activity: named.activity,
      next: /下次|下一次|下回|最近/.test(t),
      who: ASKS_WHO.test(t) && !ASKS_WHEN.test(t) && !where,
      ...(where ? { where } : {}),
    };
  }
  for (const organiser of new Set(content.schedule.flatMap((e) => e.organisers))) {
    if (t.includes(organiser) && /组织|负责|有什么|有哪些|什么活动|安排/.test(t)) return { kind: 'organiser', organiser };
  }
  return undefined;
}

/**
 * The activity a question names: its name, its name without 仪式/活动 or a note in brackets, or a shortening people
 * use (政治学习 for 政治理论学习: the same first and last characters, the rest in order). One activity, or none.
 * `whole` when the question is the name and nothing more.
 */
function activityNamed(t: string, content: Content): { activity: string; whole: boolean } | undefined {
  const names = [...new Set(content.schedule.map((e) => e.activity))].map((activity) => ({
    activity,
    core: activity.replace(/（[^）]*）|\([^)]*\)/g, '').replace(/(仪式|活动)$/, ''),
  }));
  const exact = names.filter(({ activity, core }) => t.includes(activity) || (core.length >= 2 && t.includes(core)));
  const found = exact.length ? exact : names.filter(({ core }) => core.length >= 3 && shorteningIn(t, core));
  if (found.length !== 1) return undefined;
  const { activity, core } = found[0]!;
  return { activity, whole: t === activity || t === core || (!exact.length && t[0] === core[0] && t.at(-1) === core.at(-1)) };
}

/** Whether `t` holds a shortening of `name`: 3+ characters, its first and last, the others in order (政治学习). */
function shorteningIn(t: string, name: string): boolean {
  const chars = [...t];
  const inOrder = (part: string[]) => {
    let k = 0;
    for (const c of name) if (c === part[k]) k++;
    return k === part.length;
  };
  for (let i = 0; i < chars.length; i++) {
    if (chars[i] !== name[0]) continue;
    for (let j = i + 2; j < Math.min(chars.length, i + name.length); j++) {
      if (chars[j] === name.at(-1) && inOrder(chars.slice(i, j + 1))) return true;
    }
  }
  return false;
}

/**
 * Two or more month-day dates in one question: joined (9月20日和9月27日, 9月20日、27日) they are a list, with 到/至/-
 * between them a span (9月20日到10月8日). A later date without its month takes the one before it.
 */
function readDates(t: string, content: Content): ScheduleQuery | undefined {
  const found = [...t.matchAll(new RegExp(`(?:(${DAY_N})月)?(${DAY_N})[日号]`, 'g'))];
  if (found.length < 2 || found[0]![1] === undefined) return undefined;
  const between = (i: number) => t.slice(found[i - 1]!.index! + found[i - 1]![0].length, found[i]!.index!).trim();
  const isRange = found.length === 2 && /^(到|至|—|-|~|～|一直到)$/.test(between(1));
  if (!isRange && !found.slice(1).every((_, i) => /^(和|与|及|跟|、|以及|，|,)$/.test(between(i + 1)))) return undefined;
  const rest = t.slice(found.at(-1)!.index! + found.at(-1)![0].length);
  if (!(ASKS_WHAT.test(rest) || rest === '' || ASKS_WHAT.test(t.slice(0, found[0]!.index!)))) return undefined;
  let month = '';
  const dates: CalendarDate[] = [];
  for (const m of found) {
    month = m[1] ?? month;
    const date = monthDay(content, parseNumber(month) ?? NaN, parseNumber(m[2]!) ?? NaN);
    if (!date) return undefined;
    dates.push(date);
  }
  if (isRange) return dates[0]! <= dates[1]! ? { kind: 'range', from: dates[0]!, to: dates[1]! } : undefined;
  return { kind: 'dates', dates: [...new Set(dates)] };
}

/** A month and day of the plan's semester as a date (a spring month in an autumn plan is the next year's). */
function monthDay(content: Content, m: number, d: number): CalendarDate | undefined {
  const year = Number(content.plan.week1Monday.slice(0, 4));
  const startMonth = Number(content.plan.week1Monday.slice(5, 7));
  // A spring month in an autumn plan belongs to the next year (January exams, say).
  const y = m < startMonth - 1 ? year + 1 : year;
  const iso = `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
  return isValidDate(iso) ? iso : undefined;
}

/**
 * The time words of a question, read by the one time grammar (src/content/time/grammar.ts): a day (今天, 20号, 9.27,
 * 下礼拜二), a week (这礼拜, 下个星期, 第3周), a month (9月份, 这个月), a span (国庆后, 月底), and what to choose in it
 * (还有几次, 上次, 最后一次, 一共几次). Undefined when the question has no time words or asks nothing about them.
 */
function timeQuery(t: string, content: Content, today: CalendarDate): ScheduleQuery | undefined {
  // The semester runs at least twenty weeks, past its last scheduled activity if need be (国庆后 is still in it).
  const twentyWeeks = addDays(content.plan.week1Monday, 7 * 20 - 1);
  const last = content.schedule.at(-1)?.date ?? twentyWeeks;
  const reading = readTime(t, { today, week1Monday: content.plan.week1Monday, semesterEnd: last > twentyWeeks ? last : twentyWeeks, lean: 'future' });
  const rest = reading.rest;
  const asks = ASKS_WHAT.test(rest) || ASKS_WHEN.test(rest) || /次|几|哪些|学过/.test(rest);
  if ((reading.pick || reading.direction || reading.count) && asks) {
    const named = activityNamed(rest, content);
    return { kind: 'choose', reading, ...(named ? { activity: named.activity } : {}) };
  }
  const span = reading.span;
  // 本学期 alone says nothing about when (本学期的学习主题): the whole schedule is WHOLE's.
  if (!span || span.unit === 'semester' || !(ASKS_WHAT.test(rest) || rest === '')) return undefined;
  switch (span.unit) {
    case 'day':
      return { kind: 'date', date: span.from, ...(/记录/.test(t) ? { aboutRecord: true } : {}) };
    case 'week': {
      const week = content.weekOf(span.from);
      return { kind: 'week', week, label: span.label };
    }
    case 'month':
      return { kind: 'month', month: Number(span.from.slice(5, 7)) };
    default:
      return { kind: 'range', from: span.from, to: span.to };
  }
}

/** "最后一次", "下一次" … as said in an answer. */
const PICK_WORDS: Record<NonNullable<TimeReading['pick']>, string> = { first: '第一次', last: '最后一次', next: '下一次', previous: '上一次' };

export function answerScheduleQuery(q: ScheduleQuery, content: Content, today: CalendarDate): string {
  const all = content.schedule;
  // Where a day without a session leads: the sessions of the plan answering (its own dates, named when several plans
  // are loaded), never another plan's weeks.
  const several = content.plans.length > 1;
  const span = () => {
    const dates = [...new Set(all.map((e) => e.date))];
    if (!dates.length) return '';
    const weeks = all.map((e) => e.week);
    const name = several ? `《${content.plan.title}》` : content.plan.week1Given ? '本学期' : content.plan.semester;
    const listed =
      dates.length <= 8 ? dates.map(formatMonthDay).join('、') : `${formatMonthDay(dates[0]!)}至${formatMonthDay(dates.at(-1)!)}（共 ${dates.length} 天）`;
    // Weeks only mean something when the plan says where week 1 is; a month's notice has its dates alone.
    return `${name}的学习活动安排在${listed}${content.plan.week1Given ? `（第${Math.min(...weeks)}—${Math.max(...weeks)}周）` : ''}。`;
  };
  /** The nearest later session; with several plans loaded, also which plan this is and its dates. */
  const after = (next: ScheduleEntry | undefined) => (next ? `之后最近的安排：\n${formatEntry(next)}${several ? `\n${span()}` : ''}` : span());
  switch (q.kind) {
    case 'all':
      return [`${content.plan.title}（共 ${all.length} 项）：`, ...all.map((e) => `· ${formatEntry(e)}`)].join('\n');
    case 'date': {
      const hits = all.filter((e) => e.date === q.date);
      // Asked whether a record is due: an activity without one says so (one with one says it already).
      const noRecord = q.aboutRecord && hits.length && hits.every((e) => !e.needsRecord) ? '\n这次活动不需要提交学习讨论记录。' : '';
      if (hits.length) return hits.map((e) => formatEntry(e)).join('\n') + noRecord;
      const next = all.find((e) => e.date > q.date);
      return `${formatDateWithWeekday(q.date)}没有安排学习活动。${after(next)}`;
    }
    case 'no-such-date':
      return `${q.label}不是有效的日期，请检查后再问，例如“${formatMonthDay(all[0]?.date ?? today)}学什么”。`;
    case 'dates':
      return q.dates.map((date) => answerScheduleQuery({ kind: 'date', date }, content, today)).join('\n\n');
    case 'range': {
      const hits = all.filter((e) => e.date >= q.from && e.date <= q.to);
      const head = `${formatMonthDay(q.from)}至${formatMonthDay(q.to)}`;
      if (!hits.length) {
        const next = all.find((e) => e.date > q.to);
        return `${head}没有安排学习活动。${after(next)}`;
      }
      return [`${head}的学习活动（共 ${hits.length} 项）：`, ...hits.map((e) => `· ${formatEntry(e)}`)].join('\n');
    }
    case 'week': {
      const hits = all.filter((e) => e.week === q.week);
      const monday = content.mondayOfWeek(q.week);
      if (q.week < 1 || q.week > 30) {
        return `${q.label}不在${content.plan.semester}内（第1周从${formatMonthDay(content.plan.week1Monday)}开始）。${span()}`;
      }
      const head = `${q.label === `第${q.week}周` ? q.label : `${q.label}（第${q.week}周）`}，${formatMonthDay(monday)}—${formatMonthDay(addDays(monday, 6))}`;
      if (!hits.length) return `${head}没有安排学习活动。${span()}`;
      return [`${head}的安排：`, ...hits.map((e) => `· ${formatEntry(e, { withWeek: false })}`)].join('\n');
    }
    case 'month': {
      const hits = all.filter((e) => Number(e.date.slice(5, 7)) === q.month);
      if (!hits.length) return `${q.month}月没有安排学习活动。${span()}`;
      return [`${q.month}月的学习活动（共 ${hits.length} 项）：`, ...hits.map((e) => `· ${formatEntry(e)}`)].join('\n');
    }
    case 'records': {
      const due = all.filter((e) => e.needsRecord);
      return [
        `需要做好并提交学习讨论记录的活动（共 ${due.length} 次，按月上交）：`,
        ...due.map((e) => `· ${formatEntry(e, { withWeek: false }).split('\n')[0]}`),
        '记录员发送“提交记录”即可在聊天中填写。',
      ].join('\n');
    }
    case 'upcoming': {
      const next = all.filter((e) => e.date >= today).slice(0, 3);
      if (!next.length) return `本学期的学习活动已经全部结束，最后一次是${formatDateWithWeekday(all.at(-1)!.date)}的${all.at(-1)!.activity}。`;
      return [`接下来的学习活动：`, ...next.map((e) => `· ${formatEntry(e)}`)].join('\n');
    }
    case 'activity': {
      const hits = all.filter((e) => e.activity === q.activity);
      if (q.where) {
        const organisers = [...new Set(hits.flatMap((e) => e.organisers))];
        // The time and place a notice wrote are in a session's note (shown above); only where none is written, say so.
        const unsaid = hits.some((e) => !SAYS_WHEN_OR_WHERE.test(e.note ?? ''));
        const whom = organisers.length ? `组织者（${organisers.join('、')}）` : '党委办公室';
        return [
          `${q.activity}：`,
          ...hits.map((e) => `· ${formatEntry(e)}`),
          ...(unsaid ? [`学习安排中没有写明地点和具体时间，请留意${whom}的通知。`] : []),
        ].join('\n');
      }
      if (q.who) {
        const organisers = [...new Set(hits.flatMap((e) => e.organisers))];
        return [`${q.activity}的组织者：${organisers.join('、')}`, ...hits.map((e) => `· ${formatEntry(e)}`)].join('\n');
      }
      if (q.next) {
        const next = hits.find((e) => e.date >= today);
        if (next) return `下一次${q.activity}：\n${formatEntry(next)}`;
        return `本学期的${q.activity}已经全部结束，最后一次是${formatDateWithWeekday(hits.at(-1)!.date)}。`;
      }
      return [`${q.activity}${hits.length > 1 ? `共 ${hits.length} 次` : ''}：`, ...hits.map((e) => `· ${formatEntry(e)}`)].join('\n');
    }
    case 'choose': {
      const { reading } = q;
      const pool = q.activity ? all.filter((e) => e.activity === q.activity) : all;
      const found = choose(pool, reading, today);
      const what = q.activity ?? '学习活动';
      const where = reading.span?.label ?? (reading.pick === 'next' || reading.pick === 'previous' ? '' : '本学期');
      if (reading.pick) {
        const said = `${where}${where ? '的' : ''}${PICK_WORDS[reading.pick]}${what}`;
        if (!found.length) return `没有${said}。${reading.pick === 'next' ? '本学期的学习活动已经全部结束。' : span()}`;
        return `${said}：\n${formatEntry(found[0]!)}`;
      }
      const n = found.length;
      const head =
        reading.direction === 'remaining'
          ? `${where}还有 ${n} 次${what}（从今天${formatMonthDay(today)}算起）`
          : reading.direction === 'past'
            ? `${where}已经进行了 ${n} 次${what}（${formatMonthDay(today)}之前）`
            : `${where}共有 ${n} 次${what}`;
      if (!n) return `${head}。${reading.direction === 'remaining' ? '' : span()}`;
      return [`${head}：`, ...found.map((e) => `· ${formatEntry(e)}`)].join('\n');
    }
    case 'organiser': {
      const hits = all.filter((e) => e.organisers.includes(q.organiser));
      return [`${q.organiser}组织的活动：`, ...hits.map((e: ScheduleEntry) => `· ${formatEntry(e)}`)].join('\n');
    }
  }
}

/**
 * The day a query is about, read against the plan it was parsed with (a week number counts from that plan's week
 * 1); undefined for questions about the plan as a whole (学习安排, 下次学习).
 */
function dayOf(q: ScheduleQuery, plan: Content): CalendarDate | undefined {
  switch (q.kind) {
    case 'date':
      return q.date;
    case 'range':
      return q.from;
    case 'week':
      return plan.mondayOfWeek(q.week);
    case 'month':
      return monthDay(plan, q.month, 15);
    default:
      return undefined;
  }
}

/**
 * Answers from the plan that covers the day asked about (this week from this month's notice, 2016年9月6日 from
 * the archive); outside every plan, says when the next begins or names the latest. A plan whose notice gives no
 * dates answers with its period, what it says about when, and what to study.
 */
export function answerFromPlans(q: ScheduleQuery, base: Content, content: Content, today: CalendarDate): string {
  if (q.kind === 'dates') return q.dates.map((date) => answerFromPlans({ kind: 'date', date }, base, content, today)).join('\n\n');
  const day = dayOf(q, base);
  if (day === undefined) {
    if (!base.schedule.length) return notCurrentNote(base, today) + answerUndatedDay(base, '本期', today);
    return notCurrentNote(base, today) + answerScheduleQuery(q, base, today);
  }
  const plan =
    q.kind === 'week' ? content.planForWeek(day) : q.kind === 'month' ? (content.planOn(day) ?? content.planOn(day.slice(0, 8) + '01')) : content.planOn(day);
  const label =
    q.kind === 'week' ? `${q.label}（${day.slice(0, 4)}年${weekSpan(base, q.week)}）` : q.kind === 'month' ? `${day.slice(0, 4)}年${q.month}月` : fullDate(day);
  if (!plan) return outsidePlans(content, day, label);
  if (!plan.schedule.length) return answerUndatedDay(plan, label, day);
  // A week counts from the answering plan's week 1.
  const asked: ScheduleQuery = q.kind === 'week' && plan !== base ? { ...q, week: plan.weekOf(day) } : q;
  return answerScheduleQuery(asked, plan, today);
}

export function schedule({ content }: HandlerDeps): Composer {
  const bot = new Composer();
  bot.parses(
    'schedule',
    (text, ctx) => {
      const today = ctx.understood.today;
      const asked = planAsked(content, text, today);
      const parsed = parseScheduleQuery(asked.text, asked.plan, today, ctx.understand(asked.text).question);
      if (!parsed) return undefined;
      // A year said outright wins over the plan's own year (2019年5月16日 with no plan that year).
      const inYear = (d: CalendarDate) => (asked.year ? `${asked.year}${d.slice(4)}` : d);
      const q: ScheduleQuery =
        parsed.kind === 'date'
          ? { ...parsed, date: inYear(parsed.date) }
          : parsed.kind === 'dates'
            ? { ...parsed, dates: parsed.dates.map(inYear) }
            : parsed.kind === 'range'
              ? { ...parsed, from: inYear(parsed.from), to: inYear(parsed.to) }
              : parsed;
      return { q, plan: asked.plan };
    },
    (ctx, { q, plan }) => ctx.reply(answerFromPlans(q, plan, content, ctx.understood.today)),
  );
  return bot;
}
