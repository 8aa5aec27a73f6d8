/**
 * Retrieval quality at scale: npm run bench:retrieval [-- --ablation]
 * Loads the 1,527 national laws of ../shared/corpus as content documents (as bench:content does), asks every question
 * of ../shared/corpus/stard-train.jsonl through searchContent (the function the bot answers keyword questions with)
 * and scores the top 100 as the corpus README says (a result is (file, article heading); alt_files count).
 * Baseline in the same run: plain BM25 over character bigrams of the whole question (no question-word stripping,
 * no term list, no priors, no version handling, no floor). With --ablation: each change added one at a time, the
 * heading weight, the term-list weight and the relevance floor swept, each on its own index. With --jieba (after
 * `npm install --no-save @node-rs/jieba@2.0.3`; not a dependency): the word segmenter beside the bigrams.
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

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const CORPUS = path.dirname(lawCorpusTarball(ROOT, process.env.LAWS_CORPUS));
const ablation = process.argv.includes('--ablation');
const withJieba = process.argv.includes('--jieba');
if (!existsSync(path.join(CORPUS, 'laws-cn-national.tar.gz')) || !existsSync(path.join(CORPUS, 'stard-train.jsonl'))) {
  console.log(`bench:retrieval: corpus not found at ${CORPUS} (laws-cn-national.tar.gz, stard-train.jsonl); nothing measured.`);
  process.exit(0);
}

interface Gold {
  file: string;
  article: string;
  alt_files?: string[];
}
interface Question {
  q: string;
  gold: Gold[];
}
const questions: Question[] = readFileSync(path.join(CORPUS, 'stard-train.jsonl'), 'utf8')
  .split('\n')
  .filter((l) => l.trim())
  .map((l) => JSON.parse(l) as Question);

// Unpack into a temporary folder (never committed); file names relative to the corpus root, as the gold uses them.
const corpus = unpackLawCorpus(lawCorpusTarball(ROOT, process.env.LAWS_CORPUS), { skipIndexPages: true });
const files = corpus.files;
const sources = files.map((f) => readFileSync(f, 'utf8'));
const rel = files.map(corpus.relative);
corpus.remove();

const semester = await loadContent(path.join(ROOT, 'content'));
global.gc?.();
const rssBefore = process.memoryUsage().rss;
// Wall time and CPU time: on a shared machine the CPU time is what the work costs, the wall time what it took.
const cpuMs = (since?: NodeJS.CpuUsage) => {
  const u = process.cpuUsage(since);
  return (u.user + u.system) / 1000;
};
let t = performance.now();
let cpu = process.cpuUsage();
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
function score(results: Array<Unit[]>) {
  const sum = { r: KS.map(() => 0), mrr: 0, empty: 0 };
  results.forEach((units, i) => {
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
  const n = results.length;
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

/** A pipeline over its own index: how the query is made, which index options, which floor. */
function run(index: SearchIndex, query: (text: string) => string | QueryTerm[], floor: number) {
  return questions.map((q) => {
    const terms = query(q.q);
    return (typeof terms === 'string' && terms.replace(/\s/g, '').length < 2) ? [] : index.search(terms, { limit: 100, floor }).map((h) => h.unit);
  });
}
const plainOptions: SearchIndexOptions = { priors: false, showOnce: false, unigramWeight: 0 };
const baselineIndex = new SearchIndex(documents, plainOptions);
const baseline = score(run(baselineIndex, (q) => q, 0));

console.log(`Retrieval over the national-law corpus (Node ${process.version}): ${documents.length} documents, ${content.search.size} searchable units, ${questions.length} STARD questions\n`);
console.log(HEADER);
console.log(row('baseline: plain bigram BM25 of the whole question', baseline));
console.log(row('the bot: searchContent', mainScore));
console.log('\n| measure | value | target |\n|---|---:|---:|');
console.log(`| R@10 / R@3 | ${mainScore.r[2]!.toFixed(3)} / ${mainScore.r[1]!.toFixed(3)} | ≥ 0.55 / ≥ 0.42 |`);
console.log(`| no-result share | ${(mainScore.empty * 100).toFixed(1)}% | ≤ 2% |`);
console.log(`| keyword query p50 / p99, wall (${times.length} questions, top 100) | ${pct(times, 50).toFixed(2)} / ${pct(times, 99).toFixed(2)} ms | p99 ≤ 30 ms |`);
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
  for (const [name, priors] of [['no priors', false], ['code 1 (not 1.2)', { code: 1 }], ['judicial 1, regulation 1, amendment 1', { judicial: 1, regulation: 1, amendment: 1 }], ['older version 1 (not 0.9)', { olderVersion: 1 }]] as const) {
    console.log(row(name, score(run(new SearchIndex(documents, { priors }), withTerms, RELEVANCE_FLOOR))));
  }
  console.log('\nHeading weight (full pipeline)\n');
  console.log(HEADER);
  for (const w of [0, 1, 1.5, 2, 3]) console.log(row(`heading weight ${w}`, score(run(new SearchIndex(documents, { headingWeight: w }), withTerms, RELEVANCE_FLOOR))));
  console.log('\nBM25 parameters (full pipeline; the bot: k1 1.2, b 0.75)\n');
  console.log(HEADER);
  for (const [k1, b] of [[0.9, 0.75], [1.5, 0.75], [1.2, 0.65], [1.2, 0.85]] as const) console.log(row(`k1 ${k1}, b ${b}`, score(run(new SearchIndex(documents, { k1, b }), withTerms, RELEVANCE_FLOOR))));
  console.log('\nSingle-character weight (full pipeline; 0: characters not indexed)\n');
  console.log(HEADER);
  for (const w of [0, 0.4, 0.7, 1]) console.log(row(`character weight ${w}`, score(run(new SearchIndex(documents, { unigramWeight: w }), withTerms, RELEVANCE_FLOOR))));
  console.log('\nTerm-list weight (full pipeline)\n');
  console.log(HEADER);
  for (const w of [0.3, 0.45, 0.6, 0.8, 1]) console.log(row(`term weight ${w}`, score(run(content.search, (q) => expandQuery(keywords(q), { ...semester.terms, weight: w }), RELEVANCE_FLOOR))));
  console.log(row('no term list', score(run(content.search, noTerms, RELEVANCE_FLOOR))));
  console.log('\nRelevance floor (the best unit must reach floor / √(own terms) of the best possible): STARD questions without a result, off-topic inputs answered (corpus / semester content)\n');
  console.log('| floor | STARD no result | R@10 | off-topic answered (corpus) | off-topic answered (semester) |\n|---:|---:|---:|---:|---:|');
  for (const f of [0, 0.1, 0.15, 0.2, 0.22, 0.25, 0.3, 0.4, 0.5]) {
    const s = score(run(content.search, withTerms, f));
    const off = (c: Content) => OFF_TOPIC.filter((q) => {
      const k = keywords(q);
      return k.replace(/\s/g, '').length >= 2 && c.search.search(expandQuery(k, c.terms), { limit: 1, floor: f }).length > 0;
    }).length;
    console.log(`| ${f} | ${(s.empty * 100).toFixed(1)}% | ${s.r[2]!.toFixed(3)} | ${off(content)} | ${off(semester)} |`);
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
