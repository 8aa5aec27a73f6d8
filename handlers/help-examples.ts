import type { Content } from '../src/content/content.ts';
import { formatMonthDay } from '../src/content/dates.ts';
import type { RegulationDocument } from '../src/content/documents.ts';
import { toChineseNumber } from '../src/content/numerals.ts';

/**
 * The menu's examples, taken from the plan of the day and its readings, so next semester's menu advertises only
 * questions the bot can answer then: an article of a reading that has articles, a session's date and name, the
 * plan's topics, a lay word of the terms list that its readings use. A kind of question the plan cannot answer
 * (no reading with articles, no dated sessions) is left out of the menu.
 */
export interface HelpExamples {
  articles: string[];
  documents: string[];
  schedule: string[];
  topics: string[];
  keywords: string[];
  /** A session date for the office's examples (查看记录 组名 …). */
  sessionDate?: string;
}

function planDocuments(plan: Content): RegulationDocument[] {
  return plan.plan.materials.flatMap((m) => (m.document ? [plan.document(m.document)!] : [])).filter(Boolean);
}

/**
 * A plan's examples never change (a plan imported at run time is a new Content): made once per plan, not for every
 * menu and fallback (they searched every reading for every term: most of a help message's time under load).
 */
const made = new WeakMap<Content, HelpExamples>();

export function helpExamples(plan: Content): HelpExamples {
  let examples = made.get(plan);
  if (!examples) made.set(plan, (examples = examplesOf(plan)));
  return examples;
}

function examplesOf(plan: Content): HelpExamples {
  const docs = planDocuments(plan);
  const law = docs.find((d) => d.numbering === 'articles' && plan.articleCount(d.id) >= 3);
  const points = docs.find((d) => d.numbering === 'points' && plan.articleCount(d.id) >= 3);
  const bareLaw = law && plan.defaultLaw?.id === law.id;
  const articles: string[] = [];
  if (law) {
    // An article from the middle of the law: its first ones are often the general provisions.
    const n = Math.max(1, Math.round(plan.articleCount(law.id) / 2));
    const twoClauses = plan.article(law.id, n)?.paragraphs.length ?? 0;
    articles.push(bareLaw ? `第${toChineseNumber(n)}条` : `${law.shortTitle}第${toChineseNumber(n)}条`);
    articles.push(`${law.aliases.at(-1) ?? law.shortTitle}${n + 1}条讲的啥`);
    if (bareLaw) articles.push(`第${n - 1 || 1}-${n + 1}条`);
    if (twoClauses >= 2) articles.push(`${bareLaw ? '' : law.shortTitle}第${toChineseNumber(n)}条第二款`);
  }
  if (points) articles.push(`${points.shortTitle}第三条`);
  if (articles.length) articles.push('之后可问“下一条”“那第一款呢”');

  const documents: string[] = [];
  if (law) documents.push(`${law.shortTitle}一共多少条`);
  if (law && law.chapters.length) documents.push(`${law.aliases.at(-1) ?? law.shortTitle}有几章`);
  if (points) documents.push(`${points.shortTitle}有哪些内容`);
  if (plan.plan.materials.length) documents.push('学习资料');

  const schedule: string[] = [];
  const dated = plan.schedule;
  const sessionDate = dated.find((e) => e.needsRecord)?.date ?? dated[0]?.date;
  if (sessionDate) schedule.push(`${formatMonthDay(sessionDate)}学什么`);
  schedule.push('本周安排');
  if (sessionDate) schedule.push(`${Number(sessionDate.slice(5, 7))}月份有哪些活动`);
  // An activity held once, with its organisers: 是哪天, 谁组织.
  const once = dated.find((e) => e.organisers.length && dated.filter((x) => x.activity === e.activity).length === 1 && !/学习/.test(e.activity));
  if (once) schedule.push(`${once.activity}是哪天`, `${once.activity}谁组织`);
  if (!dated.length) schedule.push('什么时候学习');
  schedule.push('学习安排');

  const p = plan.plan;
  const topics = [
    ...(p.themes.length ? ['学习主题'] : []),
    ...(p.questions.staff.length ? ['教师讨论题'] : []),
    ...(p.questions.students.length ? ['学生讨论题'] : []),
    ...(!p.questions.staff.length && !p.questions.students.length && p.questions.others.length ? ['讨论题'] : []),
    ...(p.requirements.length || p.deadlines.length ? ['学习要求'] : []),
  ];
  return { articles, documents, schedule, topics, keywords: keywordExamples(plan, docs), ...(sessionDate ? { sessionDate: formatMonthDay(sessionDate) } : {}) };
}

/**
 * Lay words of the terms list whose formal words the plan's readings use, the rarest first (the most telling
 * search); asked as “…有什么规定”.
 */
function keywordExamples(plan: Content, docs: RegulationDocument[]): string[] {
  if (!docs.length) return [];
  const text = docs.flatMap((d) => d.units.flatMap((u) => u.paragraphs)).join('\n');
  const counted = plan.terms.pairs
    .flatMap(([lay, formals]) => formals.map((formal) => ({ lay, count: text.split(formal).length - 1 })))
    .filter((x) => x.count > 0 && [...x.lay].length >= 2 && !text.includes(x.lay));
  counted.sort((a, b) => a.count - b.count);
  const seen = new Set<string>();
  return counted
    .filter((x) => !seen.has(x.lay) && seen.add(x.lay))
    .slice(0, 2)
    .map((x) => `${x.lay}有什么规定`);
}
