import type { ConversationState } from '../src/bot/conversation-memory.ts';
import { Composer } from '../src/bot/composer.ts';
import type { Content } from '../src/content/content.ts';
import { formatMonthDay } from '../src/content/dates.ts';
import { bookTitle, type RegulationDocument, type Unit } from '../src/content/documents.ts';
import { parseNumber, toChineseNumber } from '../src/content/numerals.ts';
import { normaliseQuestion } from '../src/content/question-text.ts';
import type { HandlerDeps } from './deps.ts';

/**
 * Facts about a document rather than about one of its articles: how many articles it has (高等教育法一共多少条),
 * its chapters (高教法有几章), who issued it and when (高等教育法什么时候通过的), and what it contains (八项规定有哪些内容:
 * its points listed, one line each). Also who issued the semester's plan and when. Only what the content says:
 * a document whose text does not name its issuer gets "没有写明", never a guess.
 */
export type DocumentFact = 'count' | 'chapters' | 'origin' | 'contents';
export type DocumentInfoQuery = { docId: string; fact: DocumentFact } | { docId: string; fact: 'chapter'; chapter: number } | { plan: true; fact: 'origin' };

/** 高教法第五章, 第五章有哪些条, 第三章讲什么: one chapter's articles, a line each. */
const CHAPTER = /第([0-9零一二两三四五六七八九十]+)(?:章|部分)/;
const CHAPTER_ASKS = /^(的)?(都|主要)?(有|讲了?|说了?|是|包括|包含|规定了?)?(哪些条|哪几条|什么|啥|哪些|哪些内容|什么内容|啥内容|内容)?(内容)?(呢|吗|啊)?$/;

const FACTS: Array<[DocumentFact, RegExp]> = [
  ['count', /(一共|总共|总计|共计|共)?(有)?(哪)?(多少|几)(条|项|款|点)|条数|多少个?条文/],
  ['chapters', /(一共|总共|共)?(有|分|分为|分成)?(多少|几)(章|个?部分)|哪(几|些)章|章节|目录|结构|框架/],
  [
    'origin',
    /(谁|哪个?(部门|机关|单位))(发布|制定|印发|颁布|通过|发|出|定|写)的?|(发布|制定|印发|颁布|发文)(机关|单位|部门|者)|什么时候|啥时候|几时|何时|哪年|哪一年|哪天|(用的?|是)?(哪个|哪一个|什么|哪一|最新的?)版本?的?|第几次会议|哪次会议|哪一?届|(发布|颁布|通过|施行|实施|生效|印发|出台|修改|修正)(时间|日期|的时间|的日期)|出处|来源/,
  ],
  [
    'contents',
    /^(列出|列一下|列举|说说|讲讲|介绍一下|介绍)|(都|主要|具体)?(有|包括|包含|规定了?|讲了?|说了?)(哪些|什么|啥|哪几点|哪几项|哪几方面)(内容|规定|要求|方面|部分|东西)?|(主要|具体)?内容|是什么$|是啥$|概要|要点/,
  ],
];
/** What may stand around the document name and the fact asked besides: politeness and question endings. */
const FILLER =
  /请问|请|麻烦|帮我|查一下|告诉我|我想知道|想了解|由|是|具体|哪|这部|这个|这份|本|的|是|了|呢|吗|啊|呀|嘛|都|一下|文件|法律|规定$|[?？!！。，,.:：、《》“”"'~～]/g;
const ORIGIN_VERBS = /(发布|颁布|通过|施行|实施|生效|印发|出台|修改|修正|修订|制定|公布|发|出|定|开始)/g;
const PLAN_NAMES = /学习计划|学习安排|本学期的?安排|这学期的?安排|政治理论学习安排/;

/** `question`: the text as `normaliseQuestion` reads it, when the caller has it already (the message's one reading). */
export function parseDocumentInfo(text: string, content: Content, state: ConversationState = {}, question?: string): DocumentInfoQuery | undefined {
  const t = (question ?? normaliseQuestion(text)).replace(/[?？!！。，,~～]+$/, '');
  const mention = content.documentNames().find(({ name }) => t.toLowerCase().includes(name));
  const chapter = CHAPTER.exec(t);
  if (chapter) {
    const before = t.slice(0, chapter.index).replace(/^(请问|请|帮我查一下|查一下|看看|看一下)/, '');
    const after = t.slice(chapter.index + chapter[0].length);
    const n = parseNumber(chapter[1]!);
    if (n === undefined || !CHAPTER_ASKS.test(after) || !(before === '' || (mention && before.replace(mention.name, '').replace(/的$/, '') === '')))
      return undefined;
    const doc = mention?.doc ?? (state.lastDocId ? content.document(state.lastDocId) : undefined);
    const withChapters = doc?.chapters.length ? doc : content.defaultLaw;
    return withChapters ? { docId: withChapters.id, fact: 'chapter', chapter: n } : undefined;
  }
  const plan = !mention && PLAN_NAMES.exec(t);
  let rest = mention ? t.replace(new RegExp(escape(mention.name), 'i'), '') : plan ? t.replace(plan[0], '') : t;
  const found = FACTS.find(([, re]) => re.test(rest));
  if (!found) return undefined;
  const [fact, re] = found;
  rest = rest
    .replace(re, '')
    .replace(fact === 'origin' ? ORIGIN_VERBS : /$^/, '')
    .replace(FILLER, '');
  if (rest.length > 0) return undefined; // more than a fact: a keyword question about the document (八项规定对会议有什么规定)
  if (plan) return fact === 'origin' ? { plan: true, fact } : undefined;
  // Without a name, only the count and chapter questions ("一共多少条") are clearly about a document: the one just
  // discussed, else the law.
  if (!mention && fact !== 'count' && fact !== 'chapters') return undefined;
  const doc = mention?.doc ?? (state.lastDocId ? content.document(state.lastDocId) : undefined) ?? content.defaultLaw;
  return doc ? { docId: doc.id, fact } : undefined;
}

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export function answerDocumentInfo(q: DocumentInfoQuery, content: Content): string {
  if ('plan' in q) {
    const { plan } = content;
    const by = plan.issuer ? `由${plan.issuer}` : '（通知未写明发文单位）';
    return `《${plan.title}》${by}${plan.issued ? `于${plan.issued.slice(0, 4)}年${formatMonthDay(plan.issued)}印发` : '，通知未写明发文日期'}。`;
  }
  const doc = content.document(q.docId)!;
  switch (q.fact) {
    case 'chapter':
      return chapterContents(doc, q.chapter);
    case 'count':
      return countOf(doc, content);
    case 'chapters':
      return doc.chapters.length
        ? `${bookTitle(doc)}共${toChineseNumber(doc.chapters.length)}${chapterWord(doc)}：\n${outline(doc).join('\n')}`
        : `${countOf(doc, content)}没有分章。`;
    case 'origin':
      return origin(doc);
    case 'contents':
      return contents(doc, content);
  }
}

function chapterWord(doc: RegulationDocument): string {
  return doc.numbering === 'articles' ? '章' : '个部分';
}

function countOf(doc: RegulationDocument, content: Content): string {
  if (doc.numbering === 'sections') {
    return `${bookTitle(doc)}不按“第几条”编号，分为${toChineseNumber(doc.chapters.length)}个部分。`;
  }
  const n = toChineseNumber(content.articleCount(doc.id));
  if (doc.numbering === 'points') return contents(doc, content);
  return `${bookTitle(doc)}共${n}条${doc.chapters.length ? `，分${toChineseNumber(doc.chapters.length)}章` : ''}。`;
}

/** "第一章　总则（第一条至第十八条）", one line a chapter. */
function outline(doc: RegulationDocument): string[] {
  return doc.chapters.map((chapter) => {
    const numbered = doc.units.filter((u) => u.path[0] === chapter && u.number !== undefined && u.suffix === undefined);
    const span = numbered.length ? `（${numbered[0]!.label}至${numbered.at(-1)!.label}）` : '';
    return `${chapter}${span}`;
  });
}

function chapterContents(doc: RegulationDocument, n: number): string {
  const chapter = doc.chapters[n - 1];
  if (!chapter)
    return `${bookTitle(doc)}共${toChineseNumber(doc.chapters.length)}${chapterWord(doc)}，没有第${toChineseNumber(n)}${chapterWord(doc) === '章' ? '章' : '部分'}。`;
  const units = doc.units.filter((u) => u.path[0] === chapter && u.suffix === undefined);
  // Articles one line each; a part of a plan by its sub-headings, which say more in less space than its paragraphs.
  const headings = [...new Set(units.map((u) => u.path[1]).filter((h): h is string => h !== undefined))];
  const lines =
    units.some((u) => u.label) || headings.length === 0 ? units.slice(0, 20).map((u) => (u.label ? `${u.label}　${firstWords(u)}` : firstWords(u))) : headings;
  const example = units.find((u) => u.label);
  return [`${bookTitle(doc)}${chapter}：`, ...lines, ...(example ? [`发送“${doc.shortTitle}${example.label}”查看全文。`] : [])].join('\n');
}

function firstWords(unit: Unit): string {
  const p = unit.paragraphs[0]!.replace(/^第\S+?条\s*/, '').replace(/^[　\s]+/, '');
  return [...p].length > 24 ? `${[...p].slice(0, 24).join('')}…` : p;
}

/** The document's own words about its origin: the preamble's "(…通过 … 修正)" line and the article that sets its start date. */
function origin(doc: RegulationDocument): string {
  const stated = doc.preamble.find((p) => /^[（(].*(通过|公布|发布|修正|修订|印发|施行).*[)）]$/.test(p));
  const start = [...doc.units].reverse().find((u) => u.paragraphs.some((p) => /自.{4,20}起(施行|实施)/.test(p)));
  const lines = [
    stated ? `${bookTitle(doc)}：${stated.replace(/^[（(]|[)）]$/g, '')}。` : undefined,
    start ? `${start.label ? `${start.label}：` : ''}${start.paragraphs.find((p) => /起(施行|实施)/.test(p))!.replace(/^第\S+条\s*/, '')}` : undefined,
  ].filter(Boolean);
  return lines.length ? lines.join('\n') : `学习资料中的${bookTitle(doc)}没有写明发布机关和日期。`;
}

function firstSentence(unit: Unit): string {
  const p = unit.paragraphs[0]!.replace(/^第\S+?条\s*/, '');
  const end = p.search(/[。；]/);
  return end > 0 && end < 60 ? p.slice(0, end + 1) : `${p.slice(0, 40)}…`;
}

/** A short document's points one line each; a long one's chapters or parts, with how to read on. */
function contents(doc: RegulationDocument, content: Content): string {
  if (doc.numbering === 'points') {
    const points = doc.units.filter((u) => u.number !== undefined);
    return [`${bookTitle(doc)}共${toChineseNumber(points.length)}条：`, ...points.map(firstSentence), `发送“${doc.shortTitle}第三条”查看其中一条的全文。`].join(
      '\n',
    );
  }
  if (doc.numbering === 'articles') {
    return [`${countOf(doc, content)}各章：`, ...outline(doc), `发送“${doc.shortTitle}第一条”查看条文，或直接问关键词。`].join('\n');
  }
  return [`${bookTitle(doc)}分为以下部分：`, ...doc.chapters, `可以直接问其中的内容，例如“${doc.shortTitle}的主要目标”。`].join('\n');
}

export function documentInfo({ content, memory }: HandlerDeps): Composer {
  const bot = new Composer();
  bot.parses(
    'document-info',
    (text, ctx) => parseDocumentInfo(text, content, memory.get(ctx.userId), ctx.understand(text).question),
    (ctx, q) => {
      if ('docId' in q) memory.update(ctx.userId, { lastDocId: q.docId });
      return ctx.reply(answerDocumentInfo(q, content));
    },
  );
  return bot;
}
