import type { Content } from './content.ts';
import type { RegulationDocument } from './documents.ts';

/**
 * A document named in a question that is none of the content's own names: 七项规定, 教育部七项规定, 教师法,
 * 《高等学校教师职业道德规范》, or a loose name of one we have (信用规划 → two plans). Asked by the article lookup
 * (七项规定第一条) and by the handler that tells people a document is not among the readings, so neither answers
 * with whatever keyword search finds for the name's characters.
 */

/** What a document's name ends with. */
const KIND = '(?:法|规定|规划纲要|规划|纲要|条例|办法|意见|通知|决定|章程|准则|守则|规范)';
const QUOTED = /《([^》]{2,40})》/;
const NAMED = new RegExp(`[\\p{Script=Han}0-9]{1,16}?${KIND}`, 'u');
/** A question about a subject (有什么规定, 怎么规定, 相关规定, 学习方法) is not a document's name. */
const NOT_A_NAME = /什么|哪|怎|吗|谁|几|啥|有关|相关|方面|方法|办法$|的/;

/** The document-like name in `words` (the words around an article reference, or a whole question), if any. */
export function documentLikeName(words: string): string | undefined {
  const quoted = QUOTED.exec(words)?.[1];
  if (quoted) return quoted;
  const named = NAMED.exec(words)?.[0];
  return named && [...named].length >= 3 && !NOT_A_NAME.test(named) ? named : undefined;
}

export type NameResolution = { doc: RegulationDocument } | { ambiguous: RegulationDocument[] } | { unknown: true };

/**
 * A name the content does not list, matched loosely: the documents whose title or short title holds every one of its
 * characters (信用规划 → both credit plans). One is that document; several are asked about; none is not included.
 */
export function resolveDocumentName(name: string, content: Content): NameResolution {
  const known = content.documentNames().find((n) => n.name === name.toLowerCase());
  if (known) return { doc: known.doc };
  const slipped = new Set(content.documentNames().filter((n) => oneSlipApart(name.toLowerCase(), n.name)).map((n) => n.doc));
  if (slipped.size === 1) return { doc: [...slipped][0]! };
  const chars = [...new Set(name.replace(/^(教育部|中央|国家|国务院|学校|我校|本校)/, ''))];
  const holders = content.documents.filter((d) => chars.every((c) => d.title.includes(c) || d.shortTitle.includes(c)));
  if (holders.length === 1) return { doc: holders[0]! };
  if (holders.length > 1) return { ambiguous: holders };
  return { unknown: true };
}

/** Numerals tell documents apart (七项规定 is not 八项规定): a slip is never on one of them. */
const NUMERAL = /[零〇一二两三四五六七八九十百千0-9]/;

/**
 * Whether a typed name is a known name with one character mistyped (八想规定, 高等叫育法): the same length, at
 * least three characters, exactly one position differs, and neither character there is a numeral. A pinyin input
 * slip replaces a character; it rarely drops one, and a dropped one is a different name more often than not.
 */
export function oneSlipApart(typed: string, known: string): boolean {
  const a = [...typed];
  const b = [...known];
  if (a.length !== b.length || a.length < 3) return false;
  let diff = -1;
  for (let i = 0; i < a.length; i++) {
    if (a[i] === b[i]) continue;
    if (diff >= 0) return false;
    diff = i;
  }
  return diff >= 0 && !NUMERAL.test(a[diff]!) && !NUMERAL.test(b[diff]!);
}
