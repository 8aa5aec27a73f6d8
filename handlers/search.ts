import type { Composer } from '../src/bot/composer.ts';
import type { Content } from '../src/content/content.ts';
import { formatUnit } from '../src/content/format.ts';
import type { SearchHit } from '../src/content/search-index.ts';
import { packParts } from '../src/wecom/text.ts';
import type { HandlerDeps } from './deps.ts';

/**
 * Keyword questions (教师资格有什么规定, 学术委员会的职责, 时间银行): full-text search over every article and section,
 * all terms first, then any; the best answers with their source, best first.
 */
const QUESTION_WORDS =
  /^(请问|请|我想知道|想了解|帮我查(一下)?|查一下|查询|关于)|(的)?(有什么|有哪些|是什么|是啥|是怎样|是怎么|怎么|如何|什么)?(规定|要求|内容|说法|条款|条文)?(是什么|有哪些|吗|呢|啊)?$/g;

/** The search terms of a question: its words minus the question around them. */
export function keywords(text: string): string {
  return text
    .normalize('NFKC')
    .replace(/[?？!！。.,，:：“”"'《》\s]/g, ' ')
    .trim()
    .replace(QUESTION_WORDS, '')
    // 的 joins words ("学术委员会的职责") and would make bigrams that appear nowhere ("会的", "的职").
    .replace(/的/g, ' ')
    .trim();
}

export const MAX_HITS = 3;

export function searchContent(text: string, content: Content): { query: string; hits: SearchHit[] } {
  const query = keywords(text);
  return { query, hits: query.replace(/\s/g, '').length >= 2 ? content.search.search(query, MAX_HITS) : [] };
}

export function registerSearch(bot: Composer, { content, memory }: HandlerDeps): void {
  bot.parses(
    'search',
    (text) => {
      const result = searchContent(text, content);
      return result.hits.length ? result : undefined;
    },
    async (ctx, { query, hits }) => {
      memory.update(ctx.userId, { lastDocId: hits[0]!.unit.docId });
      const intro = hits[0]!.partial
        ? `没有找到同时包含“${query}”全部字词的条文，以下是最接近的 ${hits.length} 条：`
        : `与“${query}”有关的${hits.length > 1 ? ` ${hits.length} 处` : ''}内容：`;
      const parts = [intro, ...hits.map((h) => formatUnit(content.document(h.unit.docId)!, h.unit))];
      for (const message of packParts(parts)) await ctx.reply(message);
    },
  );
}
