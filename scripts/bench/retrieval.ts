/**
 * Retrieval quality at scale: npm run bench:retrieval [-- --ablation]
 * Loads the 1,527 national laws of ../shared/corpus as content documents (as bench:content does), asks every question
 * of ../shared/corpus/stard-train.jsonl through searchContent (the function the bot answers keyword questions with)
 * and scores the top 100 as the corpus README says (a result is (file, article heading); alt_files count).
 * Baseline in the same run: plain BM25 over character bigrams of the whole question (no question-word stripping,
 * no term list, no priors, no version handling, no floor). With --ablation: each change added one at a time, the
 * heading weight, the term-list weight and the relevance floor swept, each on its own index. With --jieba (after
 * `npm install --no-save @node-rs/jieba@2.0.3`; not a dependency): the word segmenter beside the bigrams.
 *
 * The bot's figure with what law questions teach (src/content/search-expansions.ts: document expansion and similar-
 * question votes) is cross-fitted: the questions fall in 5 folds by a hash (./stard.ts), each fold is asked over a
 * Content built from the other four folds' questions, and recall is pooled over all of train. Fold 0 is the held-out
 * fifth no choice is made on. --inner-cv measures ideas inside the tune part only (folds 1–4, each learned from the
 * other three); --rss builds the bot's index as it ships (all questions) and prints its memory.
 */
import { createRequire } from 'node:module';
import { existsSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Content, loadContent } from '../../src/content/content.ts';
import { parseDocument, type RegulationDocument, type Unit } from '../../src/content/documents.ts';
import { RELEVANCE_FLOOR, SearchIndex, type QueryTerm, type SearchIndexOptions } from '../../src/content/search-index.ts';
import { lawCorpusTarball, unpackLawCorpus } from '../../src/content/law-corpus.ts';
import { expandQuery, NO_TERMS } from '../../src/content/terms.ts';
import { keywords, searchContent } from '../../handlers/search.ts';
import { OFF_TOPIC } from '../../test/answers/off-topic.ts';
import { lawQuestionOptions } from '../../src/content/search-expansions.ts';
import { FOLDS, foldOf, learnExpansions, learnTermPairs, readQuestions, type Gold, type Question } from './stard.ts';
import { tokenize } from '../../src/content/tokenizer.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const CORPUS = path.dirname(lawCorpusTarball(ROOT, process.env.LAWS_CORPUS));
const ablation = process.argv.includes('--ablation');
const explore = process.argv.includes('--explore');
const withJieba = process.argv.includes('--jieba');
if (!existsSync(path.join(CORPUS, 'laws-cn-national.tar.gz')) || !existsSync(path.join(CORPUS, 'stard-train.jsonl'))) {
  console.log(`bench:retrieval: corpus not found at ${CORPUS} (laws-cn-national.tar.gz, stard-train.jsonl); nothing measured.`);
  process.exit(0);
}

const questions: Question[] = readQuestions(path.join(CORPUS, 'stard-train.jsonl'));

/**
 * A fifth of the questions (fold 0 of ./stard.ts) held out from every choice made on this file (weights, which ideas
 * to keep): figures are printed for the rest (tune), the held-out part and all.
 */
const heldOut = (q: Question) => foldOf(q) === 0;
const TUNE = questions.flatMap((q, i) => (heldOut(q) ? [] : [i]));
const HELD = questions.flatMap((q, i) => (heldOut(q) ? [i] : []));

// Unpack into a temporary folder (never committed); file names relative to the corpus root, as the gold uses them.
const corpus = unpackLawCorpus(lawCorpusTarball(ROOT, process.env.LAWS_CORPUS), { skipIndexPages: true });
const files = corpus.files;
const sources = files.map((f) => readFileSync(f, 'utf8'));
const rel = files.map(corpus.relative);
corpus.remove();

const semester = await loadContent(path.join(ROOT, 'content'));
global.gc?.();
const rssBefore = process.memoryUsage().rss;
if (process.argv.includes('--rss')) {
  // The memory of the bot's one index as it ships: the whole corpus with what all train questions teach (expansion and
  // neighbours), nothing else held. Not scored (it would be scored on its own questions).
  const c0 = process.cpuUsage();
  const docs = sources.map((s, i) => parseDocument(s, rel[i]!, `law-${i}`));
  const bot = new Content(semester.plan, semester.schedule, docs, undefined, undefined, undefined, semester.terms, [], learnExpansions(questions));
  const buildCpu = (process.cpuUsage(c0).user + process.cpuUsage(c0).system) / 1e6;
  global.gc?.();
  const after = process.memoryUsage().rss;
  console.log(
    `bot index with law questions (all of train): ${bot.search.size} units, build ${buildCpu.toFixed(1)} s CPU, RSS ${(after / 2 ** 20).toFixed(0)} MB (before: ${(rssBefore / 2 ** 20).toFixed(0)} MB; bound 400 MB)`,
  );
  process.exit(0);
}
// Wall time and CPU time: on a shared machine the CPU time is what the work costs, the wall time what it took.
const cpuMs = (since?: NodeJS.CpuUsage) => {
  const u = process.cpuUsage(since);
  return (u.user + u.system) / 1000;
};
const t = performance.now();
const cpu = process.cpuUsage();
const documents: RegulationDocument[] = sources.map((s, i) => parseDocument(s, rel[i]!, `law-${i}`));
const parseCpuMs = cpuMs(cpu);
const content = new Content(semester.plan, semester.schedule, documents, undefined, undefined, undefined, semester.terms);
const buildMs = performance.now() - t;
const buildCpuMs = cpuMs(cpu);
global.gc?.();
const rss = process.memoryUsage().rss;
const fileOf = new Map(documents.map((d) => [d.id, d.file]));

/** Per question: recall at each k and MRR@10, from a ranked list of units. */
const KS = [1, 3, 10, 100] as const;
function score(results: Array<Unit[]>, only?: readonly number[]) {
  const sum = { r: KS.map(() => 0), mrr: 0, empty: 0 };
  const keep = only ? new Set(only) : undefined;
  results.forEach((units, i) => {
    if (keep && !keep.has(i)) return;
    const gold = questions[i]!.gold;
    const keys = units.map((u) => `${fileOf.get(u.docId)}#${u.label}`);
    const rankOf = (g: Gold) => {
      const accepted = new Set([g.file, ...(g.alt_files ?? [])].map((f) => `${f}#${g.article}`));
      const r = keys.findIndex((k) => accepted.has(k));
      return r < 0 ? Infinity : r;
    };
    const ranks = gold.map(rankOf);
    KS.forEach((k, j) => (sum.r[j]! += ranks.filter((r) => r < k).length / gold.length));
    const first = Math.min(...ranks);
    if (first < 10) sum.mrr += 1 / (first + 1);
    if (units.length === 0) sum.empty++;
  });
  const n = keep ? keep.size : results.length;
  return { r: sum.r.map((x) => x / n), mrr: sum.mrr / n, empty: sum.empty / n };
}
const row = (name: string, s: ReturnType<typeof score>, extra = '') =>
  `| ${name} | ${s.r.map((x) => x.toFixed(3)).join(' | ')} | ${s.mrr.toFixed(3)} | ${(s.empty * 100).toFixed(1)}% |${extra}`;
const HEADER = '| variant | R@1 | R@3 | R@10 | R@100 | MRR@10 | no result |\n|---|---:|---:|---:|---:|---:|---:|';
const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!;

// The bot's own search, timed per question.
for (const q of questions.slice(0, 50)) searchContent(q.q, content, 100); // warm-up
const times: number[] = [];
const cpuTimes: number[] = [];
const main = questions.map((q) => {
  const s = performance.now();
  const c = process.cpuUsage();
  const hits = searchContent(q.q, content, 100).hits;
  cpuTimes.push(cpuMs(c));
  times.push(performance.now() - s);
  return hits.map((h) => h.unit);
});
const mainScore = score(main);
const offTopicAnswered = OFF_TOPIC.filter((q) => searchContent(q, content, 1).hits.length > 0);

/** Document expansion learned from the given questions only (./stard.ts), on the units of the corpus. */
const expansionsFrom = (learnFrom: readonly number[]) =>
  lawQuestionOptions(documents, learnExpansions(learnFrom.map((i) => questions[i]!))).expansions ?? new Map();

/** A pipeline over its own index: how the query is made, which index options, which floor. */
function run(index: SearchIndex, query: (text: string) => string | QueryTerm[], floor: number) {
  return questions.map((q) => {
    const terms = query(q.q);
    return typeof terms === 'string' && terms.replace(/\s/g, '').length < 2 ? [] : index.search(terms, { limit: 100, floor }).map((h) => h.unit);
  });
}
const plainOptions: SearchIndexOptions = { priors: false, showOnce: false, unigramWeight: 0 };
const baselineIndex = new SearchIndex(documents, plainOptions);
const baseline = score(run(baselineIndex, (q) => q, 0));

console.log(
  `Retrieval over the national-law corpus (Node ${process.version}): ${documents.length} documents, ${content.search.size} searchable units, ${questions.length} STARD questions\n`,
);
console.log(HEADER);
console.log(row('baseline: plain bigram BM25 of the whole question', baseline));
console.log(row('the bot without law questions: searchContent, all of train', mainScore));
console.log(row(`the bot without law questions, tune part (${TUNE.length})`, score(main, TUNE)));
console.log(row(`the bot without law questions, held-out part (${HELD.length}, never tuned on)`, score(main, HELD)));

/**
 * Cross-fitting: each fold is asked through searchContent over a Content whose law expansion was learned from the
 * other four folds only (the bot's own path: Content → lawQuestionOptions → SearchIndex), so no question is scored on
 * words learned from itself. One fold's Content at a time (each is built, used and dropped).
 */
const crossFitted: Unit[][] = questions.map(() => []);
const articleKeys = new Set(documents.flatMap((d) => d.units.map((u) => `${d.title}#${u.label}`)));
const cfTimes: number[] = [];
const cfCpuTimes: number[] = [];
let foldRss = 0;
let foldBuildCpuMs = 0;
let unmatched = 0;
for (let f = 0; f < FOLDS; f++) {
  const c0 = process.cpuUsage();
  const learned = learnExpansions(questions.filter((q) => foldOf(q) !== f));
  const foldContent = new Content(semester.plan, semester.schedule, documents, undefined, undefined, undefined, semester.terms, [], learned);
  foldBuildCpuMs = Math.max(foldBuildCpuMs, cpuMs(c0));
  if (f === 0) unmatched = [...learned.texts.keys()].filter((k) => !articleKeys.has(k)).length;
  questions.forEach((q, i) => {
    if (foldOf(q) !== f) return;
    const s = performance.now();
    const c = process.cpuUsage();
    crossFitted[i] = searchContent(q.q, foldContent, 100).hits.map((h) => h.unit);
    cfCpuTimes.push(cpuMs(c));
    cfTimes.push(performance.now() - s);
  });
  global.gc?.();
  foldRss = Math.max(foldRss, process.memoryUsage().rss);
}
const cfAll = score(crossFitted);
const cfHeld = score(crossFitted, HELD);
console.log(row(`**the bot with law questions, cross-fitted (${FOLDS} folds), all of train (${questions.length})**`, cfAll));
console.log(row(`the bot with law questions, cross-fitted, tune part (${TUNE.length})`, score(crossFitted, TUNE)));
console.log(row(`the bot with law questions, cross-fitted, held-out part (${HELD.length})`, cfHeld));
console.log(`\n(${unmatched} of the articles cited in folds 1–4 are not in the corpus under the gold's law title and label)`);
console.log('\n| measure | value | target |\n|---|---:|---:|');
console.log(`| R@10 / R@3, the bot without law questions | ${mainScore.r[2]!.toFixed(3)} / ${mainScore.r[1]!.toFixed(3)} | |`);
console.log(`| R@10 / R@3, with law questions, cross-fitted, all of train | ${cfAll.r[2]!.toFixed(3)} / ${cfAll.r[1]!.toFixed(3)} | ≥ 0.65 / ≥ 0.50 |`);
console.log(`| R@10 / R@3, with law questions, cross-fitted, held-out fifth | ${cfHeld.r[2]!.toFixed(3)} / ${cfHeld.r[1]!.toFixed(3)} | |`);
console.log(
  `| keyword query p50 / p99 with law questions, wall / CPU | ${pct(cfTimes, 50).toFixed(2)} / ${pct(cfTimes, 99).toFixed(2)} ms, ${pct(cfCpuTimes, 50).toFixed(2)} / ${pct(cfCpuTimes, 99).toFixed(2)} ms CPU | p99 ≤ 30 ms |`,
);
console.log(
  `| build with law questions (learn + index), CPU; process RSS holding it beside the bench's other indexes | ${(foldBuildCpuMs / 1000).toFixed(1)} s; ${(foldRss / 2 ** 20).toFixed(0)} MB | |`,
);
console.log(`| no-result share | ${(mainScore.empty * 100).toFixed(1)}% | ≤ 2% |`);
console.log(
  `| keyword query p50 / p99, wall (${times.length} questions, top 100) | ${pct(times, 50).toFixed(2)} / ${pct(times, 99).toFixed(2)} ms | p99 ≤ 30 ms |`,
);
console.log(`| keyword query p50 / p99, CPU | ${pct(cpuTimes, 50).toFixed(2)} / ${pct(cpuTimes, 99).toFixed(2)} ms | |`);
console.log(`| build (parse + index, ${documents.length} documents), wall | ${(buildMs / 1000).toFixed(1)} s | ≤ 15 s |`);
console.log(`| build, CPU (of which parse) | ${(buildCpuMs / 1000).toFixed(1)} s (${(parseCpuMs / 1000).toFixed(1)} s) | |`);
console.log(`| load average during the run (2 cores, shared) | ${os.loadavg()[0]!.toFixed(1)} | |`);
console.log(`| RSS after build (before: ${(rssBefore / 2 ** 20).toFixed(0)} MB) | ${(rss / 2 ** 20).toFixed(0)} MB | ≤ 400 MB |`);
console.log(`| off-topic set answered over the corpus (${OFF_TOPIC.length} inputs) | ${offTopicAnswered.length} | |`);
if (offTopicAnswered.length) console.log(`\n(off-topic answered over the corpus: ${offTopicAnswered.join('、')})`);

if (ablation) {
  const withTerms = (q: string) => expandQuery(keywords(q), semester.terms);
  const noTerms = (q: string) => expandQuery(keywords(q), NO_TERMS);
  console.log('\nAblation: each change added to the one before, each on its own index\n');
  console.log(HEADER);
  const noChars: SearchIndexOptions = { unigramWeight: 0 };
  const steps: Array<[string, SearchIndexOptions, (q: string) => string | QueryTerm[], number]> = [
    ['+ question words stripped (keywords())', plainOptions, (q) => keywords(q), 0],
    ['+ identical text of older versions shown once', { ...plainOptions, showOnce: true }, (q) => keywords(q), 0],
    ['+ document priors (semester, newest version, kind of law)', noChars, (q) => keywords(q), 0],
    ['+ lay-to-formal term list', noChars, withTerms, 0],
    ['+ single characters re-rank (weight 0.7)', {}, withTerms, 0],
    ['+ relevance floor (= the bot)', {}, withTerms, RELEVANCE_FLOOR],
  ];
  for (const [name, options, query, floor] of steps) {
    const index = new SearchIndex(documents, options);
    console.log(row(name, score(run(index, query, floor))));
  }
  console.log('\nDocument priors left out one at a time (full pipeline)\n');
  console.log(HEADER);
  for (const [name, priors] of [
    ['no priors', false],
    ['code 1 (not 1.2)', { code: 1 }],
    ['judicial 1, regulation 1, amendment 1', { judicial: 1, regulation: 1, amendment: 1 }],
    ['older version 1 (not 0.9)', { olderVersion: 1 }],
  ] as const) {
    console.log(row(name, score(run(new SearchIndex(documents, { priors }), withTerms, RELEVANCE_FLOOR))));
  }
  console.log('\nHeading weight (full pipeline)\n');
  console.log(HEADER);
  for (const w of [0, 1, 1.5, 2, 3])
    console.log(row(`heading weight ${w}`, score(run(new SearchIndex(documents, { headingWeight: w }), withTerms, RELEVANCE_FLOOR))));
  console.log('\nBM25 parameters (full pipeline; the bot: k1 1.2, b 0.75)\n');
  console.log(HEADER);
  for (const [k1, b] of [
    [0.9, 0.75],
    [1.5, 0.75],
    [1.2, 0.65],
    [1.2, 0.85],
  ] as const)
    console.log(row(`k1 ${k1}, b ${b}`, score(run(new SearchIndex(documents, { k1, b }), withTerms, RELEVANCE_FLOOR))));
  console.log('\nSingle-character weight (full pipeline; 0: characters not indexed)\n');
  console.log(HEADER);
  for (const w of [0, 0.4, 0.7, 1])
    console.log(row(`character weight ${w}`, score(run(new SearchIndex(documents, { unigramWeight: w }), withTerms, RELEVANCE_FLOOR))));
  console.log('\nTerm-list weight (full pipeline)\n');
  console.log(HEADER);
  for (const w of [0.3, 0.45, 0.6, 0.8, 1])
    console.log(row(`term weight ${w}`, score(run(content.search, (q) => expandQuery(keywords(q), { ...semester.terms, weight: w }), RELEVANCE_FLOOR))));
  console.log(row('no term list', score(run(content.search, noTerms, RELEVANCE_FLOOR))));
  console.log(
    '\nRelevance floor (the best unit must reach floor / √(own terms) of the best possible): STARD questions without a result, off-topic inputs answered (corpus / semester content)\n',
  );
  console.log('| floor | STARD no result | R@10 | off-topic answered (corpus) | off-topic answered (semester) |\n|---:|---:|---:|---:|---:|');
  for (const f of [0, 0.1, 0.15, 0.2, 0.22, 0.25, 0.3, 0.4, 0.5]) {
    const s = score(run(content.search, withTerms, f));
    const off = (c: Content) =>
      OFF_TOPIC.filter((q) => {
        const k = keywords(q);
        return k.replace(/\s/g, '').length >= 2 && c.search.search(expandQuery(k, c.terms), { limit: 1, floor: f }).length > 0;
      }).length;
    console.log(`| ${f} | ${(s.empty * 100).toFixed(1)}% | ${s.r[2]!.toFixed(3)} | ${off(content)} | ${off(semester)} |`);
  }
}

if (explore) {
  // Each variant on its own index, scored on the tune part and the held-out part.
  const query = (q: string) => expandQuery(keywords(q), semester.terms);
  const { words } = await import('./jieba-words.ts');
  const inner = process.argv.includes('--inner');
  const learnFrom = inner ? TUNE.filter((_, k) => k % 4 !== 0) : TUNE;
  const scoreOn = inner ? TUNE.filter((_, k) => k % 4 === 0) : HELD;
  const expansions = expansionsFrom(learnFrom);
  /** How often each law answers a tune question: the law-level prior is (1 + count)^γ. */
  const lawCounts = new Map<string, number>();
  for (const i of TUNE) for (const law of new Set(questions[i]!.gold.map((g) => g.law))) lawCounts.set(law, (lawCounts.get(law) ?? 0) + 1);
  const lawWeights = (gamma: number) => new Map([...lawCounts].map(([law, n]) => [law, Math.pow(1 + n, gamma)]));
  console.log(`\nVariants (each on its own index; document expansion from the ${TUNE.length} tune questions, ${expansions.size} units)\n`);
  console.log(
    inner
      ? '| variant | R@3 learned from | R@10 learned from | R@3 inner validation | R@10 inner validation | p99 ms |\n|---|---:|---:|---:|---:|---:|'
      : '| variant | R@3 tune | R@10 tune | R@3 held-out | R@10 held-out | p99 ms |\n|---|---:|---:|---:|---:|---:|',
  );
  const variants: Array<[string, SearchIndexOptions]> = [
    ['bigrams (the bot)', {}],
    ['+ words', { words }],
    ['law weights γ 0.1', { lawWeights: lawWeights(0.1) }],
    ['law weights γ 0.2', { lawWeights: lawWeights(0.2) }],
    ['law weights γ 0.3', { lawWeights: lawWeights(0.3) }],
    ['expansion 0.5', { expansions, expansionWeight: 0.5 }],
    ['expansion 1', { expansions, expansionWeight: 1 }],
    ['expansion 1.5', { expansions, expansionWeight: 1.5 }],
    ['expansion 2', { expansions, expansionWeight: 2 }],
    ['words, expansion 1', { words, expansions, expansionWeight: 1 }],
  ];
  const only = process.argv
    .find((a) => a.startsWith('--variants='))
    ?.slice(11)
    .split(',')
    .map(Number);
  for (const [k, [name, options]] of variants.entries()) {
    if (only && !only.includes(k)) continue;
    const c0 = process.cpuUsage();
    const index = new SearchIndex(documents, options);
    const buildCpu = cpuMs(c0);
    const ts: number[] = [];
    const results = questions.map((q) => {
      const t0 = performance.now();
      const k = keywords(q.q);
      const r = k.replace(/\s/g, '').length < 2 ? [] : index.search(query(q.q), { limit: 100 }).map((h) => h.unit);
      ts.push(performance.now() - t0);
      return r;
    });
    const a = score(results, inner ? learnFrom : TUNE);
    const h = score(results, scoreOn);
    global.gc?.();
    console.log(
      `| ${name} | ${a.r[1]!.toFixed(3)} | ${a.r[2]!.toFixed(3)} | ${h.r[1]!.toFixed(3)} | ${h.r[2]!.toFixed(3)} | ${pct(ts, 99).toFixed(1)} (build ${(buildCpu / 1000).toFixed(1)} s CPU, RSS ${(process.memoryUsage().rss / 2 ** 20).toFixed(0)} MB) |`,
    );
  }
}

if (withJieba) {
  // Not a dependency of the project (docs/retrieval.md says why): loaded only when installed for this measurement.
  let jieba: { cut(text: string, hmm: boolean): string[] };
  try {
    const require = createRequire(import.meta.url);
    const { Jieba } = require('@node-rs/jieba') as { Jieba: { withDict(d: Uint8Array): typeof jieba } };
    jieba = Jieba.withDict((require('@node-rs/jieba/dict') as { dict: Uint8Array }).dict);
  } catch {
    console.log('\n--jieba: @node-rs/jieba is not installed (npm install --no-save @node-rs/jieba@2.0.3); skipped.');
    process.exit(0);
  }
  const words = (text: string) => jieba.cut(text, false).join(' ');
  const full = (q: string) => expandQuery(keywords(q), semester.terms);
  console.log('\nWord segmenter (@node-rs/jieba) beside the bigrams: bigrams made only inside its words\n');
  console.log(HEADER);
  console.log(row('bigrams (the bot)', mainScore));
  console.log(row('query segmented, index as is', score(run(content.search, (q) => expandQuery(words(keywords(q)), semester.terms), RELEVANCE_FLOOR))));
  const c0 = process.cpuUsage();
  const segmented = documents.map((d) => ({ ...d, units: d.units.map((u) => ({ ...u, paragraphs: u.paragraphs.map(words) })) }));
  const segmentMs = cpuMs(c0);
  const segIndex = new SearchIndex(segmented, { preferred: [] });
  console.log(row('query and index segmented', score(run(segIndex, (q) => expandQuery(words(keywords(q)), semester.terms), RELEVANCE_FLOOR))));
  console.log(row('index segmented, query as is', score(run(segIndex, full, RELEVANCE_FLOOR))));
  console.log(`\n(segmenting the corpus: ${(segmentMs / 1000).toFixed(1)} s CPU, on top of the build)`);
}

if (process.argv.includes('--inner-cv')) {
  /**
   * Ideas measured inside the tune part only (folds 1–4; the held-out fold 0 is neither learned from nor scored):
   * each inner fold is scored on an index whose expansion was learned from the other three tune folds. Pooled over
   * the tune part. `--variants=0,3` runs some of them.
   */
  const query = (q: string) => expandQuery(keywords(q), semester.terms);
  const variants: Array<[string, SearchIndexOptions]> = [
    ['expansion 1.5 only', {}],
    ['expansion 2', { expansionWeight: 2 }],
    ['expansion 3', { expansionWeight: 3 }],
    ['expansion 1.5, length-free', { expansionLengthFree: true }],
    ['expansion 1, length-free', { expansionLengthFree: true, expansionWeight: 1 }],
    ['feedback 3 units, 10 terms, 0.2', { feedback: { docs: 3, terms: 10, weight: 0.2 } }],
    ['feedback 5 units, 20 terms, 0.1', { feedback: { docs: 5, terms: 20, weight: 0.1 } }],
    ['feedback 3 units, 10 terms, 0.4', { feedback: { docs: 3, terms: 10, weight: 0.4 } }],
    ['no expansion', { expansionWeight: 0 }],
    ['proximity bonus 0.2', { phraseBonus: 0.2 }],
    ['proximity bonus 0.5', { phraseBonus: 0.5 }],
    ['proximity bonus 1', { phraseBonus: 1 }],
    ['expansion 2, proximity bonus 0.5', { expansionWeight: 2, phraseBonus: 0.5 }],
    ['neighbours k 10, weight 0.02 (the bot before this round)', { neighbours: { questions: [], k: 10, weight: 0.02 } }],
    ['neighbours k 10, weight 0.05', { neighbours: { questions: [], k: 10, weight: 0.05 } }],
    ['neighbours k 5, weight 0.1', { neighbours: { questions: [], k: 5, weight: 0.1 } }],
    ['neighbours k 10, weight 0.3 (too strong)', { neighbours: { questions: [], k: 10, weight: 0.3 } }],
    ['neighbours k 10, weight 0.01', { neighbours: { questions: [], k: 10, weight: 0.01 } }],
    ['expansion 2, neighbours k 10, weight 0.02', { expansionWeight: 2, neighbours: { questions: [], k: 10, weight: 0.02 } }],
    ['expansion 2, neighbours k 20, weight 0.02', { expansionWeight: 2, neighbours: { questions: [], k: 20, weight: 0.02 } }],
    ['neighbours k 10, weight 0.02, sharpness 2', { neighbours: { questions: [], k: 10, weight: 0.02, sharpness: 2 } }],
    ['neighbours k 10, weight 0.03, sharpness 2', { neighbours: { questions: [], k: 10, weight: 0.03, sharpness: 2 } }],
    ['neighbours k 10, weight 0.03, sharpness 4', { neighbours: { questions: [], k: 10, weight: 0.03, sharpness: 4 } }],
    ['neighbours k 10, weight 0.1 of the best unit', { neighbours: { questions: [], k: 10, weight: 0.1, scale: 'best' } }],
    ['neighbours k 10, weight 0.2 of the best unit', { neighbours: { questions: [], k: 10, weight: 0.2, scale: 'best' } }],
    ['the bot + learned term pairs 0.3', { neighbours: { questions: [], k: 10, weight: 0.02 } }],
    ['the bot + learned term pairs 0.6', { neighbours: { questions: [], k: 10, weight: 0.02 } }],
    ['the bot + learned term pairs 0.1', { neighbours: { questions: [], k: 10, weight: 0.02 } }],
    ['the bot + title/chapter field length-free (BM25F)', { headingLengthFree: true, neighbours: { questions: [], k: 10, weight: 0.02 } }],
    ['the bot, k1 0.9', { k1: 0.9, neighbours: { questions: [], k: 10, weight: 0.02 } }],
    ['the bot, k1 1.5', { k1: 1.5, neighbours: { questions: [], k: 10, weight: 0.02 } }],
    ['the bot, b 0.6', { b: 0.6, neighbours: { questions: [], k: 10, weight: 0.02 } }],
    ['the bot, b 0.9', { b: 0.9, neighbours: { questions: [], k: 10, weight: 0.02 } }],
    ['the bot + law agreement top 20, 0.1', { lawAgreement: { pool: 20, weight: 0.1 }, neighbours: { questions: [], k: 10, weight: 0.02 } }],
    ['the bot + law agreement top 20, 0.3', { lawAgreement: { pool: 20, weight: 0.3 }, neighbours: { questions: [], k: 10, weight: 0.02 } }],
    ['the bot + law agreement top 20, 0.6', { lawAgreement: { pool: 20, weight: 0.6 }, neighbours: { questions: [], k: 10, weight: 0.02 } }],
    ['expansion 1, neighbours k 10, weight 0.02', { expansionWeight: 1, neighbours: { questions: [], k: 10, weight: 0.02 } }],
    ['the bot + law agreement top 20, 0.2 (the bot)', { lawAgreement: { pool: 20, weight: 0.2 }, neighbours: { questions: [], k: 10, weight: 0.02 } }],
    ['the bot + law agreement top 10, 0.2', { lawAgreement: { pool: 10, weight: 0.2 }, neighbours: { questions: [], k: 10, weight: 0.02 } }],
    ['the bot + law agreement top 50, 0.2', { lawAgreement: { pool: 50, weight: 0.2 }, neighbours: { questions: [], k: 10, weight: 0.02 } }],
    ['the bot + law agreement top 20, 0.2, b 0.6', { b: 0.6, lawAgreement: { pool: 20, weight: 0.2 }, neighbours: { questions: [], k: 10, weight: 0.02 } }],
    ['the bot + law agreement top 20, 0.2, k1 0.9', { k1: 0.9, lawAgreement: { pool: 20, weight: 0.2 }, neighbours: { questions: [], k: 10, weight: 0.02 } }],
    [
      'the bot + law agreement top 20, 0.2, k1 0.9, b 0.6',
      { k1: 0.9, b: 0.6, lawAgreement: { pool: 20, weight: 0.2 }, neighbours: { questions: [], k: 10, weight: 0.02 } },
    ],
    ['the bot + law agreement top 20, 0.2, neighbours k 20', { lawAgreement: { pool: 20, weight: 0.2 }, neighbours: { questions: [], k: 20, weight: 0.02 } }],
    ['the bot + law agreement top 20, 0.2, b 0.5', { b: 0.5, lawAgreement: { pool: 20, weight: 0.2 }, neighbours: { questions: [], k: 10, weight: 0.02 } }],
    ['the bot + law agreement top 20, 0.1, k1 0.9', { k1: 0.9, lawAgreement: { pool: 20, weight: 0.1 }, neighbours: { questions: [], k: 10, weight: 0.02 } }],
    ['the bot + law agreement top 20, 0.3, k1 0.9', { k1: 0.9, lawAgreement: { pool: 20, weight: 0.3 }, neighbours: { questions: [], k: 10, weight: 0.02 } }],
    ['the bot + law agreement top 20, 0.2, k1 0.75', { k1: 0.75, lawAgreement: { pool: 20, weight: 0.2 }, neighbours: { questions: [], k: 10, weight: 0.02 } }],
  ];
  /** The text of each article by law title and label (the last version loaded), for the term-pair experiment. */
  const articleTexts = new Map<string, string>();
  for (const d of documents) for (const u of d.units) if (u.label) articleTexts.set(`${d.title}#${u.label}`, u.paragraphs.join(''));
  const only = process.argv
    .find((a) => a.startsWith('--variants='))
    ?.slice(11)
    .split(',')
    .map(Number);
  console.log(`\nInner cross-fitting over the tune part (${TUNE.length} questions, folds 1–4; expansion from the other three)\n`);
  console.log(
    HEADER.replace('no result |', 'no result | CPU p99 ms |')
      .replace('---:|\n', '---:|---:|\n')
      .replace(/\|---:\|$/, '|---:|---:|'),
  );
  for (const [k, [name, options]] of variants.entries()) {
    if (only && !only.includes(k)) continue;
    const results: Unit[][] = questions.map(() => []);
    const ts: number[] = [];
    for (let f = 1; f < FOLDS; f++) {
      const learn = questions.filter((q) => foldOf(q) !== f && foldOf(q) !== 0);
      const learned = lawQuestionOptions(documents, learnExpansions(learn));
      const expansions = options.expansionWeight === 0 ? new Map() : learned.expansions;
      const neighbours = options.neighbours && { ...options.neighbours, questions: learned.neighbours!.questions };
      const index = new SearchIndex(documents, { ...options, preferred: [], expansions, ...(neighbours ? { neighbours } : {}) });
      const pairWeight = /term pairs ([\d.]+)/.exec(name)?.[1];
      const pairs = pairWeight ? learnTermPairs(learn, (g) => articleTexts.get(`${g.law}#${g.article}`), tokenize, keywords) : undefined;
      const withPairs = (q: string): QueryTerm[] => {
        const terms = query(q);
        if (!pairs) return terms;
        const extra = new Map<string, number>();
        for (const t of tokenize(keywords(q)))
          for (const [f, share] of pairs.get(t) ?? []) extra.set(f, Math.max(extra.get(f) ?? 0, Number(pairWeight) * share));
        return [...terms, ...[...extra].map(([text, weight]) => ({ text, weight, own: false }))];
      };
      questions.forEach((q, i) => {
        if (foldOf(q) !== f) return;
        const c0 = process.cpuUsage();
        const kw = keywords(q.q);
        results[i] = kw.replace(/\s/g, '').length < 2 ? [] : index.search(withPairs(q.q), { limit: 100 }).map((h) => h.unit);
        ts.push(cpuMs(c0));
      });
      global.gc?.();
    }
    console.log(row(name, score(results, TUNE), ` ${pct(ts, 99).toFixed(1)} |`));
  }
}
