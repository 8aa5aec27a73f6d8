import type { RegulationDocument, Unit } from './documents.ts';
import { ContentError } from '../errors.ts';

/**
 * Document expansion for laws (issue 20, "Retrieval"): the words of questions people asked that an article answers,
 * indexed beside the article at a lower weight (SearchIndexOptions.expansions), so a lay question finds an article
 * whose text uses other words. Keyed by the law's title and the article's label ("中华人民共和国民法典", "第五十四条"),
 * so it follows the law wherever its text is loaded: the law corpus in the benchmarks, or a reading imported from the
 * law library with a plan (docs/plans.md). Every version of a law with that article gets the words.
 *
 * The bot's texts come from content/law-expansions.tsv, built by `npm run build:law-expansions` from the STARD train
 * questions (scripts/build-law-expansions.ts); `npm run bench:retrieval` learns its own per fold instead
 * (cross-fitting: a question is never scored on words learned from itself, docs/retrieval.md).
 */
export type ExpansionTexts = ReadonlyMap<string, string>;

export const expansionKey = (lawTitle: string, label: string) => `${lawTitle}#${label}`;

/** The units of the documents that have expansion text: the map SearchIndexOptions.expansions takes. */
export function unitExpansions(documents: readonly RegulationDocument[], texts: ExpansionTexts): Map<Unit, string> {
  const out = new Map<Unit, string>();
  if (texts.size === 0) return out;
  for (const d of documents) {
    for (const u of d.units) {
      if (!u.label) continue;
      const text = texts.get(expansionKey(d.title, u.label));
      if (text) out.set(u, text);
    }
  }
  return out;
}

/** Adds one question's keywords to the article it cites. */
export function addExpansion(texts: Map<string, string>, lawTitle: string, label: string, words: string): void {
  const key = expansionKey(lawTitle, label);
  const before = texts.get(key);
  texts.set(key, before ? `${before} ${words}` : words);
}

const LABEL = /^第[零〇一二两三四五六七八九十百千]+条(?:之[一二三四五六七八九十]+)?$/;

/**
 * Reads the TSV the bot ships: "title<TAB>第N条<TAB>words" a line; empty lines and lines starting with # are
 * comments. A broken line stops the service naming file, line and field, like every content file.
 */
export function parseExpansions(text: string, file: string): Map<string, string> {
  const texts = new Map<string, string>();
  text.split('\n').forEach((raw, i) => {
    const line = raw.replace(/\r$/, '');
    if (!line.trim() || line.startsWith('#')) return;
    const fields = line.split('\t');
    if (fields.length !== 3) throw new ContentError(file, i + 1, undefined, `应为“法律名称<TAB>第N条<TAB>问题用语”三栏，这一行有 ${fields.length} 栏`);
    const [title, label, words] = fields.map((f) => f.trim()) as [string, string, string];
    if (!title) throw new ContentError(file, i + 1, 'title', '法律名称不能为空');
    if (!LABEL.test(label)) throw new ContentError(file, i + 1, 'article', `“${label}”不是条文编号（应如“第五十四条”）`);
    if (!words) throw new ContentError(file, i + 1, 'words', '问题用语不能为空');
    addExpansion(texts, title, label, words);
  });
  return texts;
}
