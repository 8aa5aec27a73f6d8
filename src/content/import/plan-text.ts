import { stringify } from 'yaml';
import { addDays, mondayOf, weekdayOf, WEEKDAYS } from '../dates.ts';
import type { Numbering } from '../documents.ts';
import { parseNumber } from '../numerals.ts';
import { organisationName, type Plan, type ScheduleEntry } from '../plan.ts';

/**
 * Turns a study-plan document (the party branch's Word file exported as text, or a .docx converted to the same
 * text by ./docx.ts) into the content files: plan.yaml, schedule.yaml and one markdown file per reading.
 * It reports what it recognised and what it could not; it never invents content.
 */
export interface ImportResult {
  /** Content-relative path → file text. */
  files: Map<string, string>;
  recognised: string[];
  problems: string[];
}

const SECTION = /^([一二三四五六七八九十]+)、\s*(时间安排|学习主题|学习内容|学习要求)\s*$/;
const MATERIALS_START = /^学\s*习\s*资\s*料$/;
const LIST_ITEM = /^[（(]([0-9０-９]+)[）)]\s*(.+)$/;

/** Known short names; editable in each document's front matter after import. */
const ALIASES: Array<[RegExp, string, string[]]> = [
  [/高等教育法/, 'higher-education-law', ['高等教育法', '高教法']],
  [/八项规定/, 'eight-point-rules', ['八项规定', '中央八项规定', '若干规定']],
  [/青年信用体系建设规划/, 'youth-credit-plan', ['青年信用体系建设规划', '青年信用规划', '青年信用体系']],
  [/社会信用体系建设规划纲要/, 'social-credit-plan', ['社会信用体系建设规划纲要', '社会信用规划', '规划纲要', '社会信用体系']],
];

export function importPlanText(source: string): ImportResult {
  const recognised: string[] = [];
  const problems: string[] = [];
  const lines = source.replace(/^\ufeff/, '').replace(/\r\n?/g, '\n').split('\n');

  // Header: "无锡职业技术学院管理学院党总支    2016年9月1日"
  const headerIndex = lines.findIndex((l) => l.trim() !== '');
  const header = /^\s*(.+?)\s+(\d{4})年(\d{1,2})月(\d{1,2})日\s*$/.exec(lines[headerIndex] ?? '');
  let issuer = '';
  let issued = '';
  if (header) {
    issuer = header[1]!.trim();
    issued = `${header[2]}-${header[3]!.padStart(2, '0')}-${header[4]!.padStart(2, '0')}`;
    recognised.push(`发文单位：${issuer}，日期：${issued}`);
  } else problems.push('第一行应为发文单位和日期（如“某某党总支  2016年9月1日”），未能识别');

  // Split into the numbered sections and the materials part.
  const sections = new Map<string, string[]>();
  let currentSection: string[] | undefined;
  let materialsAt = lines.length;
  lines.forEach((line, i) => {
    if (i <= headerIndex || i >= materialsAt) return;
    const t = line.trim();
    const s = SECTION.exec(t);
    if (s) {
      currentSection = [];
      sections.set(s[2]!, currentSection);
    } else if (MATERIALS_START.test(t)) {
      materialsAt = i;
      currentSection = undefined;
    } else currentSection?.push(line);
  });
  for (const name of ['时间安排', '学习主题', '学习内容', '学习要求']) {
    if (!sections.has(name)) problems.push(`未找到“${name}”一节`);
  }

  const year = Number(issued.slice(0, 4)) || new Date().getFullYear();
  const schedule = parseSchedule(sections.get('时间安排') ?? [], year, recognised, problems);
  const week1Monday = schedule.length ? weekOneMonday(schedule) : issued ? mondayOf(issued) : '';
  if (schedule.length) recognised.push(`第 1 周从 ${week1Monday}（星期一）开始`);

  const themes = (sections.get('学习主题') ?? []).map((l) => l.trim()).filter(Boolean);
  recognised.push(`学习主题 ${themes.length} 个`);
  const content = parseStudyContent(sections.get('学习内容') ?? [], recognised, problems);
  const requirements = (sections.get('学习要求') ?? []).map((l) => l.trim()).filter(Boolean);
  recognised.push(`学习要求 ${requirements.length} 段`);

  const documents = parseMaterials(lines.slice(materialsAt + 1), content.materials, recognised, problems);
  const season = Number(issued.slice(5, 7)) >= 8 || Number(issued.slice(5, 7)) === 1 ? '秋季' : '春季';
  const plan: Plan = {
    title: `${organisationName(issuer)}${year}年${season}学期政治理论学习安排`,
    issuer,
    issued,
    semester: `${year}年${season}学期`,
    week1Monday,
    themes,
    materials: content.materials.map((title) => {
      const doc = documents.find((d) => d.matches === title);
      return doc ? { title, document: doc.id } : { title };
    }),
    questions: { staff: content.staff, students: content.students },
    requirements,
  };

  const files = new Map<string, string>();
  files.set('plan.yaml', yamlFile('学习计划：标题、发文单位、学期、第 1 周的星期一、学习主题、学习资料、讨论题、学习要求。', plan));
  files.set(
    'schedule.yaml',
    yamlFile(
      '时间安排：每条活动一项。week 周次，date 日期，weekday 星期，activity 活动安排，organisers 组织者，note 备注，needsRecord 是否需要提交学习讨论记录。',
      schedule,
    ),
  );
  for (const d of documents) files.set(`documents/${d.id}.md`, d.markdown);
  return { files, recognised, problems };
}

function yamlFile(comment: string, data: unknown): string {
  return `# ${comment}\n# 由 npm run import 从学习计划文件生成；可以直接编辑，启动时会检查。\n${stringify(data, { lineWidth: 0 })}`;
}

/**
 * The schedule table as exported from Word: every cell starts with a tab; a line without a tab continues the cell
 * above (a second organiser, a note such as "（见组织部通知）"); rows are five cells.
 */
function parseSchedule(section: string[], year: number, recognised: string[], problems: string[]): ScheduleEntry[] {
  const cells: string[][] = [];
  for (const line of section) {
    if (line.startsWith('\t')) cells.push([line.trim()]);
    else if (line.trim() && cells.length) cells[cells.length - 1]!.push(line.trim());
  }
  const header = cells.slice(0, 5).map((c) => c.join(''));
  if (header.join('|') !== '周次|日期|星期|活动安排|组织者') {
    problems.push(`时间安排表头应为“周次 日期 星期 活动安排 组织者”，实际为“${header.join(' ')}”`);
    return [];
  }
  const entries: ScheduleEntry[] = [];
  for (let i = 5; i + 5 <= cells.length; i += 5) {
    const [week, date, weekday, activity, organisers] = cells.slice(i, i + 5) as [string[], string[], string[], string[], string[]];
    const d = /^(\d{1,2})月(\d{1,2})日$/.exec(date.join(''));
    const w = parseNumber(week.join(''));
    if (!d || w === undefined) {
      problems.push(`时间安排第 ${i / 5} 行无法识别：${[week, date, weekday, activity, organisers].map((c) => c.join('')).join(' ')}`);
      continue;
    }
    const iso = `${year}-${d[1]!.padStart(2, '0')}-${d[2]!.padStart(2, '0')}`;
    const notes = activity.slice(1).map((n) => n.replace(/^[（(](.*)[）)]$/, '$1'));
    const wd = weekday.join('').replace(/^(星期|周)/, '');
    if (!(WEEKDAYS as readonly string[]).includes(wd)) problems.push(`${iso} 的星期“${wd}”无法识别`);
    else if (weekdayOf(iso) !== wd) problems.push(`${iso} 实际是星期${weekdayOf(iso)}，表中写的是星期${wd}`);
    const orgs = organisers.flatMap((o) => o.split(/[、，,]/)).map((o) => o.trim()).filter(Boolean);
    entries.push({
      week: w,
      date: iso,
      weekday: wd as ScheduleEntry['weekday'],
      activity: activity[0]!,
      organisers: orgs,
      ...(notes.length ? { note: notes.join('；') } : {}),
      // Group study sessions organised by the study groups or departments produce a discussion record.
      needsRecord: orgs.some((o) => o === '各学习组' || o === '各部门'),
    });
  }
  if (cells.length % 5 !== 0) problems.push(`时间安排表有 ${cells.length % 5} 个多余的单元格`);
  recognised.push(`时间安排 ${entries.length} 项（第 ${entries[0]?.week ?? '-'}–${entries.at(-1)?.week ?? '-'} 周）`);
  return entries;
}

/** Week 1's Monday, from the first entry's date and week number (the loader checks that every entry agrees). */
function weekOneMonday(schedule: ScheduleEntry[]): string {
  const first = schedule[0]!;
  return addDays(mondayOf(first.date), -7 * (first.week - 1));
}

function parseStudyContent(section: string[], recognised: string[], problems: string[]) {
  const out = { materials: [] as string[], staff: [] as string[], students: [] as string[] };
  let list: string[] | undefined;
  for (const raw of section) {
    const t = raw.trim();
    if (!t) continue;
    if (/^学习资料[:：]$/.test(t)) list = out.materials;
    else if (/^(教师|教职工)讨论题[:：]$/.test(t)) list = out.staff;
    else if (/^学生讨论题[:：]$/.test(t)) list = out.students;
    else {
      const item = LIST_ITEM.exec(t);
      if (item && list) list.push(item[2]!.trim());
      else problems.push(`学习内容中未能识别的一行：${t}`);
    }
  }
  recognised.push(`学习资料 ${out.materials.length} 份，教师讨论题 ${out.staff.length} 道，学生讨论题 ${out.students.length} 道`);
  return out;
}

/** "《中华人民共和国高等教育法》(最新修改版全文)" → "中华人民共和国高等教育法" */
function normaliseTitle(t: string): string {
  return t.replace(/[（(]最新修改版全文[）)]/, '').replace(/[《》\s　]/g, '');
}

interface ImportedDocument {
  id: string;
  matches: string;
  markdown: string;
}

function parseMaterials(lines: string[], materials: string[], recognised: string[], problems: string[]): ImportedDocument[] {
  const wanted = new Map(materials.map((m) => [normaliseTitle(m), m]));
  const starts: Array<{ at: number; material: string }> = [];
  lines.forEach((line, i) => {
    const m = wanted.get(normaliseTitle(line));
    if (m && line.trim()) starts.push({ at: i, material: m });
  });
  for (const m of materials) if (!starts.some((s) => s.material === m)) problems.push(`学习资料“${m}”的全文未找到`);
  return starts.map((s, k) => {
    const end = starts[k + 1]?.at ?? lines.length;
    const body = lines.slice(s.at + 1, end);
    // Section markers between documents ("学生专题", "（见教职工专题）") are not part of any text.
    while (body.length && /^\s*([（(]见.*专题[）)]|.*专题)\s*$/.test(body.at(-1)!) || (body.length && !body.at(-1)!.trim())) body.pop();
    const doc = toMarkdown(s.material, body);
    recognised.push(`《${doc.title}》：${doc.summary}`);
    return { id: doc.id, matches: s.material, markdown: doc.markdown };
  });
}

const CHAPTER = /^第[一二三四五六七八九十]+章[\s　]*\S/;

function toMarkdown(material: string, body: string[]): { id: string; title: string; summary: string; markdown: string } {
  const title = normaliseTitle(material);
  const known = ALIASES.find(([re]) => re.test(title));
  const id = known?.[1] ?? `document-${Buffer.from(title).toString('hex').slice(0, 8)}`;
  const paragraphs = body.map((l) => l.trim()).filter(Boolean);
  const isLaw = paragraphs.some((p) => /^第[一二三四五六七八九十百零]+条/.test(p));
  const isPoints = !isLaw && paragraphs.some((p) => /^一、/.test(p)) && !paragraphs.some((p) => /^（一）/.test(p));
  const numbering: Numbering = isLaw ? 'articles' : isPoints ? 'points' : 'sections';
  const out: string[] = [];
  let summary = '';
  if (isLaw) {
    // Drop the table of contents (目录 and the chapter list before the first real chapter).
    const tocAt = paragraphs.findIndex((p) => p === '目录');
    let rest = paragraphs;
    if (tocAt >= 0) {
      const chapters = paragraphs.slice(tocAt + 1).filter((p) => CHAPTER.test(p));
      const firstChapter = chapters[0];
      const realStart = paragraphs.findIndex((p, i) => i > tocAt + 1 && p === firstChapter && paragraphs[i + 1] && !CHAPTER.test(paragraphs[i + 1]!));
      rest = [...paragraphs.slice(0, tocAt), ...paragraphs.slice(realStart)];
    }
    let articles = 0;
    let chapters = 0;
    for (const p of rest) {
      if (CHAPTER.test(p)) {
        out.push(`## ${p}`);
        chapters++;
      } else {
        if (/^第[一二三四五六七八九十百零]+条/.test(p)) articles++;
        out.push(p);
      }
    }
    summary = `${chapters} 章，${articles} 条`;
  } else if (isPoints) {
    out.push(...paragraphs);
    summary = `${paragraphs.filter((p) => /^[一二三四五六七八九十]+、/.test(p)).length} 条`;
  } else {
    let h2 = 0;
    let h3 = 0;
    for (const p of paragraphs) {
      if (/^[一二三四五六七八九十]+、/.test(p) && p.length <= 40) {
        out.push(`## ${p}`);
        h2++;
      } else if (/^（[一二三四五六七八九十]+）/.test(p) && p.length <= 40) {
        out.push(`### ${p}`);
        h3++;
      } else out.push(p);
    }
    summary = `${h2} 部分，${h3} 节，${paragraphs.length - h2 - h3} 段`;
  }
  const front = stringify({ id, shortTitle: known?.[2][0] ?? title.replace(/^中华人民共和国/, ''), aliases: known?.[2] ?? [], numbering }, { lineWidth: 0 });
  const markdown = `---\n${front}---\n# ${title}\n\n${out.join('\n\n')}\n`;
  return { id, title, summary, markdown };
}
