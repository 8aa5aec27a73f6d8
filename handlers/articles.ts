import { Composer } from '../src/bot/composer.ts';
import type { Content } from '../src/content/content.ts';
import { bookTitle, type RegulationDocument, type Unit } from '../src/content/documents.ts';
import { clauses, formatUnit, unitSource } from '../src/content/format.ts';
import { parseNumber, toChineseNumber } from '../src/content/numerals.ts';
import type { ConversationState } from '../src/bot/conversation-memory.ts';
import { ASKING_SUFFIX, askingOnly, normaliseQuestion } from '../src/content/question-text.ts';
import { documentLikeName, resolveDocumentName } from '../src/content/document-names.ts';
import { unknownDocumentReply } from './unknown-document.ts';
import type { HandlerDeps } from './deps.ts';

/**
 * Article lookup: 第四十七条, 第47条, 47条, 第４７条, Article 47, Art. 47, "what is Article 47", with or without a
 * document name (高等教育法, 高教法, 《中华人民共和国高等教育法》, 八项规定第三条), ranges (第46-48条, 第四十六条至第四十八条),
 * and 第X条第Y款 (also several: 第十条第二款和第三款, 第十条第二、三款). Exact lookup by (document, number); never a guess.
 */
export interface ArticleQuery {
  docId: string;
  /** Whether the user named the document (otherwise it came from the conversation or the default). */
  named: boolean;
  from: number;
  to: number;
  suffix: number | undefined;
  /** The 款 asked for, in the order asked (第十条第二款和第三款); undefined for the whole article. */
  clauses: number[] | undefined;
  /** Several numbers that are not a range (第四十七条和第四十九条); `from`/`to` are their least and greatest. */
  numbers?: number[];
  /** The document the conversation was about, when it has no such article and another document answers instead. */
  switchedFrom?: string;
}

/** "第二款" or "下一条" with no article before it to refer to; "下一款" after a whole article (which 款 is unclear). */
export interface FollowUpWithoutContext {
  followUp: 'clause' | 'next' | 'previous' | 'next-clause' | 'previous-clause' | 'before-first';
  /** The article shown whole before "下一款": the reply names it and how many 款 it has. */
  after?: { docId: string; number: number };
}

/**
 * A message that is only an article reference (第…条/款/项, a document name, asking words) which cannot be looked up:
 * a number that is not one (第4x条), or a form not understood. Answered with what was not understood and how to ask,
 * never with whatever keyword search would find for its characters.
 */
export interface UnresolvedReference {
  unresolved: string;
  /** The document it would have been looked up in, to say which articles exist. */
  inDocId: string | undefined;
  /** An item (项) of a law's article was asked for (第二十八条第三项): items are not looked up one by one, the article is. */
  itemOf?: number;
}

/** An article of a document by a name the content does not list (七项规定第一条), or that fits several (信用规划第三条). */
export interface UnknownDocumentReference {
  unknownDocument: string;
  /** The documents the name may mean; none when no document fits it. */
  candidates: string[];
}

export type ArticleParse = ArticleQuery | FollowUpWithoutContext | UnresolvedReference | UnknownDocumentReference;

const N = '[0-9零〇一二两三四五六七八九十百千万]+';
/** 条 for articles; 项 and 点 too for a document of points (八项规定第三项, 第二点). */
const UNIT = `(?:条|(?<=第${N})[项点])`; // 项/点 only after 第: "八项规定" is not point 8
const RANGE = new RegExp(`第?(${N})${UNIT}?(?:至|到|-|—|~)第?(${N})(${UNIT})`);
/** Between the 款 of one article: 第二款和第三款, 第二、三款, 第二至第三款, 第2-3款. */
const CLAUSE_AND = '(?:以及|和|、|及|与)';
const CLAUSE_TO = '(?:至|到|-|—|~)';
/** 款, also written without 第 right after its article (四十七条二款) or as 段 (第一段). */
const CLAUSES = `第?${N}(?:[款段]?(?:${CLAUSE_AND}|${CLAUSE_TO})第?${N})*[款段]`;
const SINGLE = new RegExp(`第?(${N})(${UNIT})(?:之([一二三四五六七八九十]+))?(?:的?(${CLAUSES}))?`);
/** 第四十七条和第四十九条, 第三、第五条: several single numbers, at the start of the text. */
const LIST = new RegExp(`^第?${N}${UNIT}?(?:(?:和|、|及|与|以及|,|，)第?${N}${UNIT}?)+(?![0-9零〇一二两三四五六七八九十百千万款])`);
const ENGLISH = /\b(?:article|art\.?)\s*(\d+)\b/i;
/** Follow-ups on the article just shown: 那第二款呢, 第二款和第三款是什么, 下一条, 上一条呢, 下一款. */
const CLAUSE_ONLY = new RegExp(`^(?:那|那么|再看|再查|还有)?(${CLAUSES})$`);
const STEP =
  /^(?:那|那么|再看|再查|继续|接着)?(?:看)?(下一[条项点款]|下[条款]|后一[条款]|后面一[条款]|下面一[条款]|接下来一[条款]|再下一[条款]|上一[条项点款]|上[条款]|前一[条款]|前面一[条款]|上面一[条款])$/;
/** "那48", "那么第四十八条" (呢 already stripped): another article of the same document. */
const THAT_NUMBER = new RegExp(`^(?:那|那么)第?(${N})条?$`);
/** What a reference is made of, to tell a reference that cannot be resolved (第4x条) from a question about a subject. */
const REFERENCE_PART = new RegExp(`第[^第条款项点章节]{1,10}?[条款项点](?:之[^第]{1,3}?(?=第|$))?|${CLAUSE_AND}|${CLAUSE_TO}|的(?=第)`, 'g');
export const MAX_RANGE = 10;

/**
 * Reads an article question, or undefined when the text is not one. `state` is what the conversation remembers: the
 * document just discussed (a bare "第三条" after 八项规定 is its third point, when it has one) and the article just
 * shown (for "那第二款呢", "下一条" and "下一款").
 */
/** `question`: the text as `normaliseQuestion` reads it, when the caller has it already (the message's one reading). */
export function parseArticleQuery(text: string, content: Content, state: ConversationState = {}, question?: string): ArticleParse | undefined {
  const t = question ?? normaliseQuestion(text);
  const core = t.replace(/[?？!！。，,.~～]+$/, '').replace(ASKING_SUFFIX, '');
  return parseFollowUp(core, state) ?? parseReference(text, t, content, state) ?? unresolvedReference(t, content, state);
}

/** 那第二款呢, 下一条, 上一款: about the article just shown. Undefined when `core` is not a follow-up. */
function parseFollowUp(core: string, state: ConversationState): ArticleQuery | FollowUpWithoutContext | undefined {
  const clauseOnly = CLAUSE_ONLY.exec(core);
  const step = STEP.exec(core)?.[1];
  // "那48呢", "那第四十八条": another article of the document just discussed (a bare number alone is not one).
  const other = state.lastArticle ? THAT_NUMBER.exec(core) : null;
  if (other) {
    const number = parseNumber(other[1]!);
    if (number !== undefined) return { docId: state.lastArticle!.docId, named: false, from: number, to: number, suffix: undefined, clauses: undefined };
  }
  if (!clauseOnly && !step) return undefined;
  const back = step !== undefined && /^[上前]/.test(step);
  const byClause = step !== undefined && step.endsWith('款');
  const last = state.lastArticle;
  if (!last) return { followUp: clauseOnly ? 'clause' : byClause ? (back ? 'previous-clause' : 'next-clause') : back ? 'previous' : 'next' };
  const base = { docId: last.docId, named: false, from: last.number, to: last.number, suffix: undefined };
  if (clauseOnly) {
    const clauses = parseClauseList(clauseOnly[1]!);
    return clauses ? { ...base, clauses } : undefined;
  }
  if (byClause) {
    // Which 款 is "next" is clear only after one was shown; after the whole article, ask which.
    if (last.clause === undefined) return { followUp: back ? 'previous-clause' : 'next-clause', after: { docId: last.docId, number: last.number } };
    return { ...base, clauses: [last.clause + (back ? -1 : 1)] };
  }
  // Before the first article there is nothing: said so, rather than "没有第零条".
  if (back && last.number <= 1) return { followUp: 'before-first', after: { docId: last.docId, number: last.number } };
  const number = last.number + (back ? -1 : 1);
  return { ...base, from: number, to: number, clauses: undefined };
}

/** "第二款和第三款", "第二、三款", "第2-3款" → [2, 3]; undefined when a number is not one or a range is too long. */
function parseClauseList(spec: string): number[] | undefined {
  const out: number[] = [];
  for (const part of spec.split(new RegExp(CLAUSE_AND))) {
    const ends = part.split(new RegExp(CLAUSE_TO)).map((s) => parseNumber(s.replace(/^第|[款段]$/g, '')));
    if (ends.length > 2 || ends.some((n) => n === undefined)) return undefined;
    const [a, b = a] = ends as number[];
    if (b! < a! || b! - a! >= MAX_RANGE) return undefined;
    for (let n = a!; n <= b!; n++) if (!out.includes(n)) out.push(n);
  }
  return out;
}

/** 第四十七条, 高教法第46-48条, 第十条第二款和第三款, Article 47: a reference that can be looked up. */
function parseReference(text: string, asked: string, content: Content, state: ConversationState): ArticleQuery | UnknownDocumentReference | undefined {
  const t = lastArticleAsNumber(asked, content);
  // The English form is read before spaces go: "what is Article 47" would lose its word boundary.
  const english = ENGLISH.exec(text.normalize('NFKC'));
  let from: number | undefined;
  let to: number | undefined;
  let suffix: number | undefined;
  let clauses: number[] | undefined;
  let numbers: number[] | undefined;
  let unit = '条';
  let rest = t;
  const range = RANGE.exec(t);
  const single = SINGLE.exec(t);
  const list = listOfNumbers(t, content);
  const matched = list ? list.span : ((range ?? single)?.[0] ?? '');
  /** 第四十七条, 47条: clearly an article number, not 三条 in "有三条规定". */
  const explicit = /^(第|[0-9０-９])/.test(matched);
  if (list) {
    numbers = list.numbers;
    from = Math.min(...numbers);
    to = Math.max(...numbers);
    rest = list.rest;
  } else if (range) {
    from = parseNumber(range[1]!);
    to = parseNumber(range[2]!);
    unit = range[3]!;
    rest = t.replace(range[0], ' ');
  } else if (single) {
    from = to = parseNumber(single[1]!);
    unit = single[2]!;
    suffix = single[3] ? parseNumber(single[3]) : undefined;
    clauses = single[4] ? parseClauseList(single[4]) : undefined;
    if (single[4] && clauses === undefined) return undefined;
    rest = t.replace(single[0], ' ');
  } else if (english) {
    from = to = Number(english[1]);
    rest = '';
  } else return undefined;
  if (from === undefined || to === undefined) return undefined;

  // A named document anywhere in the rest of the text.
  let mention = content.documentNames().find(({ name }) => rest.toLowerCase().includes(name));
  const words = mention ? rest.replace(new RegExp(escape(mention.name), 'i'), '') : rest;
  if (!askingOnly(words)) {
    // More than asking words around it (第三条怎么理解, 第四十七条是关于什么的, 第四十七条和第四十八条有什么区别):
    // someone who writes 第N条 (or 47条) wants that article, whatever else they say. Unless the rest names another
    // reference (第二十八条第三项: see unresolvedReference) or a document by a name the content does not list.
    // Another sentence is another question, for the multi-question split to answer or name ("第十条是什么？明天…").
    if (!explicit || /第[^第]{1,6}?[条款项点段]/.test(words) || /[？?！!。；;，,]./.test(words)) return undefined;
    const name = mention ? undefined : documentLikeName(words);
    if (name) {
      const found = resolveDocumentName(name, content);
      if (!('doc' in found)) return { unknownDocument: name, candidates: 'ambiguous' in found ? found.ambiguous.map((d) => d.id) : [] };
      mention = { name, doc: found.doc };
    }
  }

  const lo = Math.min(from, to);
  const hi = Math.max(from, to);
  const base = { named: Boolean(mention), from: lo, to: hi, suffix, clauses, ...(numbers ? { numbers } : {}) };
  // 第三项 / 第二点 name a point of a document of points; in a law they would be an item of a clause, which we do not
  // look up: such a text is not read here and gets the "not understood" reply (unresolvedReference).
  const pointsOnly = unit !== '条';
  if (mention) return pointsOnly && mention.doc.numbering !== 'points' ? undefined : { ...base, docId: mention.doc.id };
  // Unnamed: the document of the conversation when it has the article, else the one that has it, and say so.
  const remembered = numberedDoc(content, state.lastDocId);
  if (remembered && content.article(remembered.id, lo, suffix) && (!pointsOnly || remembered.numbering === 'points')) return { ...base, docId: remembered.id };
  const candidates = pointsOnly ? content.documents.filter((d) => d.numbering === 'points') : [content.defaultLaw, ...content.documents];
  const holder = candidates.find((d) => d && d.numbering !== 'sections' && content.article(d.id, lo, suffix));
  if (pointsOnly && !holder) return undefined;
  const doc = holder ?? remembered ?? content.defaultLaw;
  if (!doc) return undefined;
  return { ...base, docId: doc.id, ...(remembered && remembered.id !== doc.id ? { switchedFrom: remembered.id } : {}) };
}

/** 最后一条, 最末一条, 最后1点: the last article of a document. */
const LAST_ARTICLE = /最[后末][一1]?([条点])/;

/**
 * "高教法最后一条" → "高教法第69条": the last article of the document named in the text, so that it is read as that
 * article (and not by the schedule as 最后一次). Only with a document named: without one, which document's last
 * article is meant is a guess. The text unchanged otherwise.
 */
function lastArticleAsNumber(t: string, content: Content): string {
  const last = LAST_ARTICLE.exec(t);
  if (!last) return t;
  const mention = content.documentNames().find(({ name }) => t.toLowerCase().includes(name));
  const numbers = mention?.doc.units.filter((u) => u.number !== undefined && u.suffix === undefined).map((u) => u.number!) ?? [];
  return numbers.length ? t.replace(last[0], `第${Math.max(...numbers)}${last[1]}`) : t;
}

/**
 * A text that is nothing but article references (第…条/款/项/点 and what joins them), maybe a document name and asking
 * words, yet was not understood above: say so rather than let keyword search answer with some other article.
 */
function unresolvedReference(t: string, content: Content, state: ConversationState): UnresolvedReference | undefined {
  const core = t.replace(/[?？!！。，,.~～]+$/, '');
  const refs = [...core.matchAll(REFERENCE_PART)].filter((m) => m[0].startsWith('第'));
  if (!refs.length) return undefined;
  const span = core.slice(refs[0]!.index, refs.at(-1)!.index + refs.at(-1)![0].length);
  const rest = core.replace(span, ' ');
  if (span.replace(REFERENCE_PART, '') !== '') return undefined;
  const mention = content.documentNames().find(({ name }) => rest.toLowerCase().includes(name));
  if (!askingOnly(mention ? rest.replace(new RegExp(escape(mention.name), 'i'), '') : rest)) return undefined;
  const doc = mention?.doc ?? numberedDoc(content, state.lastDocId) ?? content.defaultLaw;
  const article = /项/.test(span) ? parseNumber(new RegExp(`第(${N})条`).exec(span)?.[1] ?? '') : undefined;
  const itemOf = doc && article !== undefined && content.article(doc.id, article) ? article : undefined;
  return { unresolved: span, inDocId: doc?.id, ...(itemOf !== undefined ? { itemOf } : {}) };
}

/**
 * "第四十七条和第四十九条" after a document name, maybe with words after it (asking words, or 有什么区别): the numbers,
 * the list as written, and the text left.
 */
function listOfNumbers(t: string, content: Content): { numbers: number[]; span: string; rest: string } | undefined {
  const mention = content.documentNames().find(({ name }) => t.toLowerCase().startsWith(name));
  const body = (mention ? t.slice(mention.name.length) : t).replace(/^的/, '');
  const core = body.replace(/[?？!！。~～]+$/, '');
  const list = LIST.exec(core);
  if (!list || !/[条项点]/.test(list[0])) return undefined;
  const numbers = [...list[0].matchAll(new RegExp(N, 'g'))].map((m) => parseNumber(m[0]));
  if (numbers.length < 2 || numbers.some((n) => n === undefined)) return undefined;
  return { numbers: [...new Set(numbers as number[])], span: list[0], rest: `${mention?.name ?? ''}${body.slice(list[0].length)}` };
}

function numberedDoc(content: Content, id: string | undefined): RegulationDocument | undefined {
  const d = id ? content.document(id) : undefined;
  return d && d.numbering !== 'sections' ? d : undefined;
}

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The replies for an article query: one per article, or a clear "no such article". */
export function answerArticleQuery(q: ArticleQuery, content: Content): string[] {
  const doc = content.document(q.docId)!;
  const count = content.articleCount(doc.id);
  if (doc.numbering === 'sections') {
    return [`${bookTitle(doc)}没有按“第几条”编号。您可以直接问其中的内容，例如“${doc.shortTitle}的发展目标”。`];
  }
  if ((q.numbers?.length ?? q.to - q.from + 1) > MAX_RANGE) {
    return [`一次最多查 ${MAX_RANGE} 条，请缩小范围，例如“第${toChineseNumber(q.from)}条至第${toChineseNumber(q.from + MAX_RANGE - 1)}条”。`];
  }
  const answers: string[] = [];
  const before = q.switchedFrom ? content.document(q.switchedFrom) : undefined;
  if (before) {
    answers.push(
      `${before.shortTitle}共${toChineseNumber(content.articleCount(before.id))}条，没有${numberLabel(q)}；以下是${doc.shortTitle}的${numberLabel(q)}：`,
    );
  }
  const missing: number[] = [];
  const wanted = q.numbers ?? Array.from({ length: q.to - q.from + 1 }, (_, i) => q.from + i);
  for (const n of wanted) {
    const unit = content.article(doc.id, n, q.suffix);
    if (!unit) {
      missing.push(n);
      continue;
    }
    if (q.clauses) answers.push(...clauseAnswers(doc, unit, q.clauses));
    else answers.push(formatUnit(doc, unit));
  }
  if (missing.length) {
    const label = q.suffix ? `第${toChineseNumber(missing[0]!)}条之${toChineseNumber(q.suffix)}` : missing.map((n) => `第${toChineseNumber(n)}条`).join('、');
    // Unnamed, after another document: the law people mean by default does not have it either, and that is said too.
    const law = content.defaultLaw;
    const lawLacks = !q.named && law && law.id !== doc.id && missing.every((n) => !content.article(law.id, n, q.suffix));
    const lawToo = lawLacks ? `，${bookTitle(law)}共${toChineseNumber(content.articleCount(law.id))}条，也没有` : '';
    answers.push(`${bookTitle(doc)}共${toChineseNumber(count)}条，没有${label}${lawToo}。`);
  }
  return answers;
}

/** Each 款 asked for under its own source (第十条第二款), then one line for those the article does not have. */
function clauseAnswers(doc: RegulationDocument, unit: Unit, wanted: readonly number[]): string[] {
  const all = clauses(unit);
  const answers = wanted
    .filter((n) => all[n - 1])
    .map((n) => `${unitSource(doc, unit).replace(unit.label, `${unit.label}第${toChineseNumber(n)}款`)}\n${all[n - 1]!.join('\n')}`);
  // 0 only comes from "上一款" at the first 款: "没有第零款" would be true but unhelpful.
  if (wanted.includes(0)) answers.push(`已经是${bookTitle(doc)}${unit.label}的第一款，前面没有了。`);
  const missing = wanted.filter((n) => n > 0 && !all[n - 1]);
  if (missing.length) answers.push(`${unitSource(doc, unit)}共${countOf(all.length)}款，没有${missing.map((n) => `第${toChineseNumber(n)}款`).join('、')}。`);
  return answers;
}

/** A count as said aloud: 两款, not 二款. */
function countOf(n: number): string {
  return n === 2 ? '两' : toChineseNumber(n);
}

/** The 款 the conversation is on after an answer: the last one asked for that exists, for "下一款" and "上一款". */
function clauseShown(unit: Unit, wanted: readonly number[] | undefined): number | undefined {
  if (!wanted?.length) return undefined;
  return Math.min(Math.max(wanted.at(-1)!, 1), clauses(unit).length);
}

function numberLabel(q: ArticleQuery): string {
  if (q.numbers) return q.numbers.map((n) => `第${toChineseNumber(n)}条`).join('、');
  return q.from === q.to ? `第${toChineseNumber(q.from)}条` : `第${toChineseNumber(q.from)}条至第${toChineseNumber(q.to)}条`;
}

const WITHOUT_CONTEXT: Record<FollowUpWithoutContext['followUp'], string> = {
  clause: '请告诉我是哪一条的第几款，例如“第三条第二款”。',
  next: '请先告诉我从哪一条开始，例如先问“第三条”，再发“下一条”。',
  previous: '请先告诉我从哪一条开始，例如先问“第三条”，再发“上一条”。',
  'next-clause': '请先告诉我从哪一款开始，例如先问“第三条第一款”，再发“下一款”。',
  'previous-clause': '请先告诉我从哪一款开始，例如先问“第三条第二款”，再发“上一款”。',
  'before-first': '已经是第一条，前面没有了。可以发送“下一条”接着看。',
};

/** "下一款" with no article before it, or after a whole article (which 款 comes "next" is then unclear). */
function answerFollowUpWithoutContext(q: FollowUpWithoutContext, content: Content): string {
  const doc = q.after ? content.document(q.after.docId) : undefined;
  if (q.followUp === 'before-first') return doc ? `已经是${bookTitle(doc)}的第一条，前面没有了。可以发送“下一条”接着看。` : WITHOUT_CONTEXT[q.followUp];
  const unit = doc && q.after ? content.article(doc.id, q.after.number) : undefined;
  if (!doc || !unit) return WITHOUT_CONTEXT[q.followUp];
  const count = clauses(unit).length;
  if (count < 2) return `${bookTitle(doc)}${unit.label}只有一款，上面已是全文。可以发送“下一条”或“上一条”接着看。`;
  return `上面是${bookTitle(doc)}${unit.label}的全文，共${countOf(count)}款。请告诉我要看第几款，例如“${unit.label}第二款”。`;
}

/** What was not understood in a reference, how to write one, and which articles the document has. */
function answerUnresolved(q: UnresolvedReference, content: Content): string {
  const doc = q.inDocId ? content.document(q.inDocId) : undefined;
  const count = doc ? content.articleCount(doc.id) : 0;
  if (doc && q.itemOf !== undefined) {
    const label = `第${toChineseNumber(q.itemOf)}条`;
    return `抱歉，暂时不能单独查某一项。${bookTitle(doc)}${label}的各项都在条文中，请发送“${doc.shortTitle}${label}”查看全文，或“${label}第一款”这样按款查看。`;
  }
  const range = doc && count ? `${bookTitle(doc)}共${toChineseNumber(count)}条（第一条至第${toChineseNumber(count)}条）。` : '';
  return `抱歉，没有看懂“${q.unresolved}”是哪一条（款）。请写明条号，例如“第三条”“第3条第2款”“第十条第二、三款”。${range}`;
}

export function articles({ content, memory }: HandlerDeps): Composer {
  const bot = new Composer();
  bot.parses(
    'article',
    (text, ctx) => parseArticleQuery(text, content, memory.get(ctx.userId), ctx.understand(text).question),
    async (ctx, q) => {
      if ('followUp' in q) return ctx.reply(answerFollowUpWithoutContext(q, content));
      if ('unresolved' in q) return ctx.reply(answerUnresolved(q, content));
      if ('unknownDocument' in q) return ctx.reply(unknownDocumentReply(q.unknownDocument, q.candidates, content));
      const shown = content.article(q.docId, q.to, q.suffix);
      // Past the end ("下一条" after the last, "下一款" after the last 款), the conversation stays on the last that exists.
      const clause = shown && q.from === q.to ? clauseShown(shown, q.clauses) : undefined;
      const lastArticle = shown?.number !== undefined ? { docId: q.docId, number: shown.number, ...(clause !== undefined ? { clause } : {}) } : undefined;
      memory.update(ctx.userId, { lastDocId: q.docId, ...(lastArticle ? { lastArticle } : {}) });
      await ctx.replyAll(answerArticleQuery(q, content));
    },
  );
  return bot;
}
