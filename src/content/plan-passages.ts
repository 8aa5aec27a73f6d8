import { formatMonthDay, weekdayOf } from './dates.ts';
import type { RegulationDocument, Unit } from './documents.ts';
import type { Plan, ScheduleEntry } from './plan.ts';
import { SearchIndex } from './search-index.ts';

/**
 * The study notice itself as a searchable text: its issuer and date, themes, readings, discussion questions,
 * requirements, deadlines and schedule rows, one passage each, under the section of the notice it comes from.
 *
 * Why: people ask about the notice in their own words far more ways than any pattern lists (记录本每月谁来检查,
 * 讨论题里的三个职院是哪三个, 升旗仪式是管理学院组织吗, 这计划是哪个学院的). Ranking the notice's own sentences with the same
 * keyword search the readings use answers them from what the notice says, quoted, never paraphrased or invented.
 */

/** Where a passage stands in the notice; shown as its heading in answers. */
export type PlanSection = '发文' | '学习主题' | '学习资料' | '讨论题' | '学习要求' | '报送要求' | '时间安排';

export interface PlanPassages {
  /** The notice as a document (never listed among the readings: it is not one). */
  document: RegulationDocument;
  index: SearchIndex;
}

const cache = new WeakMap<Plan, PlanPassages>();

/** The passages of one plan, built once per plan (a plan is immutable once loaded). */
export function planPassages(plan: Plan, schedule: readonly ScheduleEntry[]): PlanPassages {
  const known = cache.get(plan);
  if (known) return known;
  const document = planDocument(plan, schedule);
  const built = { document, index: new SearchIndex([document], { priors: false, showOnce: false }) };
  cache.set(plan, built);
  return built;
}

export function planDocument(plan: Plan, schedule: readonly ScheduleEntry[]): RegulationDocument {
  const id = `plan-${plan.id ?? 'seed'}`;
  const units: Unit[] = [];
  const add = (section: string, text: string) => {
    const n = units.length + 1;
    units.push({ id: `${id}#p${n}`, docId: id, kind: 'paragraph', number: undefined, suffix: undefined, label: '', path: [section], paragraphs: [text], line: n });
  };

  const issued = plan.issued ? `，${Number(plan.issued.slice(0, 4))}年${formatMonthDay(plan.issued)}` : '';
  add('发文', `《${plan.title}》${plan.issuer ? `，发文单位：${plan.issuer}` : '（通知没有写明发文单位）'}${issued}。适用于${plan.semester}。`);
  for (const t of plan.themeDetails) {
    add('学习主题', [t.title, t.focus ? `学习重点：${t.focus}` : '', ...t.links.map((l) => `参考资料：${l}`)].filter(Boolean).join('\n'));
  }
  plan.materials.forEach((m, i) => {
    const where = [m.group ? `（${m.group}）` : '', m.url ? `链接：${m.url}` : '', m.source ? `来源：${m.source}` : ''].filter(Boolean).join(' ');
    add('学习资料', `学习资料（${i + 1}）${m.title}${where ? ` ${where}` : ''}`);
  });
  const asked = (audience: string, items: readonly string[]) => items.forEach((q, i) => add('讨论题', `${audience}讨论题（${i + 1}）${q}`));
  asked('教师', plan.questions.staff);
  asked('学生', plan.questions.students);
  for (const o of plan.questions.others) asked(o.audience, o.items);
  for (const r of plan.requirements) for (const sentence of sentences(r)) add('学习要求', sentence);
  for (const d of plan.deadlines) add('报送要求', d.text);
  for (const e of schedule) {
    const organisers = e.organisers.length ? `组织者：${e.organisers.join('、')}` : '通知没有写明组织者';
    add('时间安排', `${formatMonthDay(e.date)}（星期${weekdayOf(e.date)}，第${e.week}周）${e.activity}，${organisers}${e.note ? `，${e.note}` : ''}。`);
  }
  return { id, title: plan.title, shortTitle: '学习计划', aliases: [], numbering: 'sections', file: '', preamble: [], chapters: [], units };
}

/**
 * A requirement paragraph split into its sentences: one paragraph often rules several things (how to study, the
 * record book, where it goes), and a question is about one of them.
 */
function sentences(paragraph: string): string[] {
  return paragraph
    .split(/(?<=[。；！？])/)
    .map((s) => s.trim())
    .filter((s) => s.replace(/[。；！？]/g, '').length > 0);
}
