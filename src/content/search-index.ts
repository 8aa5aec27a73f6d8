import type { RegulationDocument, Unit } from './documents.ts';
import { characters, isHan, tokenize } from './tokenizer.ts';
import { documentPriors, unitsShownOnce, type PriorWeights } from './search-priors.ts';

/**
 * Keyword search over every unit (article, point, paragraph) of every document: an inverted index of the bigram
 * tokens (./tokenizer.ts) ranked by BM25 over every term a unit shares with the query (no coverage rule: a lay
 * question is mostly filler, and requiring a share of its terms dropped most right answers, docs/retrieval.md).
 * Headings (document title and chapter/section path) count extra, and single characters of the user's words re-rank
 * the candidates a little. Each document's score is scaled by a prior (./search-priors.ts: the semester's own
 * materials first, newest version of a law, codes and laws before rules); identical text in older versions of a law
 * is not indexed at all, so it is shown once, from the newest version. A relevance floor (the share of the query's
 * own best possible score that the best unit reaches) keeps nonsense out.
 *
 * Our own rather than MiniSearch: with bigrams over the 64k-article corpus MiniSearch was far slower to build and to
 * query (no longer a dependency, so not re-measured); this flat index with typed-array postings builds in a few
 * seconds (npm run bench:content). It does one thing: weighted exact-token BM25 over short Chinese units.
 */
export interface SearchHit {
  unit: Unit;
  /** BM25 times the document prior: what results are ordered by. */
  score: number;
  /** BM25 of the query's terms (single characters aside) over the best possible (0..1). */
  relevance: number;
}

/** A query term with its weight (1 for the user's own words, less for expansions such as 偷 → 盗窃). */
export interface QueryTerm {
  text: string;
  weight: number;
  /** Whether these are the user's own words (default true), not expansions: the floor scales with their number and
   * only their characters re-rank. */
  own?: boolean;
}

export interface SearchIndexOptions {
  /** Ids of the semester's own materials: preferred over anything else loaded. */
  preferred?: Iterable<string>;
  /** How much a heading token counts against one in the text (measured, docs/retrieval.md). */
  headingWeight?: number;
  /** Prior weights (default PRIORS); false for none. Other values are for measurement (npm run bench:retrieval). */
  priors?: Partial<PriorWeights> | boolean;
  /** Whether identical text in older versions is left out (default true); false for measurement. */
  showOnce?: boolean;
  /** Weight of single characters against the query's own bigrams (default UNIGRAM_WEIGHT; 0: not indexed). */
  unigramWeight?: number;
  /** BM25 parameters (defaults K1, B); other values are for measurement. */
  k1?: number;
  b?: number;
  /**
   * Words of a segmenter (./words.ts), indexed beside the bigrams as tokens of their own: a real word ("劳动合同")
   * then counts more than the bigrams across word boundaries ("动合"). Undefined: bigrams only.
   */
  words?: (text: string) => string[];
  /** Weight of a word token against a bigram (default WORD_WEIGHT). */
  wordWeight?: number;
  /**
   * A multiplier per document title (a prior for which law a question is about, learned from questions known to be
   * answered by each law: npm run bench:retrieval). Titles not listed: 1.
   */
  lawWeights?: ReadonlyMap<string, number>;
  /** Extra text per unit (document expansion: questions known to be answered by it), indexed at `expansionWeight`. */
  expansions?: ReadonlyMap<Unit, string>;
  expansionWeight?: number;
  /**
   * Whether expansion text escapes the unit's length normalisation (a field of its own, as in BM25F): a long article
   * then gains as much from a question's words as a short one. Default false; measured in bench:retrieval --explore.
   */
  expansionLengthFree?: boolean;
  /**
   * Pseudo-relevance feedback (RM3-like): the query is run, the best `terms` bigrams of its first `docs` units
   * (by tf/length × idf, not in the query, not common) are added at `weight`, and it is run again. Undefined: none.
   */
  feedback?: { docs: number; terms: number; weight: number };
  /**
   * Whether title and chapter tokens escape the unit's length normalisation (BM25F with a heading field whose length
   * is not normalised): a long article's heading then counts as much as a short one's. Default false; measured in
   * bench:retrieval --inner-cv.
   */
  headingLengthFree?: boolean;
  /**
   * Law agreement: among the best `pool` units, each gains `weight` × the share of the similar questions' votes (see
   * `neighbours`) that went to its document, so an article of the law the neighbours point to rises within the
   * top. Needs `neighbours`. Undefined: none; measured in bench:retrieval --inner-cv.
   */
  lawAgreement?: { pool: number; weight: number };
  /** Proximity bonus for the query's three-character runs found in order (0: none); see #phraseRerank. */
  phraseBonus?: number;
  /**
   * Questions known to be answered by units: the `k` most like the query vote for their units, each by its score
   * over the best one's (to the power `sharpness`, default 1), and a unit gains `weight` × its votes × the query's
   * best possible score (`scale` 'possible', the default) or the best unit's score ('best'). Undefined: none.
   */
  neighbours?: { questions: ReadonlyArray<{ text: string; units: readonly Unit[] }>; k: number; weight: number; sharpness?: number; scale?: 'possible' | 'best' };
}

export interface SearchOptions {
  limit?: number;
  /** The relevance floor (0 for none); default RELEVANCE_FLOOR. */
  floor?: number;
}

const K1 = 1.2;
const B = 0.75;
export const HEADING_WEIGHT = 1.5;
export const UNIGRAM_WEIGHT = 0.7;
export const WORD_WEIGHT = 1;
/** Weight of a unit's expansion text against its own (chosen inside the STARD tune part: docs/retrieval.md). */
export const EXPANSION_WEIGHT = 1.5;
/** A word token: never equal to a bigram or a character token. */
const WORD = '\u0001';
/**
 * A term in more units than this only re-ranks the candidates the rarer terms found (a cost rule: walking a few
 * thousand postings is cheap, so a small index is searched exhaustively).
 */
const COMMON_POSTINGS = 2000;
/** How many of the best candidates the proximity bonus re-orders. */
const PHRASE_POOL = 50;
/**
 * The best unit must reach RELEVANCE_FLOOR / √(the query's own terms) of the query's best possible score, or there is
 * no answer. Calibrated on the off-topic set and the lay questions (test/answers, semester content) and the STARD
 * questions (npm run bench:retrieval, 64k articles): docs/retrieval.md.
 */
export const RELEVANCE_FLOOR = 0.22;

export class SearchIndex {
  readonly #units: Unit[] = [];
  readonly #unitPrior: Float32Array;
  readonly #lengths: Float32Array;
  readonly #termIds = new Map<string, number>();
  /** Postings of term t are positions offsets[t] .. offsets[t+1] of postingUnits/postingWeights (units ascending). */
  readonly #offsets: Int32Array;
  readonly #postingUnits: Int32Array;
  readonly #postingWeights: Float32Array;
  readonly #avgLength: number;
  readonly #k1: number;
  readonly #unigramWeight: number;
  readonly #b: number;
  /** Score accumulator, reused by every query (queries are synchronous, so never shared). */
  readonly #raw: Float64Array;
  /** The part of each unit's score that the floor is measured on (terms, not single characters). */
  readonly #terms: Float64Array;
  readonly #seen: Uint8Array;
  readonly #words: ((text: string) => string[]) | undefined;
  readonly #wordWeight: number;
  readonly #feedback: SearchIndexOptions['feedback'];
  readonly #phraseBonus: number;
  readonly #lawAgreement: SearchIndexOptions['lawAgreement'];
  readonly #docOf: Int32Array;
  readonly #neighbours: { index: SearchIndex; votesFor: Map<Unit, readonly number[]>; k: number; weight: number; sharpness: number; scale: number } | undefined;

  constructor(documents: readonly RegulationDocument[], options: SearchIndexOptions = {}) {
    const headingWeight = options.headingWeight ?? HEADING_WEIGHT;
    this.#k1 = options.k1 ?? K1;
    this.#unigramWeight = options.unigramWeight ?? UNIGRAM_WEIGHT;
    this.#b = options.b ?? B;
    this.#words = options.words;
    this.#wordWeight = options.wordWeight ?? WORD_WEIGHT;
    const expansionWeight = options.expansionWeight ?? EXPANSION_WEIGHT;
    this.#feedback = options.feedback;
    this.#phraseBonus = options.phraseBonus ?? 0;
    this.#lawAgreement = options.lawAgreement;
    const docOf: number[] = [];
    const preferred = new Set(options.preferred ?? []);
    const priors = documentPriors(documents, preferred, options.priors ?? true).map((p, i) => p * (options.lawWeights?.get(documents[i]!.title) ?? 1));
    const skip = options.showOnce === false ? new Set<Unit>() : unitsShownOnce(documents, preferred);
    // One pass collects (term, unit, weight) triples in growable typed arrays; a counting sort by term then lays the
    // postings out flat. Peak memory stays near the size of the result instead of millions of small JS arrays.
    const lengths: number[] = [];
    const unitPrior: number[] = [];
    let terms = new Int32Array(1 << 12);
    let units = new Int32Array(1 << 12);
    let weights = new Float32Array(1 << 12);
    let count = 0;
    const push = (term: number, unit: number, weight: number) => {
      if (count === terms.length) {
        const grow = <T extends Int32Array | Float32Array>(a: T): T => {
          const b = new (a.constructor as new (n: number) => T)(a.length * 2);
          b.set(a);
          return b;
        };
        terms = grow(terms);
        units = grow(units);
        weights = grow(weights);
      }
      terms[count] = term;
      units[count] = unit;
      weights[count++] = weight;
    };
    const idOf = (t: string) => {
      let id = this.#termIds.get(t);
      if (id === undefined) this.#termIds.set(t, (id = this.#termIds.size));
      return id;
    };
    // Term frequencies of the unit being indexed: a dense array by term id plus the ids it holds (a Map per unit
    // made the build twice as slow), and single characters mapped to their term ids by char code.
    let tf = new Float32Array(1 << 16);
    const held: number[] = [];
    const add = (id: number, w: number) => {
      if (id >= tf.length) {
        const bigger = new Float32Array(tf.length * 2);
        bigger.set(tf);
        tf = bigger;
      }
      if (tf[id] === 0) held.push(id);
      tf[id]! += w;
    };
    const charIds = new Int32Array(0x10000).fill(-1);
    // The average length is known only after the pass; length-free expansion needs it before (a pre-pass, only then).
    let avgLengthAhead = 1;
    if (options.expansionLengthFree || options.headingLengthFree) {
      let sum = 0;
      let n = 0;
      for (const d of documents) {
        for (const u of d.units) {
          if (skip.has(u)) continue;
          sum += tokenize(u.paragraphs.join('\n')).length;
          n++;
        }
      }
      avgLengthAhead = sum / Math.max(1, n);
    }
    documents.forEach((d, di) => {
      const headingTokens = new Map<string, number[]>();
      for (const u of d.units) {
        if (skip.has(u)) continue;
        const n = this.#units.push(u) - 1;
        const body = u.paragraphs.join('\n').normalize('NFKC');
        const text = tokenize(body);
        for (const t of text) add(idOf(t), 1);
        if (this.#words) for (const w of this.#words(body)) add(idOf(WORD + w), this.#wordWeight);
        const extra = options.expansions?.get(u);
        if (extra) {
          // Length-free: scaled by the norm the query divides by, so the unit's length leaves it as it is.
          const scale = options.expansionLengthFree ? 1 - this.#b + (this.#b * text.length) / avgLengthAhead : 1;
          for (const t of tokenize(extra)) add(idOf(t), expansionWeight * scale);
          if (this.#words) for (const w of this.#words(extra)) add(idOf(WORD + w), this.#wordWeight * expansionWeight * scale);
        }
        if (this.#unigramWeight > 0) {
          for (let i = 0; i < body.length; i++) {
            const c = body.charCodeAt(i);
            if (!isHan(c)) continue;
            let id = charIds[c]!;
            if (id < 0) charIds[c] = id = idOf(characters(body[i]!)[0]!);
            add(id, 1);
          }
        }
        const headingKey = u.path.join('\n');
        let heading = headingTokens.get(headingKey);
        if (!heading) headingTokens.set(headingKey, (heading = [...new Set(tokenize([d.title, ...u.path].join(' ')).map(idOf))]));
        // Length-free heading: scaled by the norm the query divides by, as the length-free expansion is.
        const headingScale = options.headingLengthFree ? 1 - this.#b + (this.#b * text.length) / avgLengthAhead : 1;
        for (const id of heading) add(id, headingWeight * headingScale);
        lengths.push(text.length);
        unitPrior.push(priors[di]!);
        docOf.push(di);
        for (const id of held) {
          push(id, n, tf[id]!);
          tf[id] = 0;
        }
        held.length = 0;
      }
    });
    const termCount = this.#termIds.size;
    const offsets = new Int32Array(termCount + 1);
    for (let i = 0; i < count; i++) offsets[terms[i]! + 1]!++;
    for (let t = 0; t < termCount; t++) offsets[t + 1]! += offsets[t]!;
    const cursor = offsets.slice(0, termCount);
    this.#postingUnits = new Int32Array(count);
    this.#postingWeights = new Float32Array(count);
    for (let i = 0; i < count; i++) {
      const at = cursor[terms[i]!]!++;
      this.#postingUnits[at] = units[i]!;
      this.#postingWeights[at] = weights[i]!;
    }
    this.#offsets = offsets;
    this.#lengths = Float32Array.from(lengths);
    this.#unitPrior = Float32Array.from(unitPrior);
    this.#docOf = Int32Array.from(docOf);
    this.#avgLength = lengths.reduce((a, b) => a + b, 0) / Math.max(1, lengths.length);
    this.#raw = new Float64Array(this.#units.length);
    this.#terms = new Float64Array(this.#units.length);
    this.#seen = new Uint8Array(this.#units.length);
    const nb = options.neighbours;
    if (nb && nb.questions.length) {
      const position = new Map(this.#units.map((u, n) => [u, n]));
      const votesFor = new Map<Unit, readonly number[]>();
      const units: Unit[] = nb.questions.map(({ text, units: cited }, i) => {
        const u: Unit = { id: `q#${i}`, docId: 'q', kind: 'paragraph', number: undefined, suffix: undefined, label: '', path: [], paragraphs: [text], line: 0 };
        votesFor.set(u, cited.flatMap((c) => (position.has(c) ? [position.get(c)!] : [])));
        return u;
      });
      const doc: RegulationDocument = { id: 'q', title: '', shortTitle: '', aliases: [], numbering: 'sections', file: '', preamble: [], chapters: [], units };
      this.#neighbours = { index: new SearchIndex([doc], { priors: false, showOnce: false }), votesFor, k: nb.k, weight: nb.weight, sharpness: nb.sharpness ?? 1, scale: nb.scale === 'best' ? 1 : 0 };
    }
  }

  /** In how many units a token occurs (0 for one found nowhere). */
  frequency(token: string): number {
    const id = this.#termIds.get(token);
    return id === undefined ? 0 : this.#offsets[id + 1]! - this.#offsets[id]!;
  }

  get size(): number {
    return this.#units.length;
  }

  /**
   * The best units for a query: a plain string (its tokens weigh 1) or weighted terms (each tokenized; a token's
   * weight is the largest it is given). Best score first; ties in document order.
   */
  search(query: string | readonly QueryTerm[], options: SearchOptions = {}): SearchHit[] {
    const feedback = this.#feedback;
    if (!feedback) return this.#searchOnce(query, options);
    const limit = options.limit ?? 3;
    const first = this.#searchOnce(query, { ...options, limit: Math.max(feedback.docs, limit) });
    if (first.length === 0) return first;
    const terms: QueryTerm[] = typeof query === 'string' ? [{ text: query, weight: 1 }] : [...query];
    const extra = this.#feedbackTerms(terms, first.slice(0, feedback.docs), feedback.terms);
    if (extra.length === 0) return first.slice(0, limit);
    // The first run decided that there is an answer; the second only re-orders.
    return this.#searchOnce([...terms, ...extra.map((text) => ({ text, weight: feedback.weight, own: false }))], { ...options, floor: 0 });
  }

  /** The best bigrams of the first units (tf/length × idf, weighted by the unit's share of the best score). */
  #feedbackTerms(query: readonly QueryTerm[], hits: readonly SearchHit[], count: number): string[] {
    const inQuery = new Set(query.flatMap((q) => tokenize(q.text)));
    const N = this.#units.length;
    const weights = new Map<string, number>();
    const top = hits[0]!.score;
    for (const { unit, score } of hits) {
      const tokens = tokenize(unit.paragraphs.join('\n'));
      for (const t of tokens) {
        if (inQuery.has(t)) continue;
        const df = this.frequency(t);
        if (df === 0 || df > COMMON_POSTINGS) continue;
        const idf = Math.log(1 + (N - df + 0.5) / (df + 0.5));
        weights.set(t, (weights.get(t) ?? 0) + ((score / top) * idf) / tokens.length);
      }
    }
    return [...weights.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, count)
      .map(([t]) => t);
  }

  #searchOnce(query: string | readonly QueryTerm[], options: SearchOptions = {}): SearchHit[] {
    const limit = options.limit ?? 3;
    const floor = options.floor ?? RELEVANCE_FLOOR;
    // Token → weight, negative for expansions (so one map holds both; a token keeps its largest weight, own first).
    const weighted = new Map<string, number>();
    for (const { text, weight, own = true } of typeof query === 'string' ? [{ text: query, weight: 1 }] : query) {
      const tokens = tokenize(text);
      if (this.#words) for (const w of this.#words(text)) tokens.push(WORD + w);
      for (const t of tokens) {
        const before = weighted.get(t);
        if (before === undefined || (own && before < 0) || (own === (before > 0) && weight > Math.abs(before))) weighted.set(t, own ? weight : -weight);
      }
    }
    if (weighted.size === 0 || limit <= 0) return [];
    const raw = this.#raw;
    const seen = this.#seen;
    const touched: number[] = [];
    // The best a unit could score on this query: every term with the saturated BM25 term frequency. A term found
    // nowhere counts with the idf of the rarest term, so words the content does not know lower every relevance.
    let best = 0;
    let ownTerms = 0;
    // Rarer terms find the candidates; the most common ones (say 规定, 应当) only add to candidates found: walking
    // their postings would touch most of the index for a small change in score. Unless nothing else matched.
    const common: Array<[string, number]> = [];
    for (const [term, signed] of weighted) {
      if (signed > 0) ownTerms++;
      if (this.frequency(term) > COMMON_POSTINGS) common.push([term, Math.abs(signed)]);
      else best += this.#accumulate(term, Math.abs(signed), touched);
    }
    for (const [term, weight] of common) best += touched.length ? this.#rerank(term, weight, touched) : this.#accumulate(term, weight, touched);
    // Single characters of the user's own words only re-rank units that share a term: alone they match anything.
    const terms = this.#terms;
    let bestTerms = 0;
    for (const n of touched) {
      terms[n] = raw[n]!;
      if (raw[n]! > bestTerms) bestTerms = raw[n]!;
    }
    // Questions like this one vote for the units that answered them; after the floor's share is taken, so votes
    // alone never make an answer.
    const nb = this.#neighbours;
    const agreement = this.#lawAgreement;
    /** Votes per document (law agreement): document index → summed share of the best neighbour's score. */
    const docVotes = new Map<number, number>();
    let allVotes = 0;
    if (nb) {
      const similar = nb.index.search(query, { limit: nb.k, floor: 0 });
      for (const { unit, score } of similar) {
        if (agreement) {
          const docs = new Set((nb.votesFor.get(unit) ?? []).map((n) => this.#docOf[n]!));
          const share = score / similar[0]!.score;
          for (const d of docs) docVotes.set(d, (docVotes.get(d) ?? 0) + share);
          if (docs.size) allVotes += share;
        }
        for (const n of nb.votesFor.get(unit) ?? []) {
          if (seen[n] === 0) {
            seen[n] = 1;
            touched.push(n);
            terms[n] = 0;
          }
          raw[n]! += nb.weight * (nb.scale === 1 ? bestTerms : best) * Math.pow(score / similar[0]!.score, nb.sharpness);
        }
      }
    }
    if (this.#unigramWeight > 0) {
      const chars = new Set((typeof query === 'string' ? [query] : query.filter((q) => q.own !== false).map((q) => q.text)).flatMap(characters));
      for (const c of chars) this.#rerank(c, this.#unigramWeight, touched);
    }
    const top: Array<[number, number]> = [];
    const phrase = this.#phraseBonus;
    const pool = Math.max(limit, phrase ? PHRASE_POOL : 0, agreement && allVotes > 0 ? agreement.pool : 0);
    for (const n of touched) {
      const s = raw[n]! * this.#unitPrior[n]!;
      raw[n] = 0;
      seen[n] = 0;
      if (s > 0 && (top.length < pool || s > top[top.length - 1]![1])) insert(top, n, s, pool);
    }
    if (agreement && allVotes > 0) {
      for (const entry of top.slice(0, agreement.pool)) entry[1] *= 1 + (agreement.weight * (docVotes.get(this.#docOf[entry[0]]!) ?? 0)) / allVotes;
      top.sort((a, b) => b[1] - a[1] || a[0] - b[0]);
    }
    if (phrase) this.#phraseRerank(query, top, phrase, limit);
    top.length = Math.min(top.length, limit);
    const hits = top.map(([n, s]) => ({ unit: this.#units[n]!, score: s, relevance: terms[n]! / best }));
    // The floor decides whether to answer at all: some unit must match the query's terms well enough. A long question
    // carries more filler than a short one, so the share it must reach falls with the number of its own terms.
    return bestTerms / best >= floor / Math.sqrt(ownTerms) ? hits : [];
  }

  /**
   * Proximity: each candidate's score grows by `weight` × the share of the query's own three-character runs (found in
   * some candidate) that its text holds in order, so "个体工商户" written out beats its bigrams scattered apart.
   */
  #phraseRerank(query: string | readonly QueryTerm[], top: Array<[number, number]>, weight: number, limit: number): void {
    const own = typeof query === 'string' ? [query] : query.filter((q) => q.own !== false).map((q) => q.text);
    const grams = new Set<string>();
    for (const text of own) {
      for (const m of text.normalize('NFKC').matchAll(/[\u3400-\u9fff]{3,}/g)) for (let i = 0; i + 3 <= m[0].length; i++) grams.add(m[0].slice(i, i + 3));
    }
    if (grams.size > 0) {
      const texts = top.map(([n]) => this.#units[n]!.paragraphs.join('').normalize('NFKC'));
      const found = [...grams].filter((g) => texts.some((t) => t.includes(g)));
      if (found.length > 0) {
        top.forEach((entry, i) => {
          const held = found.filter((g) => texts[i]!.includes(g)).length;
          entry[1] *= 1 + (weight * held) / found.length;
        });
        top.sort((a, b) => b[1] - a[1] || a[0] - b[0]);
      }
    }
    top.length = Math.min(top.length, limit);
  }

  /** Adds a term's BM25 to the score of every unit holding it (recorded in `touched`); returns its best possible. */
  #accumulate(term: string, weight: number, touched: number[]): number {
    const N = this.#units.length;
    const k1 = this.#k1;
    const b = this.#b;
    const raw = this.#raw;
    const seen = this.#seen;
    const id = this.#termIds.get(term);
    const start = id === undefined ? 0 : this.#offsets[id]!;
    const end = id === undefined ? 0 : this.#offsets[id + 1]!;
    const df = end - start;
    const idf = Math.log(1 + (N - df + 0.5) / (df + 0.5));
    for (let i = start; i < end; i++) {
      const n = this.#postingUnits[i]!;
      if (seen[n] === 0) {
        seen[n] = 1;
        touched.push(n);
      }
      const tf = this.#postingWeights[i]!;
      raw[n]! += (weight * idf * tf * (k1 + 1)) / (tf + k1 * (1 - b + (b * this.#lengths[n]!) / this.#avgLength));
    }
    return weight * idf * (k1 + 1);
  }

  /**
   * Adds a term's BM25 to units already touched only. A common character's postings run to tens of thousands, so
   * when the touched units are few they are looked up in the sorted postings instead of walking them all.
   */
  #rerank(term: string, weight: number, touched: readonly number[]): number {
    const id = this.#termIds.get(term);
    if (id === undefined) return 0;
    const start = this.#offsets[id]!;
    const end = this.#offsets[id + 1]!;
    const N = this.#units.length;
    const df = end - start;
    const idf = Math.log(1 + (N - df + 0.5) / (df + 0.5));
    const k1 = this.#k1;
    const b = this.#b;
    const units = this.#postingUnits;
    const score = (n: number, i: number) => {
      const tf = this.#postingWeights[i]!;
      this.#raw[n]! += (weight * idf * tf * (k1 + 1)) / (tf + k1 * (1 - b + (b * this.#lengths[n]!) / this.#avgLength));
    };
    if (touched.length * 20 < df) {
      for (const n of touched) {
        let lo = start;
        let hi = end - 1;
        while (lo <= hi) {
          const mid = (lo + hi) >>> 1;
          const u = units[mid]!;
          if (u === n) {
            score(n, mid);
            break;
          }
          if (u < n) lo = mid + 1;
          else hi = mid - 1;
        }
      }
    } else {
      for (let i = start; i < end; i++) if (this.#seen[units[i]!] !== 0) score(units[i]!, i);
    }
    return weight * idf * (k1 + 1);
  }
}

/** Inserts (n, s) into `top`, kept sorted by score (then unit order) and at most `limit` long. */
function insert(top: Array<[number, number]>, n: number, s: number, limit: number): void {
  let i = top.length;
  while (i > 0 && (top[i - 1]![1] < s || (top[i - 1]![1] === s && top[i - 1]![0] > n))) i--;
  top.splice(i, 0, [n, s]);
  if (top.length > limit) top.pop();
}
