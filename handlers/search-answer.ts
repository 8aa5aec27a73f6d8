import type { Content } from '../src/content/content.ts';
import { bookTitle, textAfterHeading, type RegulationDocument, type Unit } from '../src/content/documents.ts';
import { formatUnit } from '../src/content/format.ts';
import type { SearchHit } from '../src/content/search-index.ts';
import { parseArticleQuery } from './articles.ts';
import { helpExamples, type HelpExamples } from './help-examples.ts';

/**
 * The shape of a keyword answer on a phone: the best match whole with its source, then each other match as one
 * line (source, first words, and the exact text to send to read it). Every suggested text is checked to bring back
 * that very unit before it is suggested; a unit nothing short brings back is quoted whole instead.
 */

/** Other matches are shown only when they score at least this share of the best (weaker ones are noise). */
const OTHERS_MIN_SHARE = 0.35;
const FIRST_WORDS = 18;

export function searchReplies(query: string, hits: readonly SearchHit[], content: Content, find: (text: string) => Unit | undefined): string[] {
  const [best, ...rest] = hits;
  if (!best) return [];
  const doc = (u: Unit) => content.document(u.docId)!;
  const others = rest.filter((h) => h.score >= OTHERS_MIN_SHARE * best.score);
  const parts = [`与“${query}”最相关的内容：\n${formatUnit(doc(best.unit), best.unit)}`];
  const lines: string[] = [];
  const whole: string[] = [];
  for (const { unit } of others) {
    const send = readText(doc(unit), unit, content, find);
    if (send) lines.push(`· ${source(doc(unit), unit)}：${firstWords(unit)}（发送“${send}”查看全文）`);
    else whole.push(formatUnit(doc(unit), unit));
  }
  if (lines.length) parts.push(`其他相关内容：\n${lines.join('\n')}`);
  return [...parts, ...whole];
}

/** Lines offered when no match is sure enough to be the answer (./search-confidence.ts). */
export const MAX_MAYBE = 2;

/**
 * No provision matches well enough to be the answer: say so plainly, offer at most two 可能相关 lines (each with
 * the text that reads it), and say how to ask so that it can be found.
 */
export function unsureReply(
  question: string,
  hits: readonly SearchHit[],
  content: Content,
  find: (text: string) => Unit | undefined,
  examples: HelpExamples = helpExamples(content),
): string {
  const shown = [...question.trim()].length > 20 ? `${[...question.trim()].slice(0, 20).join('')}…` : question.trim();
  const doc = (u: Unit) => content.document(u.docId)!;
  const lines = hits.slice(0, MAX_MAYBE).map(({ unit }) => {
    const send = readText(doc(unit), unit, content, find);
    return `· ${source(doc(unit), unit)}：${firstWords(unit)}${send ? `（发送“${send}”查看全文）` : ''}`;
  });
  return [`学习资料中没有找到与“${shown}”直接对应的条文。`, ...(lines.length ? ['可能相关（不一定是您要找的）：', ...lines] : []), howToAsk(examples)].join(
    '\n',
  );
}

/** How to ask so that it can be found, with examples the plan of the day can answer (the menu's: never one plan's words). */
function howToAsk(examples: HelpExamples): string {
  const keyword = examples.keywords[0];
  // A named article reads on its own; a bare 第N条 only with the plan's default law in mind.
  const article = examples.articles.find((a) => /^[^第].*第.+条$/.test(a)) ?? examples.articles.find((a) => /条$/.test(a));
  const ways = [`用资料里的词再问${keyword ? `（如“${keyword}”）` : ''}`, ...(article ? [`直接问条文（如“${article}”）`] : [])];
  return `可以换个说法，${ways.join('，或')}；发送“帮助”查看全部用法。`;
}

/** "《中华人民共和国高等教育法》第四十一条", or the heading a paragraph stands under. */
function source(doc: RegulationDocument, unit: Unit): string {
  return `${bookTitle(doc)}${unit.label || (unit.path.length ? ` ${unit.path.at(-1)!.replace(/[。；，、]$/, '')}` : '')}`;
}

function firstWords(unit: Unit): string {
  const text = textAfterHeading(unit);
  return [...text].length > FIRST_WORDS ? `${[...text].slice(0, FIRST_WORDS).join('')}…` : text;
}

/**
 * What to send to read a unit: "<shortest name>第N条" for a numbered one (checked through the article handler's
 * own parser), otherwise the paragraph's first words, as few as bring it back first.
 */
function readText(doc: RegulationDocument, unit: Unit, content: Content, find: (text: string) => Unit | undefined): string | undefined {
  if (unit.number !== undefined) {
    const names = [doc.shortTitle, ...doc.aliases].sort((a, b) => a.length - b.length);
    for (const name of names) {
      const text = `${name}${unit.label}`;
      const q = parseArticleQuery(text, content, {});
      if (q && 'docId' in q && q.docId === doc.id && q.from === unit.number && q.to === unit.number && q.suffix === unit.suffix) return text;
    }
    return undefined;
  }
  const words = unit.paragraphs
    .join('')
    .replace(/[^\p{Script=Han}A-Za-z0-9]+/gu, ' ')
    .trim();
  // Whole phrases read better than words cut in half ("7 医疗健康领域", not "分地区 分领域开"): up to a punctuation
  // mark when that is short enough, else a cut by length.
  const phrases = words.split(' ');
  for (let k = 1, text = phrases[0]!; k <= phrases.length && [...text].length <= 24; text = `${text} ${phrases[k]}`, k++) {
    if ([...text].length >= 4 && find(text)?.id === unit.id) return text;
  }
  for (const n of [8, 12, 16, 24]) {
    const text = [...words].slice(0, n).join('').trim();
    if (find(text)?.id === unit.id) return text;
    if (n >= words.length) break;
  }
  return undefined;
}
