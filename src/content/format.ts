import { bookTitle, type RegulationDocument, type Unit } from './documents.ts';
import { formatDateWithWeekday, formatMonthDay } from './dates.ts';
import type { ScheduleEntry } from './plan.ts';

/**
 * Answers quote the source: "《中华人民共和国高等教育法》第四十七条（第五章　高等学校教师和其他教育工作者）" then the text
 * whole, as written. One unit is one reply, so a split for WeCom's size limit never mixes two units.
 */
export function unitSource(doc: RegulationDocument, unit: Unit): string {
  const where = unit.path.join(' › ');
  if (unit.kind === 'paragraph') return `${bookTitle(doc)}${where ? ` ${where}` : ''}`;
  return `${bookTitle(doc)}${unit.label}${where ? `（${where}）` : ''}`;
}

export function formatUnit(doc: RegulationDocument, unit: Unit, paragraphs: readonly string[] = unit.paragraphs): string {
  return `${unitSource(doc, unit)}\n${paragraphs.join('\n')}`;
}

/** The paragraphs of an article grouped into 款: items "(一)…" belong to the 款 before them. */
export function clauses(unit: Unit): string[][] {
  const out: string[][] = [];
  for (const p of unit.paragraphs) {
    if (/^[（(][一二三四五六七八九十]+[）)]/.test(p) && out.length) out.at(-1)!.push(p);
    else out.push([p]);
  }
  return out;
}

/** "9月20日（星期二，第3周）政治理论学习　组织者：各学习组" */
export function formatEntry(e: ScheduleEntry, options: { withWeek?: boolean } = {}): string {
  const when = options.withWeek === false ? formatDateWithWeekday(e.date) : `${formatMonthDay(e.date)}（星期${e.weekday}，第${e.week}周）`;
  const note = e.note ? `（${e.note}）` : '';
  const record = e.needsRecord ? '\n  需做好学习讨论记录，按月上交。' : '';
  // A notice may not say who runs a session: then nothing is said about it.
  const organisers = e.organisers.length ? `\n  组织者：${e.organisers.join('、')}` : '';
  return `${when} ${e.activity}${note}${organisers}${record}`;
}

/**
 * Text in Chinese quotation marks, with the quotes inside it turned a level down as Chinese nests them (“…‘…’…”),
 * so a discussion question that itself quotes “七项规定” does not come out as “…“七项规定”…”, where the reader
 * cannot tell where it ends. Inner ‘’ go up to “” in turn.
 */
export function quote(text: string): string {
  const swapped = text.replace(/[“”‘’]/g, (c) => ({ '“': '‘', '”': '’', '‘': '“', '’': '”' })[c]!);
  return `“${swapped}”`;
}

/**
 * The start of a long text for a one-line preview: `max` characters and "…", the ellipsis inside any quotation left
 * open at the cut and the quotes then closed (“如何理解‘七项…’”), so the preview's quotes still pair up.
 */
export function clip(text: string, max: number): string {
  const chars = [...text];
  if (chars.length <= max) return text;
  const open: string[] = [];
  const pairs: Record<string, string> = { '“': '”', '‘': '’', '「': '」', '『': '』', '《': '》', '（': '）', '(': ')' };
  const head = chars.slice(0, max);
  for (const c of head) {
    if (pairs[c]) open.push(pairs[c]!);
    else if (open.at(-1) === c) open.pop();
  }
  return `${head.join('')}…${open.reverse().join('')}`;
}
