import { createRequire } from 'node:module';

/**
 * For the benchmark only (a devDependency): words of a Chinese text from a dictionary segmenter (@node-rs/jieba: prebuilt binaries for Linux, macOS and
 * Windows, its dictionary shipped in the package, nothing downloaded at run time). Keyword search indexes them beside
 * the bigrams (./search-index.ts): measured in docs/retrieval.md. Only words of two or more Chinese characters are
 * kept: single characters are indexed on their own already.
 */
interface Jieba {
  cut(text: string, hmm?: boolean | null): string[];
}

let jieba: Jieba | undefined;

function segmenter(): Jieba {
  if (!jieba) {
    const require = createRequire(import.meta.url);
    const { Jieba } = require('@node-rs/jieba') as { Jieba: { withDict(dict: Uint8Array): Jieba } };
    const { dict } = require('@node-rs/jieba/dict') as { dict: Uint8Array };
    jieba = Jieba.withDict(dict);
  }
  return jieba;
}

const WORD = /^[\u3400-\u9fff\uf900-\ufaff]{2,}$/;

export function words(text: string): string[] {
  return segmenter()
    .cut(text.normalize('NFKC'), false)
    .filter((w) => WORD.test(w));
}
