/**
 * Builds content/law-expansions.tsv, the document expansion the bot ships for laws (src/content/search-expansions.ts):
 * the keywords of every STARD train question (../shared/corpus/stard-train.jsonl, MIT licence, notice kept in the
 * file's header), one line per (question, article), for document expansion and similar-question votes. Used when a plan's reading brings a national law from the law
 * library (docs/plans.md): a lay question then finds the article by the words people used for it.
 *
 *   npm run build:law-expansions [-- path/to/stard-train.jsonl]
 *
 * bench:retrieval never scores with this file (it would be scored on its own questions): it learns per fold.
 */
import { statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { lawQuestionLines } from '../src/content/search-expansions.ts';
import { learnExpansions, readQuestions } from './bench/stard.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const source = path.resolve(process.argv[2] ?? path.join(ROOT, '../shared/corpus/stard-train.jsonl'));
const out = path.join(ROOT, 'content/law-expansions.tsv');
const questions = readQuestions(source);
const learned = learnExpansions(questions);
const lines = lawQuestionLines(learned);
const header = [
  "# Questions people asked about law articles: law title <TAB> article <TAB> the question's keywords, one line per",
  '# (question, article); consecutive lines with the same words are one question citing several articles.',
  '# Built by `npm run build:law-expansions` (scripts/build-law-expansions.ts) from the STARD train questions:',
  '# Su et al., "STARD: A Chinese Statute Retrieval Dataset Derived from Real-life Queries by Non-professionals" (2024).',
  '# MIT License, Copyright (c) 2024 THUIR: permission is granted, free of charge, to use, copy, modify, merge, publish,',
  '# distribute, sublicense and/or sell copies; the copyright notice and this permission notice shall be included in all',
  '# copies or substantial portions. Provided "as is", without warranty of any kind.',
];
writeFileSync(out, `${[...header, ...lines].join('\n')}\n`);
console.log(
  `${path.relative(ROOT, out)}: ${learned.texts.size} articles, ${learned.questions.length} questions, ${lines.length} lines, ${statSync(out).size} bytes`,
);
