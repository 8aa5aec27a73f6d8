import type { RegulationDocument, Unit } from './documents.ts';
import type { SearchIndexOptions } from './search-index.ts';
import { ContentError } from '../errors.ts';

/**
 * What questions people asked about law articles teach keyword search (issue 20, "Retrieval"), used two ways:
 * - document expansion: the words of the questions an article answered are indexed beside it at a lower weight
 *   (SearchIndexOptions.expansions), so a lay question finds an article whose text uses other words;
 * - neighbours: the questions most like a new one vote for the articles that answered them
 *   (SearchIndexOptions.neighbours), which also brings the other articles such a question cites; and the law they
 *   vote for lifts that law's articles among the best (SearchIndexOptions.lawAgreement).
 * Keyed by the law's title and the article's label ("中华人民共和国民法典", "第五十四条"), so it follows the law wherever
 * its text is loaded: the law corpus in the benchmarks, or a reading imported from the law library with a plan
 * (docs/plans.md). Every version of a law with that article gets the words.
 *
 * The bot's come from content/law-expansions.tsv, built by `npm run build:law-expansions` from the STARD train
 * questions (scripts/build-law-expansions.ts); `npm run bench:retrieval` learns its own per fold instead
 * (cross-fitting: a question is never scored on what was learned from itself, docs/retrieval.md).
 */
export interface LawQuestions {
  /** law title#article → the words of every question it answered. */
  texts: ReadonlyMap<string, string>;
  /** Each question's words and the title#article keys that answered it. */
  questions: ReadonlyArray<{ text: string; keys: readonly string[] }>;
}

export const NO_LAW_QUESTIONS: LawQuestions = { texts: new Map(), questions: [] };

/** How many similar questions vote, and how much (measured: bench:retrieval --inner-cv, docs/retrieval.md). */
export const NEIGHBOURS = { k: 10, weight: 0.02 };
/**
 * Law agreement: the best 20 units gain 0.2 × the share of those votes that went to their law (chosen for R@3 with
 * bench:retrieval --inner-cv, docs/retrieval.md): the similar questions often know the law before the article.
 */
export const LAW_AGREEMENT = { pool: 20, weight: 0.2 };

export const expansionKey = (lawTitle: string, label: string) => `${lawTitle}#${label}`;

/** Collects questions into LawQuestions: each with its words and the articles (law title, label) that answered it. */
export function lawQuestions(asked: Iterable<{ text: string; articles: ReadonlyArray<readonly [lawTitle: string, label: string]> }>): LawQuestions {
  const texts = new Map<string, string>();
  const questions: Array<{ text: string; keys: string[] }> = [];
  for (const { text, articles } of asked) {
    const keys = [...new Set(articles.map(([title, label]) => expansionKey(title, label)))];
    if (!text || keys.length === 0) continue;
    questions.push({ text, keys });
    for (const key of keys) {
      const before = texts.get(key);
      texts.set(key, before ? `${before} ${text}` : text);
    }
  }
  return { texts, questions };
}

/** The search options that put what the questions teach onto the documents' units (empty when there are none). */
export function lawQuestionOptions(documents: readonly RegulationDocument[], learned: LawQuestions): Pick<SearchIndexOptions, 'expansions' | 'neighbours' | 'lawAgreement'> {
  if (learned.questions.length === 0) return {};
  const unitsByKey = new Map<string, Unit[]>();
  for (const d of documents) {
    for (const u of d.units) {
      if (!u.label) continue;
      const key = expansionKey(d.title, u.label);
      if (!learned.texts.has(key)) continue;
      const list = unitsByKey.get(key);
      if (list) list.push(u);
      else unitsByKey.set(key, [u]);
    }
  }
  if (unitsByKey.size === 0) return {};
  const expansions = new Map<Unit, string>();
  for (const [key, units] of unitsByKey) for (const u of units) expansions.set(u, learned.texts.get(key)!);
  const questions = learned.questions.flatMap(({ text, keys }) => {
    const units = keys.flatMap((k) => unitsByKey.get(k) ?? []);
    return units.length ? [{ text, units }] : [];
  });
  return { expansions, neighbours: { ...NEIGHBOURS, questions }, lawAgreement: LAW_AGREEMENT };
}

const LABEL = /^第[零〇一二两三四五六七八九十百千]+条(?:之[一二三四五六七八九十]+)?$/;

/**
 * Reads the TSV the bot ships: "title<TAB>第N条<TAB>words" a line, one line per (question, article); consecutive
 * lines with the same words are one question citing several articles. Empty lines and lines starting with # are
 * comments. A broken line stops the service naming file, line and field, like every content file.
 */
export function parseLawQuestions(text: string, file: string): LawQuestions {
  const asked: Array<{ text: string; articles: Array<[string, string]> }> = [];
  text.split('\n').forEach((raw, i) => {
    const line = raw.replace(/\r$/, '');
    if (!line.trim() || line.startsWith('#')) return;
    const fields = line.split('\t');
    if (fields.length !== 3) throw new ContentError(file, i + 1, undefined, `应为“法律名称<TAB>第N条<TAB>问题用语”三栏，这一行有 ${fields.length} 栏`);
    const [title, label, words] = fields.map((f) => f.trim()) as [string, string, string];
    if (!title) throw new ContentError(file, i + 1, 'title', '法律名称不能为空');
    if (!LABEL.test(label)) throw new ContentError(file, i + 1, 'article', `“${label}”不是条文编号（应如“第五十四条”）`);
    if (!words) throw new ContentError(file, i + 1, 'words', '问题用语不能为空');
    const last = asked.at(-1);
    if (last && last.text === words) last.articles.push([title, label]);
    else asked.push({ text: words, articles: [[title, label]] });
  });
  return lawQuestions(asked);
}

/** The TSV lines of LawQuestions (what parseLawQuestions reads back). */
export function lawQuestionLines(learned: LawQuestions): string[] {
  return learned.questions.flatMap(({ text, keys }) =>
    keys.map((key) => {
      const at = key.lastIndexOf('#');
      return `${key.slice(0, at)}\t${key.slice(at + 1)}\t${text}`;
    }),
  );
}
