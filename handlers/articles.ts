import type { Composer } from '../src/bot/composer.ts';
import type { Content } from '../src/content/content.ts';
import { bookTitle, type RegulationDocument } from '../src/content/documents.ts';
import { clauses, formatUnit, unitSource } from '../src/content/format.ts';
import { parseNumber, toChineseNumber } from '../src/content/numerals.ts';
import { packParts } from '../src/wecom/text.ts';
import type { HandlerDeps } from './deps.ts';

/**
 * Article lookup: 第四十七条, 第47条, 47条, 第４７条, Article 47, Art. 47, "what is Article 47", with or without a
 * document name (高等教育法, 高教法, 《中华人民共和国高等教育法》, 八项规定第三条), ranges (第46-48条, 第四十六条至第四十八条),
 * and 第X条第Y款. Exact lookup by (document, number); never a guess.
 */
export interface ArticleQuery {
  docId: string;
  /** Whether the user named the document (otherwise it came from the conversation or the default). */
  named: boolean;
  from: number;
  to: number;
  suffix: number | undefined;
  clause: number | undefined;
}

const N = '[0-9零〇一二两三四五六七八九十百千万]+';
const RANGE = new RegExp(`第?(${N})条?(?:至|到|-|—|~)第?(${N})条`);
const SINGLE = new RegExp(`第?(${N})条(?:之([一二三四五六七八九十]+))?(?:第(${N})款)?`);
const ENGLISH = /\b(?:article|art\.?)\s*(\d+)\b/i;
export const MAX_RANGE = 10;

/** Reads an article question, or undefined when the text is not one. */
export function parseArticleQuery(text: string, content: Content, lastDocId: string | undefined): ArticleQuery | undefined {
  const t = text.normalize('NFKC').replace(/\s+/g, '');
  const english = ENGLISH.exec(text.normalize('NFKC'));
  let from: number | undefined;
  let to: number | undefined;
  let suffix: number | undefined;
  let clause: number | undefined;
  let rest = t;
  const range = RANGE.exec(t);
  const single = SINGLE.exec(t);
  if (range) {
    from = parseNumber(range[1]!);
    to = parseNumber(range[2]!);
    rest = t.replace(range[0], ' ');
  } else if (single) {
    from = to = parseNumber(single[1]!);
    suffix = single[2] ? parseNumber(single[2]) : undefined;
    clause = single[3] ? parseNumber(single[3]) : undefined;
    if (single[3] && clause === undefined) return undefined;
    rest = t.replace(single[0], ' ');
  } else if (english) {
    from = to = Number(english[1]);
    rest = '';
  } else return undefined;
  if (from === undefined || to === undefined) return undefined;

  // A named document anywhere in the rest of the text.
  const mention = content.documentNames().find(({ name }) => rest.toLowerCase().includes(name));
  // What else may stand around the number: the name, 是什么, 内容, 讲了什么, punctuation … but not other questions.
  const leftover = (mention ? rest.replace(new RegExp(escape(mention.name), 'i'), '') : rest)
    .replace(/[《》〈〉「」“”"'?？!！。，,.:：、\s]/g, '')
    .replace(/^(请问|请|帮我|给我)?(查(一下|询)?|看(一下|看)?)?/, '')
    .replace(/(的)?(内容|原文|全文|条文|规定)?(是什么|是啥|说了什么|讲了什么|讲的什么|说的什么|写的什么|怎么说|有哪些|呢|吗)*$/, '')
    .replace(/^(whatis|what's|show|showme)/i, '')
    .replace(/(的)?(内容|原文|全文|条文)$/, '');
  if (leftover.replace(/^(中的?|里的?)/, '').length > 0) return undefined;

  const doc = mention?.doc ?? numberedDoc(content, lastDocId) ?? content.defaultLaw;
  if (!doc) return undefined;
  return { docId: doc.id, named: Boolean(mention), from: Math.min(from, to), to: Math.max(from, to), suffix, clause };
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
  if (q.to - q.from + 1 > MAX_RANGE) {
    return [`一次最多查 ${MAX_RANGE} 条，请缩小范围，例如“第${toChineseNumber(q.from)}条至第${toChineseNumber(q.from + MAX_RANGE - 1)}条”。`];
  }
  const answers: string[] = [];
  const missing: number[] = [];
  for (let n = q.from; n <= q.to; n++) {
    const unit = content.article(doc.id, n, q.suffix);
    if (!unit) {
      missing.push(n);
      continue;
    }
    if (q.clause !== undefined) {
      const all = clauses(unit);
      const c = all[q.clause - 1];
      if (!c) {
        answers.push(`${unitSource(doc, unit)}共${toChineseNumber(all.length)}款，没有第${toChineseNumber(q.clause)}款。`);
        continue;
      }
      answers.push(`${unitSource(doc, unit).replace(unit.label, `${unit.label}第${toChineseNumber(q.clause)}款`)}\n${c.join('\n')}`);
    } else answers.push(formatUnit(doc, unit));
  }
  if (missing.length) {
    const label = q.suffix ? `第${toChineseNumber(missing[0]!)}条之${toChineseNumber(q.suffix)}` : missing.map((n) => `第${toChineseNumber(n)}条`).join('、');
    answers.push(`${bookTitle(doc)}共${toChineseNumber(count)}条，没有${label}。`);
  }
  return answers;
}

export function registerArticles(bot: Composer, { content, memory }: HandlerDeps): void {
  bot.parses(
    'article',
    (text, ctx) => parseArticleQuery(text, content, memory.get(ctx.userId).lastDocId),
    async (ctx, q) => {
      memory.update(ctx.userId, { lastDocId: q.docId });
      for (const message of packParts(answerArticleQuery(q, content))) await ctx.reply(message);
    },
  );
}
