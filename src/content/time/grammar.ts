import { addDays, isValidDate, mondayOf, type CalendarDate } from '../dates.ts';
import { parseNumber } from '../numerals.ts';

/**
 * The one reader of time words (issue 20): days (今天, 前天, 20号, 9.27, 9月27日, 九月二十, 下周二, 礼拜五), weeks
 * (这礼拜, 下个礼拜, 上周, 下下周, 第三周, 开学后第三周), months (这个月, 下个月, 9月份, 月底), the semester, holidays
 * (国庆前/后), and the words that choose within a span: what is left (还有几次, 还剩, 接下来), what is past (上次,
 * 之前), the first or last (第一次, 最后一次), the next or previous (下次, 上次), and a count (一共几次). Every
 * feature that reads a date or a span asks this: the schedule, the office's scopes, the form's date step.
 * Table-driven test with a held-out part: test/content/time-grammar.test.ts.
 */
export interface TimeRef {
  /** Today in Asia/Shanghai (from the injected clock). */
  today: CalendarDate;
  /** The semester's first Monday: 第N周, 开学后第N周, 本学期, and which year a month-day is in. */
  week1Monday?: CalendarDate;
  /** The semester's last day, for 本学期 and 国庆后 (default: a year after week 1). */
  semesterEnd?: CalendarDate;
  /**
   * Which way a bare weekday or a month-day without a year leans: 'future' (the schedule: 周二学啥 is the coming one)
   * or 'past' (a record's date: 周二 is the latest one on or before today; a month after next is last year's).
   */
  lean?: 'future' | 'past';
}

export type SpanUnit = 'day' | 'week' | 'month' | 'semester' | 'span';

export interface Span {
  from: CalendarDate;
  to: CalendarDate;
  unit: SpanUnit;
  /** How to name it in a reply: 9月20日, 下周, 第3周, 9月, 本学期, 国庆前. */
  label: string;
}

export interface TimeReading {
  span?: Span;
  /** Only what is still to come (还有几次, 还剩, 接下来), or only what has been (之前, 已经). */
  direction?: 'remaining' | 'past';
  /** One of them: the first, the last, the next from today, the previous before today. */
  pick?: 'first' | 'last' | 'next' | 'previous';
  /** How many (一共几次, 几次, 多少次). */
  count?: boolean;
  /** The text without the time words read (for the caller's own words: 学什么, 交了吗). */
  rest: string;
  /** The words the span was read from, as written (下个礼拜, 9月20日). */
  matched?: string;
}

const NUM = '[0-9零〇一二两三四五六七八九十]{1,3}';
const WEEKDAY: Record<string, number> = { 一: 0, 二: 1, 三: 2, 四: 3, 五: 4, 六: 5, 日: 6, 天: 6, '1': 0, '2': 1, '3': 2, '4': 3, '5': 4, '6': 5, '7': 6 };
const WEEK_WORD = '(?:周|星期|礼拜)';
/** 这/本/下/下个/下下/上/上个/上上 before 周/星期/礼拜: how many weeks from this one. */
const WEEK_PREFIX = '(这个|这|本|下下个|下下|下个|下一个|下|上上个|上上|上个|上一个|上)';
const RELATIVE_DAYS: Record<string, number> = { 大前天: -3, 前天: -2, 昨天: -1, 昨日: -1, 今天: 0, 今日: 0, 今儿: 0, 明天: 1, 明日: 1, 明儿: 1, 后天: 2, 大后天: 3 };

function weekShift(prefix: string): number {
  if (prefix.startsWith('下下')) return 2;
  if (prefix.startsWith('上上')) return -2;
  if (prefix.startsWith('下')) return 1;
  if (prefix.startsWith('上')) return -1;
  return 0;
}
const WEEK_LABEL: Record<number, string> = { [-2]: '上上周', [-1]: '上周', 0: '本周', 1: '下周', 2: '下下周' };

/** How many years from today's a relative year word means. */
const YEAR_OFFSET: Record<string, number> = { 前年: -2, 去年: -1, 今年: 0, 明年: 1, 后年: 2 };

const pad = (n: number) => String(n).padStart(2, '0');
const monthEnd = (y: number, m: number) => new Date(Date.UTC(y, m, 0)).getUTCDate();
const num = (s: string) => parseNumber(s);

/** The year of a month: the semester's (a spring month in an autumn plan is the next year's), else by the lean. */
function yearOf(m: number, ref: TimeRef): number {
  if (ref.week1Monday) {
    const y = Number(ref.week1Monday.slice(0, 4));
    const start = Number(ref.week1Monday.slice(5, 7));
    return m < start - 1 ? y + 1 : y;
  }
  const y = Number(ref.today.slice(0, 4));
  const now = Number(ref.today.slice(5, 7));
  return ref.lean === 'past' && m > now + 1 ? y - 1 : y;
}

function day(y: number, m: number | undefined, d: number | undefined): CalendarDate | undefined {
  if (m === undefined || d === undefined) return undefined;
  const iso = `${y}-${pad(m)}-${pad(d)}`;
  return isValidDate(iso) ? iso : undefined;
}

const dayLabel = (date: CalendarDate) => `${Number(date.slice(5, 7))}月${Number(date.slice(8, 10))}日`;
const daySpan = (date: CalendarDate, label = dayLabel(date)): Span => ({ from: date, to: date, unit: 'day', label });

function semesterSpan(ref: TimeRef): Span {
  const from = ref.week1Monday ?? ref.today;
  return { from, to: ref.semesterEnd ?? addDays(from, 365), unit: 'semester', label: '本学期' };
}

function monthSpan(m: number, ref: TimeRef, label = `${m}月`): Span {
  const y = yearOf(m, ref);
  return { from: `${y}-${pad(m)}-01`, to: `${y}-${pad(m)}-${pad(monthEnd(y, m))}`, unit: 'month', label };
}

function weekSpan(monday: CalendarDate, label: string): Span {
  return { from: monday, to: addDays(monday, 6), unit: 'week', label };
}

interface Rule {
  re: RegExp;
  read: (m: RegExpExecArray, ref: TimeRef) => Span | undefined;
}

/** Longer and more specific forms first; each rule's match is taken out of the text before the next is tried. */
const SPAN_RULES: Rule[] = [
  // 2016年9月20日, 2016-09-20
  { re: /(\d{4})[-./年](\d{1,2})[-./月](\d{1,2})[日号]?/, read: (m) => mapDay(day(Number(m[1]), Number(m[2]), Number(m[3]))) },
  // 2016年9月, 2023年6月份: a month of a year said outright (an archived plan's month)
  {
    re: /(\d{4})年(\d{1,2})月份?(?![0-9零〇一二两三四五六七八九十])/,
    read: (m) => {
      const [y, mm] = [Number(m[1]), Number(m[2])];
      if (mm < 1 || mm > 12) return undefined;
      return { from: `${y}-${pad(mm)}-01`, to: `${y}-${pad(mm)}-${pad(monthEnd(y, mm))}`, unit: 'month', label: `${y}年${mm}月` };
    },
  },
  // 去年9月20号, 前年的十月, 今年3月7日, 明年1月份: a month(-day) in a year said relative to today's, which sets the year
  // (not the semester's nor the lean's guess)
  {
    re: new RegExp(`(前年|去年|今年|明年|后年)的?(${NUM})月份?(?:(${NUM})[日号]?)?(?![0-9零〇一二两三四五六七八九十底末初中上下旬周])`),
    read: (m, ref) => {
      const y = Number(ref.today.slice(0, 4)) + YEAR_OFFSET[m[1]!]!;
      const mm = num(m[2]!);
      if (mm === undefined || mm < 1 || mm > 12) return undefined;
      if (m[3] !== undefined) return mapDay(day(y, mm, num(m[3])));
      return { from: `${y}-${pad(mm)}-01`, to: `${y}-${pad(mm)}-${pad(monthEnd(y, mm))}`, unit: 'month', label: `${y}年${mm}月` };
    },
  },
  // 国庆前/国庆节前/国庆之前, 国庆后/国庆以后, 国庆期间/国庆节/十一假期
  {
    re: /(?:国庆节?|十一)(?:假期|长假)?(之前|以前|前|之后|以后|后|期间)?|十一(?:假期|长假|期间)/,
    read: (m, ref) => {
      const holiday = monthSpan(10, ref);
      const first = holiday.from;
      const last = addDays(first, 6);
      const when = m[1] ?? '';
      const semester = semesterSpan(ref);
      if (/前/.test(when)) return { from: ref.week1Monday && ref.week1Monday < first ? ref.week1Monday : ref.today < first ? ref.today : semester.from, to: addDays(first, -1), unit: 'span', label: '国庆前' };
      if (/后/.test(when)) return { from: addDays(last, 1), to: semester.to, unit: 'span', label: '国庆后' };
      if (!when && m[0] === '十一') return undefined;
      return { from: first, to: last, unit: 'span', label: '国庆假期' };
    },
  },
  // 这学期, 本学期, 整个学期
  { re: /(?:这个?|本|整个)学期/, read: (_m, ref) => semesterSpan(ref) },
  // 开学后第三周, 开学第一周, 第3周
  {
    re: new RegExp(`(?:开学(?:以?后)?)?第(${NUM})(?:个)?(?:周|星期|礼拜)(?![一二三四五六日天1-7])`),
    read: (m, ref) => {
      const w = num(m[1]!);
      if (w === undefined || !ref.week1Monday) return undefined;
      return weekSpan(addDays(ref.week1Monday, 7 * (w - 1)), `第${w}周`);
    },
  },
  // 下周二, 这个星期五, 上礼拜三, 下下周一
  {
    re: new RegExp(`${WEEK_PREFIX}${WEEK_WORD}([一二三四五六日天1-7])`),
    read: (m, ref) => mapDay(addDays(mondayOf(ref.today), 7 * weekShift(m[1]!) + WEEKDAY[m[2]!]!)),
  },
  // 下周末, 这周末
  {
    re: new RegExp(`${WEEK_PREFIX}?周末`),
    read: (m, ref) => {
      const sat = addDays(mondayOf(ref.today), 7 * weekShift(m[1] ?? '') + 5);
      return { from: sat, to: addDays(sat, 1), unit: 'span', label: `${m[1] ? (WEEK_LABEL[weekShift(m[1])] ?? '').replace(/周$/, '') : ''}周末` };
    },
  },
  // 这礼拜, 下个礼拜, 上周, 下下周, 这个星期
  {
    re: new RegExp(`${WEEK_PREFIX}(?:${WEEK_WORD})(?![一二三四五六日天1-7])`),
    read: (m, ref) => {
      const shift = weekShift(m[1]!);
      return weekSpan(addDays(mondayOf(ref.today), 7 * shift), WEEK_LABEL[shift]!);
    },
  },
  // 周二, 星期五, 礼拜天 without a week: by the lean
  {
    re: new RegExp(`(?<![第上下这本个])${WEEK_WORD}([一二三四五六日天1-7])(?![0-9])`),
    read: (m, ref) => {
      const thisWeek = addDays(mondayOf(ref.today), WEEKDAY[m[1]!]!);
      if (ref.lean === 'past') return mapDay(thisWeek <= ref.today ? thisWeek : addDays(thisWeek, -7));
      return mapDay(thisWeek >= ref.today ? thisWeek : addDays(thisWeek, 7));
    },
  },
  // 今天, 昨天, 前天, 大后天
  { re: /大前天|前天|昨天|昨日|今天|今日|今儿|大后天|明天|明日|明儿|后天/, read: (m, ref) => mapDay(addDays(ref.today, RELATIVE_DAYS[m[0]]!)) },
  // 9月27日, 九月二十号, 9月27, 九月二十
  {
    re: new RegExp(`(${NUM})月份?(${NUM})(?:[日号]|(?![0-9零〇一二两三四五六七八九十周]))`),
    read: (m, ref) => {
      const mm = num(m[1]!);
      return mm === undefined ? undefined : mapDay(day(yearOf(mm, ref), mm, num(m[2]!)));
    },
  },
  // 9.27, 9/27, 9-27
  {
    re: /(?<![\d.])(\d{1,2})[./-](\d{1,2})(?![\d.])/,
    read: (m, ref) => {
      const mm = Number(m[1]);
      return mapDay(day(yearOf(mm, ref), mm, Number(m[2])));
    },
  },
  // 月底/月末/月初/月中 of a month named (9月底) or this one
  {
    re: new RegExp(`(?:(${NUM})月|(这个|这|本|下个|下|上个|上)月)?(月底|月末|底|末|月初|初|月中|中旬|上旬|下旬)`),
    read: (m, ref) => {
      if (!m[1] && !m[2] && !/^月/.test(m[3]!)) return undefined;
      const base = monthOf(m[1], m[2], ref);
      if (!base) return undefined;
      const [y, mm] = base;
      const end = monthEnd(y, mm);
      const part = m[3]!.replace(/^月/, '');
      const [from, to, label] = /底|末|下旬/.test(part) ? [end - 6, end, '月底'] : /初|上旬/.test(part) ? [1, 10, '月初'] : [11, 20, '月中'];
      return { from: `${y}-${pad(mm)}-${pad(from as number)}`, to: `${y}-${pad(mm)}-${pad(to as number)}`, unit: 'span', label: `${mm}${label}` };
    },
  },
  // 20号, 20日 (this month)
  {
    re: new RegExp(`(?<![月0-9零〇一二两三四五六七八九十.])(?:(?:本|这个?)月)?(${NUM})[号日](?!子)`),
    read: (m, ref) => {
      const [y, mm] = [Number(ref.today.slice(0, 4)), Number(ref.today.slice(5, 7))];
      return mapDay(day(y, mm, num(m[1]!)));
    },
  },
  // 9月份, 九月 (not 九月二十), 这个月, 下个月, 上个月
  {
    re: new RegExp(`(?:(${NUM})月份?|(这个|这|本|下个|下|上个|上)月份?)(?![0-9零〇一二两三四五六七八九十])`),
    read: (m, ref) => {
      const base = monthOf(m[1], m[2], ref);
      if (!base) return undefined;
      const label = m[2] ? `${{ 这个: '本', 这: '本', 本: '本', 下个: '下个', 下: '下个', 上个: '上个', 上: '上个' }[m[2]]}月` : undefined;
      return monthSpan(base[1], ref, label);
    },
  },
];

function mapDay(date: CalendarDate | undefined): Span | undefined {
  return date ? daySpan(date) : undefined;
}

/** The year and month of "9月" or "这个/下个/上个月". */
function monthOf(numeral: string | undefined, relative: string | undefined, ref: TimeRef): [number, number] | undefined {
  if (numeral) {
    const m = num(numeral);
    return m !== undefined && m >= 1 && m <= 12 ? [yearOf(m, ref), m] : undefined;
  }
  let y = Number(ref.today.slice(0, 4));
  let m = Number(ref.today.slice(5, 7)) + (relative ? (relative.startsWith('下') ? 1 : relative.startsWith('上') ? -1 : 0) : 0);
  if (m > 12) [y, m] = [y + 1, 1];
  if (m < 1) [y, m] = [y - 1, 12];
  return [y, m];
}

const PICKS: Array<[TimeReading['pick'], RegExp]> = [
  ['last', /最后一次|最后一回|最后一场|最后一期|最后那次|最后/],
  ['first', /第一次|第一回|第一场|头一次|首次/],
  ['next', /下一次|下次|下回|下一回|下一场/],
  ['previous', /上一次|上次|上回|上一回|上一场/],
];
const REMAINING = /还有|还剩|剩下|剩余|还要|接下来|今后|往后|以后|之后|后面|后续|未来/;
const PAST = /之前|以前|已经|过去|前面|已|学过|办过|搞过|开过/;
const COUNT = /一共|总共|共有|总计|几次|几回|几场|多少次|多少回|多少场/;

/** Reads the time words of a text (already normalised by the caller or not: NFKC and spaces are handled here). */
export function readTime(text: string, ref: TimeRef): TimeReading {
  let rest = text.normalize('NFKC').replace(/\s+/g, '');
  let span: Span | undefined;
  let matched: string | undefined;
  for (const rule of SPAN_RULES) {
    const m = rule.re.exec(rest);
    if (!m) continue;
    const read = rule.read(m, ref);
    if (!read) continue;
    span = read;
    matched = m[0];
    rest = rest.slice(0, m.index) + rest.slice(m.index + m[0].length);
    break;
  }
  const reading: TimeReading = { rest };
  if (span) Object.assign(reading, { span, matched });
  for (const [pick, re] of PICKS) {
    const m = re.exec(reading.rest);
    if (m) {
      reading.pick = pick;
      reading.rest = reading.rest.replace(m[0], '');
      break;
    }
  }
  if (COUNT.test(reading.rest)) reading.count = true;
  if (REMAINING.test(reading.rest)) reading.direction = 'remaining';
  else if (PAST.test(reading.rest) && reading.pick !== 'previous') reading.direction = 'past';
  return reading;
}

/** The span's days as a filter. */
export function within(span: Span | undefined, date: CalendarDate): boolean {
  return !span || (date >= span.from && date <= span.to);
}

/**
 * What a reading chooses among dated items (sessions, activities): those in its span, only the remaining (from today)
 * or the past (before today), then one of them if it picks one. In date order.
 */
export function choose<T extends { date: CalendarDate }>(items: readonly T[], reading: TimeReading, today: CalendarDate): T[] {
  let found = items.filter((i) => within(reading.span, i.date));
  if (reading.direction === 'remaining' || reading.pick === 'next') found = found.filter((i) => i.date >= today);
  if (reading.direction === 'past' || reading.pick === 'previous') found = found.filter((i) => i.date < today);
  found = [...found].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
  if (reading.pick === 'first' || reading.pick === 'next') return found.slice(0, 1);
  if (reading.pick === 'last' || reading.pick === 'previous') return found.slice(-1);
  return found;
}

/**
 * The time words of a text as written (a command's parser finds its scope text this way and resolves it later,
 * against the day it runs on), or undefined.
 */
export function timeWords(text: string, ref: TimeRef): string | undefined {
  return readTime(text, ref).matched;
}
