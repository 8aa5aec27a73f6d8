/**
 * A tokenizer for Chinese full-text search, applied identically to documents and queries: character bigrams of
 * every CJK run (a one-character run is kept as itself), Latin letters and digits as whole lowercase words.
 * Measured on 64k law articles (design notes): bigrams on both sides ranked best; a word segmenter splits query
 * and document differently ("第四|十七条"), and @node-rs/jieba beside the bigrams ranked worse on the STARD
 * questions while adding 5 s to the build (docs/retrieval.md).
 */
const RUN = /[\u3400-\u9fff\uf900-\ufaff]+|[A-Za-z0-9\uff10-\uff19\uff21-\uff3a\uff41-\uff5a]+/g;

export function tokenize(text: string): string[] {
  const out: string[] = [];
  for (const m of text.normalize('NFKC').matchAll(RUN)) {
    const run = m[0];
    if (/^[A-Za-z0-9]/.test(run)) {
      out.push(run.toLowerCase());
      continue;
    }
    if (run.length === 1) {
      out.push(run);
      continue;
    }
    for (let i = 0; i + 1 < run.length; i++) out.push(run.slice(i, i + 2));
  }
  return out;
}

const HAN = /[\u3400-\u9fff\uf900-\ufaff]/g;

/**
 * The single Chinese characters of a text, as tokens of their own ("\0残"), apart from the bigram tokens: a weak
 * extra signal for keyword search where a lay question and the text share characters but not words (docs/retrieval.md).
 */
export function characters(text: string): string[] {
  return (text.normalize('NFKC').match(HAN) ?? []).map((c) => `\0${c}`);
}

/** Whether a UTF-16 code unit is one of the Chinese characters `characters` keeps. */
export function isHan(code: number): boolean {
  return (code >= 0x3400 && code <= 0x9fff) || (code >= 0xf900 && code <= 0xfaff);
}
