import { Composer } from '../src/bot/composer.ts';
import type { Content } from '../src/content/content.ts';
import { documentLikeName, resolveDocumentName } from '../src/content/document-names.ts';
import { bookTitle } from '../src/content/documents.ts';
import { askingOnly } from '../src/content/question-text.ts';
import type { HandlerDeps } from './deps.ts';

/**
 * "七项规定是什么", "教师法有哪些内容": a document that is not among the readings. Said plainly, with where the plan
 * mentions it and what can be looked up, rather than answered with whatever keyword search finds for its
 * characters (the eight-point rules for 七项规定). A loose name of a reading we have is left to the others.
 */
export function unknownDocument({ content }: HandlerDeps): Composer {
  const bot = new Composer();
  bot.parses(
    'unknown-document',
    (text, ctx) => {
      const t = ctx.understand(text).question.replace(/[?？!！。，,.~～]+$/, '');
      const name = documentLikeName(t);
      if (!name || !askingOnly(t.replace(`《${name}》`, '').replace(name, ''))) return undefined;
      const found = resolveDocumentName(name, content);
      return 'doc' in found ? undefined : { name, candidates: 'ambiguous' in found ? found.ambiguous.map((d) => d.id) : [] };
    },
    (ctx, q) => ctx.reply(unknownDocumentReply(q.name, q.candidates, content)),
  );
  return bot;
}

/** Which readings a loose name may mean, or that a document is not among them (and where the plan mentions it). */
export function unknownDocumentReply(name: string, candidates: readonly string[], content: Content): string {
  const docs = candidates.map((id) => content.document(id)!).filter(Boolean);
  if (docs.length) {
    return [`“${name}”可能是指以下资料中的一份，请说明是哪一份：`, ...docs.map((d) => `· ${bookTitle(d)}（可发送“${d.shortTitle}”）`)].join('\n');
  }
  const core = name.replace(/^(教育部|中央|国家|国务院)/, '');
  const plan = content.plan;
  const mentioned = [...plan.themes, ...plan.questions.staff, ...plan.questions.students, ...plan.requirements].find((line) => line.includes(core));
  return [
    `学习资料中没有收录“${name}”的全文，无法引用它的原文。`,
    ...(mentioned ? [`本学期学习计划中提到了它：${mentioned}`] : []),
    `已收录的学习资料：${content.documents.map((d) => bookTitle(d)).join('、')}。`,
  ].join('\n');
}
