import { Composer } from '../src/bot/composer.ts';
import type { Content } from '../src/content/content.ts';
import { documentLikeName } from '../src/content/document-names.ts';
import type { HandlerDeps } from './deps.ts';
import { coverageText, currentPlan } from './plan-days.ts';

/**
 * A reading or theme of a plan whose notice gives no full text (only a title, a 学习重点, a link): asked about, it is
 * answered with what the notice gives, never with another document's text that keyword search would find for its
 * words (网络安全法第一条 when only the law's title is in the notice).
 */
type Hit = { kind: 'material'; plan: Content; index: number } | { kind: 'theme'; plan: Content; index: number };

const ASKING =
  /(是什么|讲什么|讲的是什么|讲的什么|讲了什么|讲的啥|说了什么|主要内容|的内容|内容|全文|原文|有哪些|在哪里看|在哪看|怎么学|学什么|第[0-9一二三四五六七八九十百零]+条.*)$/;
const core = (s: string) =>
  s
    .normalize('NFKC')
    .replace(/[《》"“”\s:：,，。;；()（）]/g, '')
    .replace(/^中华人民共和国/, '');

function find(question: string, content: Content, today: string): Hit | undefined {
  const t = question.replace(/[?？!！。]+$/, '');
  const asked = core(documentLikeName(t) ?? t.replace(ASKING, ''));
  if ([...asked].length < 4) return undefined;
  // The plan of the day first, then the others (a reading of an earlier month asked by name).
  const plans = [currentPlan(content, today), ...content.plans];
  for (const plan of plans) {
    const i = plan.plan.materials.findIndex(
      (m) => !m.document && (core(m.title).includes(asked) || (/《/.test(m.title) && asked.includes(core(/《([^》]+)》/.exec(m.title)![1]!)))),
    );
    if (i >= 0) return { kind: 'material', plan, index: i };
    const j = plan.plan.themeDetails.findIndex(
      (th) => (th.focus || th.links.length) && (core(th.title).includes(asked) || core(th.focus ?? '').includes(asked)),
    );
    if (j >= 0) return { kind: 'theme', plan, index: j };
  }
  return undefined;
}

export function answerReading(hit: Hit): string {
  const p = hit.plan.plan;
  const whose = `《${p.title}》（${coverageText(hit.plan)}）`;
  if (hit.kind === 'theme') {
    const th = p.themeDetails[hit.index]!;
    return [
      `${th.title}（${whose}的学习主题）`,
      ...(th.focus ? [`学习重点：${th.focus}`] : []),
      ...th.links.map((l) => `参考资料：${l}`),
      '参考资料的全文不在学习助手中，请打开链接阅读。',
    ].join('\n');
  }
  const m = p.materials[hit.index]!;
  return [
    `${m.title}：${whose}的学习资料${m.group ? `（${m.group}）` : ''}。`,
    ...(m.url ? [`链接：${m.url}`] : []),
    `学习助手没有收录它的全文，无法引用原文${m.url ? '，请打开链接阅读' : ''}。`,
  ].join('\n');
}

export function readingInfo({ content }: HandlerDeps): Composer {
  const bot = new Composer();
  bot.parses(
    'reading-info',
    (text, ctx) => find(ctx.understand(text).question, content, ctx.understood.today),
    (ctx, hit) => ctx.reply(answerReading(hit)),
  );
  return bot;
}
