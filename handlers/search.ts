import { helpExamples } from './help-examples.ts';
import { currentPlan } from './plan-days.ts';
import { Composer } from '../src/bot/composer.ts';
import type { Content } from '../src/content/content.ts';
import type { SearchHit } from '../src/content/search-index.ts';
import { expandQuery } from '../src/content/terms.ts';
import type { HandlerDeps } from './deps.ts';
import { searchReplies, unsureReply } from './search-answer.ts';
import { confident, headingMatch } from './search-confidence.ts';

/**
 * Keyword questions, in the words people use (教师资格有什么规定, 残疾学生能不能上大学, 开会能发纪念品吗): the
 * question words are taken out, lay words are searched with their formal counterparts too (content/terms.yaml),
 * and every article and section is ranked by BM25 (src/content/search-index.ts). The best match is shown whole with
 * its source; each other match as one line with the exact text to send to read it.
 */

/** Said around a question rather than about its subject; longer forms first (alternation takes the first match). */
const LEADING =
  /^(请问一下|请问|请教一下|请教|麻烦问一下|我想知道|我想问一下|我想问|想知道|想了解|想问一下|想问|问一下|帮我查一下|帮我查|帮我看看|查一下|查询|关于)+/;
const QUESTION_WORDS = new RegExp(
  [
    '讲的是什么',
    '讲的是啥',
    '讲的啥',
    '讲了什么',
    '讲了啥',
    '说的是什么',
    '说了什么',
    '说的啥',
    '是什么意思',
    '什么意思',
    '有什么规定',
    '有啥规定',
    '有什么要求',
    '有哪些规定',
    '有哪些要求',
    '有什么说法',
    '怎么规定',
    '如何规定',
    '有规定',
    '是什么',
    '是啥',
    '是怎样的',
    '是怎么样的',
    '怎么样',
    '怎么办',
    '咋办',
    '怎么处理',
    '怎么算',
    '怎么弄',
    '该怎么',
    '怎么',
    '如何',
    '咋',
    '为什么',
    '为啥',
    '能不能',
    '能否',
    '可不可以',
    '可以不可以',
    '可以吗',
    '行不行',
    '会不会',
    '是不是',
    '有没有',
    '要不要',
    '需不需要',
    '需要吗',
    '该不该',
    '算不算',
    '应不应该',
    '可以',
    '有哪几种',
    '有哪几类',
    '有哪几个',
    '有哪些',
    '哪几种',
    '哪几类',
    '哪几个',
    '哪些',
    '什么样的',
    '什么样',
    '什么',
    '有几种',
    '几种',
    '多少',
    '多久',
    '多长时间',
    '吗',
    '呢',
    '啊',
    '吧',
    '呀',
    '嘛',
    '是否',
    '需要',
    '应该',
    '如果',
    '还是',
    '会被',
    '何种',
    '一定',
    '已经',
    '但是',
    '情况下',
    '由谁',
    '谁',
    // Pronouns and particles: not in the texts (我国, 其他, 他人, 为了, 了解 are, and stay).
    '我们',
    '(?<!自)我(?!国)',
    '你们',
    '你',
    '(?<!其)他们',
    '(?<![其作])他(?![人方用])',
    '她们',
    '她',
    '(?<!为)了(?!解)',
    // 的 joins words ("学术委员会的职责") and would make bigrams that appear nowhere ("会的", "的职").
    '的',
  ].join('|'),
  'g',
);

/** The search terms of a question: its words minus the question around them, as space-separated pieces. */
export function keywords(text: string): string {
  return text
    .normalize('NFKC')
    .replace(/[^\p{Script=Han}A-Za-z0-9]+/gu, ' ')
    .trim()
    .replace(LEADING, '')
    .replace(QUESTION_WORDS, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/**
 * Handlers that answer by keywords (the readings', the notice's passages): nearly any text shares a word with some
 * passage, so they never make a text a question inside a form, nor keep a message of several questions whole.
 */
export const KEYWORD_HANDLERS: readonly string[] = ['search', 'plan-passages'];

/** The best match shown whole, and up to this many more as one line each. */
export const MAX_HITS = 4;

/**
 * The keyword search the bot answers with (and npm run bench:retrieval measures): a pure function of the text and
 * the content. No hits when nothing reaches the relevance floor.
 */
export function searchContent(text: string, content: Content, limit = MAX_HITS): SearchResult {
  const query = keywords(text);
  if (query.replace(/\s/g, '').length < 2) return { query, hits: [], confident: false };
  const hits = content.search.search(expandQuery(query, content.terms), { limit });
  // A heading that is the question wins, whatever the bigrams say.
  const heading = headingMatch(query, content);
  if (heading) {
    const top = { unit: heading, score: Math.max(hits[0]?.score ?? 0, 1), relevance: 1 };
    return { query, hits: [top, ...hits.filter((h) => h.unit !== heading)].slice(0, limit), confident: true };
  }
  return { query, hits, confident: confident(hits) };
}

export interface SearchResult {
  query: string;
  hits: SearchHit[];
  /** Whether the first hit may be presented as the answer (./search-confidence.ts); otherwise only as 可能相关. */
  confident: boolean;
}

export function search({ content, memory }: HandlerDeps): Composer {
  return new Composer().parses(
    'search',
    (text) => {
      const result = searchContent(text, content);
      return result.hits.length ? result : undefined;
    },
    async (ctx, { query, hits, confident }) => {
      if (!confident) {
        // Named apart in the log: "no exact provision found, maybe these" is not an answer (intent accuracy counts it so).
        ctx.handledBy = 'search-unsure';
        const examples = helpExamples(currentPlan(content, ctx.understood.today));
        await ctx.reply(unsureReply(ctx.text ?? query, hits, content, (t) => searchContent(t, content, 1).hits[0]?.unit, examples));
        return;
      }
      // The best match frames what follows: "那第二款呢" or "下一条" after it are about that article.
      const best = hits[0]!.unit;
      memory.update(ctx.userId, {
        lastDocId: best.docId,
        ...(best.number !== undefined && best.suffix === undefined ? { lastArticle: { docId: best.docId, number: best.number } } : {}),
      });
      await ctx.replyAll(searchReplies(query, hits, content, (t) => searchContent(t, content, 1).hits[0]?.unit));
    },
  );
}
