import { USER_TIME_ZONE } from '../clock.ts';

/**
 * Calendar dates as users see them (Asia/Shanghai), independent of the server's time zone.
 * A CalendarDate is an ISO "YYYY-MM-DD" string; arithmetic is done on UTC midnights so it never shifts.
 */
export type CalendarDate = string;

export const WEEKDAYS = ['日', '一', '二', '三', '四', '五', '六'] as const;
export type WeekdayName = (typeof WEEKDAYS)[number];

const shanghai = new Intl.DateTimeFormat('en-CA', { timeZone: USER_TIME_ZONE, year: 'numeric', month: '2-digit', day: '2-digit' });

/**
 * Today's date in Asia/Shanghai for an instant. Intl's formatting is costly (a few µs, on every message), and
 * Shanghai's offsets (UTC+8, and its old summer times) are whole minutes, so one minute has one date: the last minute
 * asked is remembered.
 */
let lastMinute = Number.NaN;
let lastDate: CalendarDate = '';
export function shanghaiDate(ms: number): CalendarDate {
  const minute = Math.floor(ms / 60_000);
  if (minute !== lastMinute) {
    lastDate = shanghai.format(new Date(ms));
    lastMinute = minute;
  }
  return lastDate;
}

export function isValidDate(date: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!m) return false;
  const d = new Date(`${date}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().startsWith(date);
}

export function weekdayOf(date: CalendarDate): WeekdayName {
  return WEEKDAYS[new Date(`${date}T00:00:00Z`).getUTCDay()]!;
}

export function addDays(date: CalendarDate, days: number): CalendarDate {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

export function daysBetween(from: CalendarDate, to: CalendarDate): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

/** The Monday on or before a date. */
export function mondayOf(date: CalendarDate): CalendarDate {
  const dow = new Date(`${date}T00:00:00Z`).getUTCDay();
  return addDays(date, -((dow + 6) % 7));
}

/** Week number of a date in a semester whose week 1 starts on `week1Monday` (week 0 and below: before term). */
export function weekNumber(week1Monday: CalendarDate, date: CalendarDate): number {
  return Math.floor(daysBetween(week1Monday, date) / 7) + 1;
}

/** "9月20日" */
export function formatMonthDay(date: CalendarDate): string {
  const [, m, d] = date.split('-');
  return `${Number(m)}月${Number(d)}日`;
}

/** "9月20日（星期二）" */
export function formatDateWithWeekday(date: CalendarDate): string {
  return `${formatMonthDay(date)}（星期${weekdayOf(date)}）`;
}

const shanghaiTime = new Intl.DateTimeFormat('zh-CN', { timeZone: USER_TIME_ZONE, month: 'numeric', day: 'numeric', hour: '2-digit', minute: '2-digit', hour12: false });

/** "9月12日 08:00" in Asia/Shanghai. */
export function formatShanghaiTime(ms: number): string {
  const parts = Object.fromEntries(shanghaiTime.formatToParts(new Date(ms)).map((p) => [p.type, p.value]));
  return `${parts.month}月${parts.day}日 ${parts.hour}:${parts.minute}`;
}

/** "2016年9月21日（星期三）10:00" in Asia/Shanghai: the demo clock's start in banners. */
export function formatShanghaiDateTime(ms: number): string {
  const date = shanghaiDate(ms);
  return `${date.slice(0, 4)}年${formatDateWithWeekday(date)}${formatShanghaiTime(ms).split(' ')[1]}`;
}
