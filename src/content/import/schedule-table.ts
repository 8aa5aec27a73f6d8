import { addDays, mondayOf, weekdayOf, WEEKDAYS } from '../dates.ts';
import { parseNumber } from '../numerals.ts';
import type { ScheduleEntry } from '../plan.ts';

/**
 * A schedule table as exported from Word (or converted from .docx by ./docx.ts): every cell starts with a tab; a
 * line without a tab continues the cell above (a second organiser, a note such as "（见组织部通知）"). The header
 * names the columns (周次 日期 星期 活动安排 组织者, in any order; 周次, 星期 and 组织者 may be absent), so rows are as
 * wide as the header.
 */
const COLUMNS: Array<[keyof Row, RegExp]> = [
  ['week', /^周次$|^周$/],
  ['date', /^日期$|^时间$/],
  ['weekday', /^星期$/],
  ['activity', /^(活动安排|活动内容|学习内容|内容|活动)$/],
  ['organisers', /^(组织者|组织单位|负责单位|负责部门|组织)$/],
];
interface Row {
  week: string[];
  date: string[];
  weekday: string[];
  activity: string[];
  organisers: string[];
}

export function isTableLine(line: string): boolean {
  return line.startsWith('\t');
}

export function parseScheduleTable(section: readonly string[], year: number, week1Monday: string | undefined, recognised: string[], problems: string[]): ScheduleEntry[] {
  const cells: string[][] = [];
  for (const line of section) {
    if (line.startsWith('\t')) cells.push([line.trim()]);
    else if (line.trim() && cells.length) cells[cells.length - 1]!.push(line.trim());
  }
  const columns: Array<keyof Row | undefined> = [];
  for (const c of cells) {
    const name = COLUMNS.find(([, re]) => re.test(c.join('')))?.[0];
    if (!name || columns.includes(name)) break;
    columns.push(name);
  }
  const width = columns.length;
  if (!columns.includes('date') || !columns.includes('activity')) {
    problems.push(`时间安排表头应包含“日期”和“活动安排”（如“周次 日期 星期 活动安排 组织者”），实际为“${cells.slice(0, 5).map((c) => c.join('')).join(' ')}”`);
    return [];
  }
  const raw: Array<{ row: Row; line: number }> = [];
  for (let i = width; i + width <= cells.length; i += width) {
    const row: Row = { week: [], date: [], weekday: [], activity: [], organisers: [] };
    columns.forEach((name, k) => (row[name!] = cells[i + k]!));
    raw.push({ row, line: i / width });
  }
  const entries: ScheduleEntry[] = [];
  let firstWeek1: string | undefined = week1Monday;
  for (const { row, line } of raw) {
    const d = /^(\d{1,2})月(\d{1,2})日$/.exec(row.date.join(''));
    const w = columns.includes('week') ? parseNumber(row.week.join('')) : undefined;
    if (!d || (columns.includes('week') && w === undefined)) {
      problems.push(`时间安排第 ${line} 行无法识别：${columns.map((c) => row[c!].join('')).join(' ')}`);
      continue;
    }
    const iso = `${year}-${d[1]!.padStart(2, '0')}-${d[2]!.padStart(2, '0')}`;
    // Week 1 from the first row that has a week number (the loader checks that every row agrees).
    firstWeek1 ??= w !== undefined ? addDays(mondayOf(iso), -7 * (w - 1)) : mondayOf(iso);
    const week = w ?? Math.floor((Date.parse(iso) - Date.parse(firstWeek1)) / (7 * 86_400_000)) + 1;
    const notes = row.activity.slice(1).map((n) => n.replace(/^[（(](.*)[）)]$/, '$1'));
    const wd = (row.weekday.join('') || weekdayOf(iso)).replace(/^(星期|周)/, '');
    if (!(WEEKDAYS as readonly string[]).includes(wd)) problems.push(`${iso} 的星期“${wd}”无法识别`);
    else if (weekdayOf(iso) !== wd) problems.push(`${iso} 实际是星期${weekdayOf(iso)}，表中写的是星期${wd}`);
    const orgs = row.organisers.flatMap((o) => o.split(/[、，,]/)).map((o) => o.trim()).filter(Boolean);
    entries.push({
      week,
      date: iso,
      weekday: wd as ScheduleEntry['weekday'],
      activity: row.activity[0]!,
      organisers: orgs,
      ...(notes.length ? { note: notes.join('；') } : {}),
      // Group study sessions organised by the study groups or departments produce a discussion record.
      needsRecord: orgs.some((o) => /^各(学习组|部门)$/.test(o)),
    });
  }
  if (cells.length % width !== 0) problems.push(`时间安排表有 ${cells.length % width} 个多余的单元格`);
  recognised.push(`时间安排 ${entries.length} 项（第 ${entries[0]?.week ?? '-'}–${entries.at(-1)?.week ?? '-'} 周）`);
  return entries;
}
