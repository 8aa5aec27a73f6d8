import type { RegulationDocument, Unit } from './documents.ts';
import { tokenize } from './tokenizer.ts';

/**
 * Keyword search over every unit (article, point, paragraph) of every document: an inverted index of the bigram
 * tokens (./tokenizer.ts) ranked by BM25, headings (document title and chapter/section path) weighted 1.5x.
 * Precise first (every query term must occur), then broader (a unit must share at least half of the terms).
 *
 * Our own rather than MiniSearch: with bigrams over the 64k-article corpus MiniSearch took 98 s and 611 MB to build
 * and 88 ms p99 per query (npm run bench:content); this flat index with typed-array postings does it in a few
 * seconds. It does one thing: exact-token BM25 over short Chinese units.
 */
export interface SearchHit {
  unit: Unit;
  score: number;
  /** true when only some query terms matched (the broader search). */
  partial: boolean;
}

const K1 = 1.2;
const B = 0.75;
const HEADING_WEIGHT = 1.5;

/** A term's postings: a slice [start, end) of the flat arrays. */
interface Postings {
  start: number;
  end: number;
}

export class SearchIndex {
  readonly #units: Unit[] = [];
  readonly #lengths: Float32Array;
  readonly #termIds = new Map<string, number>();
  /** Postings of term t are positions offsets[t] .. offsets[t+1] of postingUnits/postingWeights (units ascending). */
  readonly #offsets: Int32Array;
  readonly #postingUnits: Int32Array;
  readonly #postingWeights: Float32Array;
  readonly #avgLength: number;
  /** Score accumulator, reused by every query (queries are synchronous, so never shared). */
  readonly #scores: Float64Array;
  readonly #hits: Uint16Array;

  constructor(documents: readonly RegulationDocument[]) {
    // One pass collects (term, unit, weight) triples in growable typed arrays; a counting sort by term then lays the
    // postings out flat. Peak memory stays near the size of the result instead of millions of small JS arrays.
    const lengths: number[] = [];
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
    for (const d of documents) {
      const headingTokens = new Map<string, number[]>();
      for (const u of d.units) {
        const n = this.#units.push(u) - 1;
        const tf = new Map<number, number>();
        const text = tokenize(u.paragraphs.join('\n'));
        for (const t of text) {
          const id = idOf(t);
          tf.set(id, (tf.get(id) ?? 0) + 1);
        }
        const headingKey = u.path.join('\n');
        let heading = headingTokens.get(headingKey);
        if (!heading) headingTokens.set(headingKey, (heading = tokenize([d.title, ...u.path].join(' ')).map(idOf)));
        for (const id of heading) tf.set(id, (tf.get(id) ?? 0) + HEADING_WEIGHT);
        lengths.push(text.length);
        for (const [id, w] of tf) push(id, n, w);
      }
    }
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
    this.#avgLength = lengths.reduce((a, b) => a + b, 0) / Math.max(1, lengths.length);
    this.#scores = new Float64Array(this.#units.length);
    this.#hits = new Uint16Array(this.#units.length);
  }

  #postings(term: string): Postings | undefined {
    const id = this.#termIds.get(term);
    return id === undefined ? undefined : { start: this.#offsets[id]!, end: this.#offsets[id + 1]! };
  }

  get size(): number {
    return this.#units.length;
  }

  search(query: string, limit = 3): SearchHit[] {
    const terms = [...new Set(tokenize(query))];
    if (terms.length === 0) return [];
    const lists = terms.map((t) => this.#postings(t));
    const precise = lists.every(Boolean) ? this.#rank(lists as Postings[], lists.length, limit) : [];
    if (precise.length) return precise.map(([n, score]) => ({ unit: this.#units[n]!, score, partial: false }));
    const present = lists.filter((p): p is Postings => p !== undefined);
    // Broader: a unit must share at least half of the query's terms to be worth showing.
    const broader = this.#rank(present, Math.ceil(terms.length / 2), limit);
    return broader.map(([n, score]) => ({ unit: this.#units[n]!, score, partial: true }));
  }

  /** Units containing at least `minTerms` of the lists, best BM25 first. */
  #rank(lists: Postings[], minTerms: number, limit: number): Array<[number, number]> {
    if (lists.length < minTerms || lists.length === 0) return [];
    const scores = this.#scores;
    const hits = this.#hits;
    const touched: number[] = [];
    const N = this.#units.length;
    for (const p of lists) {
      const df = p.end - p.start;
      const idf = Math.log(1 + (N - df + 0.5) / (df + 0.5));
      for (let i = p.start; i < p.end; i++) {
        const n = this.#postingUnits[i]!;
        const tf = this.#postingWeights[i]!;
        if (hits[n] === 0) touched.push(n);
        hits[n]!++;
        scores[n]! += (idf * tf * (K1 + 1)) / (tf + K1 * (1 - B + (B * this.#lengths[n]!) / this.#avgLength));
      }
    }
    const best: Array<[number, number]> = [];
    for (const n of touched) {
      if (hits[n]! >= minTerms) {
        const s = scores[n]!;
        if (best.length < limit || s > best[best.length - 1]![1]) {
          best.push([n, s]);
          best.sort((a, b) => b[1] - a[1] || a[0] - b[0]);
          if (best.length > limit) best.pop();
        }
      }
      scores[n] = 0;
      hits[n] = 0;
    }
    return best;
  }
}
