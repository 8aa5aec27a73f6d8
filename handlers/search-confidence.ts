import type { Content } from '../src/content/content.ts';
import type { Unit } from '../src/content/documents.ts';
import type { SearchHit } from '../src/content/search-index.ts';

/**
 * When a keyword answer may be presented as *the* answer (issue 20, "honest answers"). Bigram BM25 always ranks
 * something first; a regulation-study tool that shows an unrelated article as 最相关 misleads. Two signals, chosen on
 * the tune parts of test/answers/lay-questions*.ts and the unanswerable set, and measured on their held-out parts
 * (npm run bench:answers-precision, docs/retrieval.md):
 * - the best match covers a good share of the question's own terms (relevance ≥ COVERED), or
 * - it is clearly ahead of the next one (the second scores under CLEAR_LEAD of it).
 * Every wrong "最相关" of the tune sets had neither: two articles sharing one of the question's words about equally
 * (民办大学归谁管 → 民办非企业单位 in 八项规定 第二条, 0.84 of it the law's 第四十六条 on 大学本科毕业学历).
 * A unit whose heading is the question (失信修复机制 → "2.建立失信修复机制。") is certain and comes first.
 */
export const COVERED = 0.3;
export const CLEAR_LEAD = 0.8;

export function confident(hits: readonly SearchHit[]): boolean {
  const [best, second] = hits;
  if (!best) return false;
  return best.relevance >= COVERED || !second || second.score < CLEAR_LEAD * best.score;
}

/** A unit's own heading: a point's or a section paragraph's lead phrase ("建立失信修复机制"), without its number. */
const ENUMERATOR =
  /^[\s　]*(第[一二三四五六七八九十百零〇]+[条点]|[一二三四五六七八九十]+是|[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[)）]|\d+[.．、]|[①-⑳])[\s　]*/;
const HEADING_MAX = 24;

export function unitHeading(unit: Unit): string | undefined {
  if (unit.kind === 'article') return undefined;
  const first = unit.paragraphs[0] ?? '';
  const numbered = ENUMERATOR.exec(first);
  if (!numbered) return undefined;
  const lead = first
    .slice(numbered[0].length)
    .split(/[。；;：:]/)[0]!
    .trim();
  return lead.length >= 2 && [...lead].length <= HEADING_MAX ? lead : undefined;
}

const HEADINGS = new WeakMap<Content, Array<{ unit: Unit; core: string }>>();

/** Every unit heading of the content, core words only (headings of the law corpus's articles: none). */
function headings(content: Content): Array<{ unit: Unit; core: string }> {
  let list = HEADINGS.get(content);
  if (!list) {
    list = [];
    for (const d of content.documents) {
      let lastPath = '';
      for (const u of d.units) {
        const h = unitHeading(u);
        if (h) list.push({ unit: u, core: compact(h) });
        // A section heading above the unit ("（一）普及诚信教育。"): its first unit stands for it.
        const path = u.path.at(-1) ?? '';
        if (path !== lastPath) {
          lastPath = path;
          const lead = ENUMERATOR.exec(path)
            ? path
                .replace(ENUMERATOR, '')
                .split(/[。；;：:]/)[0]!
                .trim()
            : '';
          if (lead.length >= 2 && [...lead].length <= HEADING_MAX) list.push({ unit: u, core: compact(lead) });
        }
      }
    }
    HEADINGS.set(content, list);
  }
  return list;
}

const compact = (text: string) => text.normalize('NFKC').replace(/[^\p{Script=Han}A-Za-z0-9]/gu, '');

/**
 * The unit whose heading holds the whole question (its keywords, at least three characters): 失信修复机制 →
 * "建立失信修复机制", 公务接待 → "严格执行公务接待管理规定". The shortest such heading, the most specific; none when
 * two equally short ones hold it (the question does not say which).
 */
export function headingMatch(query: string, content: Content): Unit | undefined {
  const q = compact(query);
  if ([...q].length < 3) return undefined;
  const found = headings(content).filter((h) => h.core.includes(q));
  if (!found.length) return undefined;
  found.sort((a, b) => a.core.length - b.core.length);
  return found.length > 1 && found[1]!.core.length === found[0]!.core.length ? undefined : found[0]!.unit;
}
