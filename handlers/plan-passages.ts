import { Composer } from '../src/bot/composer.ts';
import type { Content } from '../src/content/content.ts';
import { shanghaiDate } from '../src/content/dates.ts';
import { planPassages } from '../src/content/plan-passages.ts';
import type { SearchHit } from '../src/content/search-index.ts';
import { expandQuery } from '../src/content/terms.ts';
import type { HandlerDeps } from './deps.ts';
import { currentPlan } from './plan-days.ts';
import { keywords, searchContent } from './search.ts';

/**
 * Questions about the study notice itself, in any wording (记录本每月谁来检查, 讨论题里的三个职院是哪三个, 这计划是哪个
 * 学院发的, 升旗仪式是管理学院组织吗): answered with the notice's own passages (src/content/plan-passages.ts), quoted
 * under the section they stand in. Runs after the handlers that know a question's form exactly and before keyword
 * search over the readings, and takes a question only when the notice matches it at least as well as any reading
 * does, or the question names the notice's own things (计划, 专题, 讨论题, 记录本 …) and the notice matches it well:
 * a question about the law (教师资格有什么规定) stays with the law.
 */

/** Words that are about the notice, not a reading: the question is read against the notice first. */
const ABOUT_THE_NOTICE =
  /计划|通知|安排|专题|主题|讨论题|讨论的题|题目|记录本|记录|学习组|学习要求|要求|集中学习|自学|学习资料|学习材料|材料|资料|党总支|党工委|宣传部|组织部|学期末|组织|负责|发文|落款|印发/;
/**
 * The share of the question's own terms the best passage must hold: a question naming the notice's things needs
 * little (spoken questions are mostly bigrams across words, 记录本每月几号前交), any other must also beat every
 * reading. Chosen on the tune part of the plan-question set (docs/intents.md), checked on its held-out part.
 */
const ABOUT_RELEVANCE = 0.08;
const MIN_RELEVANCE = 0.15;
/** A question naming the notice's things still goes to a reading that matches it more than twice as well. */
const ABOUT_LEAD = 0.5;
/** Other passages are shown beside the best when they score at least this share of it. */
const OTHERS_SHARE = 0.6;
const MAX_PASSAGES = 3;

interface Found {
  plan: Content;
  query: string;
  hits: SearchHit[];
}

export function findInNotice(text: string, content: Content, today: ReturnType<typeof shanghaiDate>): Found | undefined {
  const query = keywords(text);
  if (query.replace(/\s/g, '').length < 2) return undefined;
  const plan = currentPlan(content, today);
  const hits = planPassages(plan.plan, plan.schedule).index.search(expandQuery(query, content.terms), { limit: MAX_PASSAGES, floor: 0 });
  const best = hits[0];
  if (!best || best.relevance < ABOUT_RELEVANCE) return undefined;
  const reading = searchContent(text, content, 1).hits[0]?.relevance ?? 0;
  if (ABOUT_THE_NOTICE.test(text)) {
    // 大学招生计划谁来定 names a 计划, but a reading answers it far better than the notice does.
    if (best.relevance < ABOUT_LEAD * reading) return undefined;
  } else if (best.relevance < MIN_RELEVANCE || reading >= best.relevance) return undefined;
  return { plan, query, hits: hits.filter((h) => h.score >= OTHERS_SHARE * best.score) };
}

export function planPassagesHandler({ content }: HandlerDeps): Composer {
  return new Composer().parses(
    'plan-passages',
    (text, ctx) => findInNotice(text, content, ctx.understood.today),
    async (ctx, { plan, hits }) => {
      const lines = hits.map(({ unit }) => `【${unit.path[0]}】${unit.paragraphs.join('\n')}`);
      // Quoted, not answered: the notice may not say exactly what was asked (记录要写多少字), and the reader should see that.
      const ask = plan.plan.issuer ? `请向${plan.plan.issuer}咨询` : '请向发文单位咨询';
      await ctx.reply([`学习计划《${plan.plan.title}》中的相关内容：`, ...lines, `（以上为学习计划原文；计划中没有写明的，${ask}。）`].join('\n'));
    },
  );
}
