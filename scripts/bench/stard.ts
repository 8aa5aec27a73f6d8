/**
 * The STARD lay questions of ../shared/corpus (stard-train.jsonl, see its README): reading them, the fold each belongs
 * to, and the document expansion learned from a set of them. Shared by npm run bench:retrieval (which learns per fold)
 * and npm run build:law-expansions (which learns from all of them for the bot).
 */
import { readFileSync } from 'node:fs';
import { lawQuestions, type LawQuestions } from '../../src/content/search-expansions.ts';
import { keywords } from '../../handlers/search.ts';

export interface Gold {
  law: string;
  file: string;
  article: string;
  alt_files?: string[];
}
export interface Question {
  q: string;
  gold: Gold[];
  stard_id?: string | number;
}

export function readQuestions(file: string): Question[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as Question);
}

export const FOLDS = 5;

/**
 * A question's fold (0..4), by a hash of its text: the same every run. Fold 0 is the held-out fifth that no weight is
 * ever chosen on; cross-fitting scores each fold on expansion learned from the other four.
 */
export function foldOf(q: Question): number {
  let h = 2166136261;
  for (const c of q.q) h = Math.imul(h ^ c.codePointAt(0)!, 16777619);
  return (h >>> 0) % FOLDS;
}

/** What the given questions teach (their keywords and the articles, by law title and label, that answered them). */
export function learnExpansions(questions: readonly Question[]): LawQuestions {
  return lawQuestions(questions.map((q) => ({ text: keywords(q.q), articles: q.gold.map((g) => [g.law, g.article] as const) })));
}

/**
 * Lay-to-formal bigram pairs learned from questions (an experiment of bench:retrieval --inner-cv, not in the bot): a
 * bigram of a question that its cited articles lack, paired with a bigram the cited articles hold and the question
 * lacks, kept when at least `minCount` questions with the lay bigram show the pair and most of them do (`minShare`).
 */
export function learnTermPairs(
  questions: readonly Question[],
  articleText: (g: Gold) => string | undefined,
  tokenize: (text: string) => string[],
  keywordsOf: (q: string) => string,
  { minCount = 3, minShare = 0.5 } = {},
): Map<string, Array<[formal: string, share: number]>> {
  const layCount = new Map<string, number>();
  const pairCount = new Map<string, Map<string, number>>();
  for (const q of questions) {
    const texts = q.gold.map(articleText).filter((t): t is string => t !== undefined);
    if (!texts.length) continue;
    const formal = new Set(texts.flatMap(tokenize));
    const lay = new Set(tokenize(keywordsOf(q.q)));
    for (const l of lay) {
      if (formal.has(l)) continue;
      layCount.set(l, (layCount.get(l) ?? 0) + 1);
      let m = pairCount.get(l);
      if (!m) pairCount.set(l, (m = new Map()));
      for (const f of formal) if (!lay.has(f)) m.set(f, (m.get(f) ?? 0) + 1);
    }
  }
  const pairs = new Map<string, Array<[string, number]>>();
  for (const [l, m] of pairCount) {
    const n = layCount.get(l)!;
    if (n < minCount) continue;
    const kept = [...m].filter(([, c]) => c >= minCount && c / n >= minShare).map(([f, c]) => [f, c / n] as [string, number]);
    if (kept.length) pairs.set(l, kept);
  }
  return pairs;
}
