import MiniSearch from 'minisearch';
import type { RegulationDocument, Unit } from './documents.ts';
import { tokenize } from './tokenizer.ts';

/**
 * Keyword search over every unit (article, point, paragraph) of every document. BM25 via MiniSearch with the
 * bigram tokenizer; headings are a boosted field. Precise first (every query term must match), then broader
 * (any term) when the precise search finds nothing.
 */
export interface SearchHit {
  unit: Unit;
  score: number;
  /** true when only some query terms matched (the broader search). */
  partial: boolean;
}

interface Indexed {
  id: string;
  text: string;
  heading: string;
}

export class SearchIndex {
  readonly #mini: MiniSearch<Indexed>;
  readonly #units = new Map<string, Unit>();

  constructor(documents: readonly RegulationDocument[]) {
    this.#mini = new MiniSearch<Indexed>({
      idField: 'id',
      fields: ['text', 'heading'],
      tokenize,
      processTerm: (t) => t,
      searchOptions: { tokenize, processTerm: (t) => t, boost: { heading: 1.5 } },
    });
    const docs: Indexed[] = [];
    for (const d of documents) {
      for (const u of d.units) {
        this.#units.set(u.id, u);
        docs.push({ id: u.id, text: u.paragraphs.join('\n'), heading: [d.title, ...u.path].join(' ') });
      }
    }
    this.#mini.addAll(docs);
  }

  get size(): number {
    return this.#units.size;
  }

  search(query: string, limit = 3): SearchHit[] {
    if (tokenize(query).length === 0) return [];
    let partial = false;
    let results = this.#mini.search(query, { combineWith: 'AND' });
    if (results.length === 0) {
      partial = true;
      const terms = new Set(tokenize(query));
      // Broader: any term, but a hit must share at least half of the query's terms to be worth showing.
      results = this.#mini.search(query, { combineWith: 'OR' }).filter((r) => r.terms.length * 2 >= terms.size);
    }
    return results.slice(0, limit).map((r) => ({ unit: this.#units.get(r.id as string)!, score: r.score, partial }));
  }
}
