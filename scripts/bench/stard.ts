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
