import { stringify } from 'yaml';
import { addDays, formatMonthDay, mondayOf, weekdayOf, weekNumber } from '../dates.ts';
import { organisationName, type PlanFile, type ScheduleEntry } from '../plan.ts';
import { normaliseTitle, parseFullTexts, type KnownDocument } from './full-texts.ts';
import type { LawLibrary } from './law-library.ts';
import { readNotice, type NoticeReading, type SessionDetail } from './notice.ts';
import { parseScheduleTable } from './schedule-table.ts';

/**
 * Turns a study notice (a Word file exported as text, a .docx converted to the same text by ./docx.ts, or text
 * pasted in chat) into a plan's content files: plan.yaml, schedule.yaml (when it gives dates) and one markdown file
 * per reading whose full text follows it. It reports what it recognised, what it could not place and what the
 * notice does not say; it never invents content.
 */
export interface ImportResult {
  /** Plan-folder-relative path → file text. */
  files: Map<string, string>;
  plan: PlanFile;
  schedule: ScheduleEntry[];
  recognised: string[];
  /** Lines it could not place, and contradictions (a weekday that does not match its date). */
  problems: string[];
  /** What the notice does not say (also kept in the plan's `missing`). */
  missing: string[];
}

export interface ImportOptions {
  /** The plan's id (its folder under plans/); none for the seed plan at the top of the content folder. */
  id?: string;
  /** Documents already in the content folder: a reading imported again keeps their id and names. */
  known?: readonly KnownDocument[];
  /** The year, for a notice that names none (3月份, 3月31日之前) and has no date. */
  year?: number;
  /** Week 1's Monday, for a rule over the semester's weeks (单周周四下午). */
  week1Monday?: string;
  /** Session dates the office adds where the notice gives none (补充日期), ISO. */
  dates?: readonly string[];
  /** A law library (LAWS_CORPUS): a national law named as a reading gets its text from it. */
  laws?: LawLibrary;
}

export function importPlanText(source: string, options: ImportOptions = {}): ImportResult {
  const n = readNotice(source);
  const recognised = [...n.recognised];
  const problems = [...n.unplaced];
  const missing: string[] = [];

  // The year: the notice's own (its period, its date), or the office's word for it.
  const issuedYear = n.issued ? Number(n.issued.slice(0, 4)) : undefined;
  const issuedMonth = n.issued && n.issued.length >= 7 ? Number(n.issued.slice(5, 7)) : undefined;
  let year = n.month?.year ?? (n.dates[0] ? Number(n.dates[0].date.slice(0, 4)) : undefined);
  if (year === undefined && issuedYear !== undefined) {
    // A January notice for December, or a December one for January.
    const m = n.month?.month ?? n.datesWithoutYear[0]?.month;
    year = m !== undefined && issuedMonth !== undefined && m - issuedMonth > 6 ? issuedYear - 1 : m !== undefined && issuedMonth !== undefined && issuedMonth - m > 6 ? issuedYear + 1 : issuedYear;
  }
  year ??= options.year;
  const isoIn = (m: number, d: number) => (year ? `${year}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}` : undefined);

  // Dated sessions: the schedule table, or the dates of the time section.
  let schedule: ScheduleEntry[] = [];
  let week1Monday = options.week1Monday;
  const needsRecord = n.requirements.some((q) => /记录/.test(q));
  if (n.table.length) {
    if (!year) problems.push('时间安排表中的日期没有年份，通知也没有写明年份');
    else {
      schedule = parseScheduleTable(n.table, year, week1Monday, recognised, problems);
      if (schedule.length && !week1Monday) {
        week1Monday = addDays(mondayOf(schedule[0]!.date), -7 * (schedule[0]!.week - 1));
        recognised.push(`第 1 周从 ${week1Monday}（星期一）开始`);
      }
    }
  }
  let dates = [...n.dates.map((d) => d.date), ...(options.dates ?? [])];
  if (options.dates?.length) recognised.push(`补充的学习日期：${options.dates.join('、')}`);
  let by = n.by;
  /** What a dated line says of its session (activity, time and place), by date. */
  const details = new Map<string, SessionDetail>();
  for (const d of n.dates) if (d.activity || d.note) details.set(d.date, d);
  for (const d of n.datesWithoutYear) {
    const date = isoIn(d.month, d.day);
    if (!date) continue;
    if (d.by) by = date;
    else {
      dates.push(date);
      if (d.activity || d.note) details.set(date, d);
    }
  }
  if (n.datesWithoutYear.length && !year) missing.push(`年份（通知写了“${n.datesWithoutYear[0]!.text}”，没有写哪一年）`);

  // The period: the month it names, else the span of its dates.
  let period: PlanFile['period'];
  if (n.month && year) {
    const from = `${year}-${String(n.month.month).padStart(2, '0')}-01`;
    const last = n.month.toMonth ?? n.month.month;
    // 12月至1月 runs into the next year.
    const lastYear = n.month.toYear ?? (last < n.month.month ? year + 1 : year);
    const to = addDays(`${last === 12 ? lastYear + 1 : lastYear}-${String((last % 12) + 1).padStart(2, '0')}-01`, -1);
    period = n.month.toMonth
      ? { kind: 'span', from, to, label: `${year}年${n.month.month}月至${lastYear !== year ? `${lastYear}年` : ''}${last}月` }
      : { kind: 'month', from, to, label: `${year}年${n.month.month}月` };
  } else if (n.month && !missing.some((m) => m.startsWith('年份'))) missing.push(`年份（通知写了“${n.month.month}月”，没有写哪一年）`);
  else if (!schedule.length && dates.length) {
    const sorted = [...dates].sort();
    period = { kind: 'span', from: sorted[0]!, to: sorted.at(-1)!, label: sorted.length === 1 ? `${sorted[0]!.slice(0, 4)}年${formatMonthDay(sorted[0]!)}` : `${formatMonthDay(sorted[0]!)}至${formatMonthDay(sorted.at(-1)!)}` };
  }
  const noticePeriod = period;
  // A day the office added (补充日期) is a session even outside the period the notice names: the period widens to it.
  const added = [...(options.dates ?? [])].sort();
  if (period && added.length && (added[0]! < period.from || added.at(-1)! > period.to)) {
    const from = added[0]! < period.from ? added[0]! : period.from;
    const to = added.at(-1)! > period.to ? added.at(-1)! : period.to;
    recognised.push(`补充的日期在通知的学习期间（${period.label}）之外，期间扩展为 ${from} 至 ${to}`);
    const yearOf = (d: string) => `${d.slice(0, 4)}年`;
    period = { kind: 'span', from, to, label: `${yearOf(from)}${formatMonthDay(from)}至${yearOf(to) !== yearOf(from) ? yearOf(to) : ''}${formatMonthDay(to)}` };
  }
  if (period) recognised.push(`学习期间：${period.label}（${period.from} 至 ${period.to}）`);
  if (n.semesterLabel) recognised.push(`学期：${n.semesterLabel}（起止日期未写明）`);

  const weekBase = week1Monday ?? (period ? mondayOf(period.from) : undefined);
  // The notice's own days outside its own period are left out (said why); a day the office added is always kept.
  if (noticePeriod && !schedule.length) {
    const outside = (d: string) => (d < noticePeriod.from || d > noticePeriod.to) && !options.dates?.includes(d);
    for (const d of [...new Set(dates)].sort()) if (outside(d)) problems.push(notPlaced(d, noticePeriod, weekBase!));
    dates = dates.filter((d) => !outside(d));
  }
  if (!schedule.length && weekBase) {
    for (const date of [...new Set(dates)].sort()) {
      const detail = details.get(date);
      schedule.push({ week: weekNumber(weekBase, date), date, weekday: weekdayOf(date), activity: detail?.activity ?? n.activity, organisers: [], ...(detail?.note ? { note: detail.note } : {}), needsRecord });
    }
    // A rule over the weeks, once week 1 is known, gives the period's sessions.
    if (week1Monday && period) {
      for (const rule of n.rules) {
        if (!rule.weekday) continue;
        for (let day = period.from; day <= period.to; day = addDays(day, 1)) {
          const week = weekNumber(week1Monday, day);
          if (weekdayOf(day) !== rule.weekday || week < 1 || (rule.weeks === 'odd' && week % 2 === 0) || (rule.weeks === 'even' && week % 2 === 1)) continue;
          if (!schedule.some((e) => e.date === day)) schedule.push({ week, date: day, weekday: rule.weekday, activity: n.activity, organisers: [], ...(rule.time ? { note: rule.time } : {}), needsRecord });
        }
      }
      schedule.sort((a, b) => a.date.localeCompare(b.date));
    }
    for (const e of schedule) if (e.week < 1 || e.week > 30) problems.push(notPlaced(e.date, period, weekBase));
    schedule = schedule.filter((e) => e.week >= 1 && e.week <= 30);
    if (schedule.length) recognised.push(`学习日期 ${schedule.length} 个：${schedule.map((e) => e.date).join('、')}`);
  }
  if (by) recognised.push(`在 ${by} 前完成学习`);
  if (n.timeNote) recognised.push(`学习时间：${n.timeNote}`);
  const hasTime = schedule.length > 0 || n.rules.length > 0 || by !== undefined;
  if (!hasTime) missing.push(n.timeNote ? `具体学习日期（通知写的是“${n.timeNote}”）` : '学习时间（没有写具体日期或每周哪天学习）');
  if (n.rules.some((r) => r.weeks !== 'every') && !week1Monday) missing.push('第 1 周是哪一周（单双周无法推算；导入时可用 --week1 指定）');
  if (!period && !schedule.length) missing.push(n.semesterLabel ? `学期的起止日期（通知只写了“${n.semesterLabel}”）` : '学习期间（哪个月或哪个学期）');
  if (!n.issuer) missing.push('发文单位');
  if (!n.issued) missing.push('发文日期');

  const semester = schedule.length && n.table.length && year ? `${year}年${seasonOf(n.issued, schedule)}学期` : (period?.label ?? n.semesterLabel ?? (n.issued ? `${n.issued.slice(0, 4)}年${Number(n.issued.slice(5, 7)) || ''}${n.issued.length > 7 ? '月' : ''}起` : '时间未注明'));
  const org = n.issuer ? organisationName(n.issuer) : '';
  const title = n.title ?? `${org}${semester}${n.activity}安排`;

  const files = new Map<string, string>();
  // Readings, and the full texts that follow the notice.
  const documents = n.fullTexts.length ? parseFullTexts(n.fullTexts, n.materials.map((m) => m.title), options.known ?? [], options.id ? `${options.id}-` : '', recognised, problems) : [];
  const materials = n.materials.map((m) => {
    const doc = documents.find((d) => d.matches === m.title);
    const law = doc ? undefined : lawReading(m.title, options, recognised);
    if (law?.file) files.set(`documents/${law.document}.md`, law.file);
    return {
      title: m.title,
      ...(doc ? { document: doc.id } : law ? { document: law.document } : {}),
      ...(m.url ? { url: m.url } : {}),
      ...(m.group ? { group: m.group } : {}),
      ...(law?.source ? { source: law.source } : {}),
    };
  });
  if (!materials.length && !n.themes.length && !n.themeLines.length) missing.push('学习内容');
  const themes = [...n.themeLines, ...n.themes.map((t) => (t.focus || t.links.length ? { title: t.title, ...(t.focus ? { focus: t.focus } : {}), ...(t.links.length ? { links: t.links } : {}) } : t.title))];
  const deadlines = n.deadlines.map((d) => {
    const date = d.date ?? (d.month && d.day ? isoIn(d.month, d.day) : undefined);
    return { text: d.text, ...(date ? { date } : {}), ...(d.time ? { time: d.time } : {}) };
  });
  const q = n.questions;
  const questionCount = q.staff.length + q.students.length + q.others.reduce((k, o) => k + o.items.length, 0);
  recognised.push(
    `学习主题 ${themes.length} 个，学习资料 ${materials.length} 份（有链接 ${materials.filter((m) => m.url).length}，有全文 ${documents.length}），讨论题 ${questionCount} 道，学习要求 ${n.requirements.length} 条${deadlines.length ? `，报送截止 ${deadlines.length} 项` : ''}`,
  );
  if (!questionCount) missing.push('讨论题');
  if (!n.requirements.length) missing.push('学习要求');

  const plan: PlanFile = {
    ...(options.id ? { id: options.id } : {}),
    title,
    ...(n.issuer ? { issuer: n.issuer } : {}),
    ...(n.issued && n.issued.length === 10 ? { issued: n.issued } : {}),
    semester,
    ...(period ? { period } : {}),
    ...(week1Monday ? { week1Monday } : {}),
    ...(n.rules.length || by || n.timeNote ? { sessions: { ...(n.rules.length ? { rules: n.rules } : {}), ...(by ? { by } : {}), ...(n.timeNote ? { note: n.timeNote } : {}) } } : {}),
    themes,
    materials,
    questions: { staff: q.staff, students: q.students, ...(q.others.length ? { others: q.others } : {}) },
    requirements: n.requirements,
    ...(deadlines.length ? { deadlines } : {}),
    ...(options.id && missing.length ? { missing: missing.map((m) => m.replace(/（.*$/, '')) } : {}),
  };
  if (!options.id) delete (plan as { missing?: unknown }).missing;

  files.set('plan.yaml', yamlFile('学习计划：标题、发文单位、学期、第 1 周的星期一、学习主题、学习资料、讨论题、学习要求。', plan));
  if (schedule.length || n.table.length) {
    files.set(
      'schedule.yaml',
      yamlFile(
        '时间安排：每条活动一项。week 周次，date 日期，weekday 星期，activity 活动安排，organisers 组织者，note 备注，needsRecord 是否需要提交学习讨论记录。',
        schedule,
      ),
    );
  }
  for (const d of documents) files.set(`documents/${d.id}.md`, d.markdown);
  return { files, plan, schedule, recognised, problems, missing };
}

/**
 * A national law named as a reading: the folder's own copy when it already holds that title (its id), else the law
 * library's text, with its version date, as documents/<id>.md. Only names that read as a law's (…法, 《…条例》) are
 * looked up.
 */
function lawReading(title: string, options: ImportOptions, recognised: string[]): { document: string; file?: string; source?: string } | undefined {
  const name = /《([^》]+)》/.exec(title)?.[1] ?? title;
  if (!/(法|条例)$/.test(name.replace(/[（(][^）)]*[）)]$/, '')) || [...name].length > 30) return undefined;
  const known = options.known?.find((d) => normaliseTitle(d.title) === normaliseTitle(name));
  if (known) return { document: known.id };
  const law = options.laws?.find(name);
  if (!law) return undefined;
  const id = `${options.id ? `${options.id}-` : ''}law-${Buffer.from(normaliseTitle(law.title)).toString('hex').slice(0, 8)}`;
  const shortTitle = law.title.replace(/^中华人民共和国/, '');
  const front = stringify({ id, shortTitle, aliases: [shortTitle], numbering: 'articles' }, { lineWidth: 0 });
  const source = `法律法规库 ${law.file}${law.version ? `（${law.version} 版本）` : ''}`;
  recognised.push(`《${law.title}》：全文取自${source}`);
  return { document: id, file: `---\n${front}---\n${law.text.replace(/^\ufeff/, '')}`, source };
}

/**
 * Why a dated session was left out, in an office clerk's words: outside the period the notice names (with how to
 * add it), or too far from the semester's start for its weeks.
 */
function notPlaced(date: string, period: PlanFile['period'], weekBase: string): string {
  const day = formatMonthDay(date);
  if (period && (date < period.from || date > period.to)) {
    return `${day}不在本通知的学习期间（${period.label}）内，没有导入；如这天确有学习，可以发送“补充日期 ${day}”`;
  }
  const start = `${weekBase.slice(0, 4)}年${formatMonthDay(weekBase)}`;
  return date < weekBase
    ? `${day}早于学期第一周（${start}那一周），没有导入`
    : `${day}（${date.slice(0, 4)}年）距学习开始（${start}那一周）超过 30 周，没有导入；一份学习计划最长 30 周`;
}

/** 秋季 for a plan issued from August to January, else 春季. */
function seasonOf(issued: string | undefined, schedule: readonly ScheduleEntry[]): string {
  const month = Number((issued ?? schedule[0]!.date).slice(5, 7));
  return month >= 8 || month === 1 ? '秋季' : '春季';
}

function yamlFile(comment: string, data: unknown): string {
  return `# ${comment}\n# 由 npm run import 从学习计划文件生成；可以直接编辑，启动时会检查。\n${stringify(data, { lineWidth: 0 })}`;
}

/** The notice reading itself, for tools that report on it (the benchmark). */
export { readNotice, type NoticeReading };
