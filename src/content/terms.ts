import { z } from 'zod';
import type { QueryTerm } from './search-index.ts';

/**
 * The lay-to-formal term list (content/terms.yaml): words people use mapped to the words the texts use
 * (高校 → 高等学校, 偷 → 盗窃, 老婆 → 夫妻). A question containing a lay word is searched with the formal words too,
 * at a lower weight, so a text that uses both words still ranks first. Editable by the party office; checked at
 * start-up like every content file.
 */
const word = z
  .string({ error: '应为词语' })
  .trim()
  .min(1, { error: '不能为空' })
  .regex(/^[\u3400-\u9fffA-Za-z0-9]+$/, { error: '只能是汉字、字母或数字组成的一个词（不含空格和标点）' });

export const termsFileSchema = z.strictObject({
  /** Weight of a formal word against the user's own words (1). */
  weight: z.number({ error: '权重应为数字' }).gt(0, { error: '权重应大于 0' }).max(1, { error: '权重不能超过 1' }).default(0.6),
  pairs: z
    .record(word, z.union([word, z.array(word).min(1, { error: '至少要有一个正式用语' })]), { error: 'pairs 应为“口语: 正式用语”的列表' })
    .refine((pairs) => Object.keys(pairs).length > 0, { error: '至少要有一对用语' }),
});
export type TermsFile = z.infer<typeof termsFileSchema>;

export interface TermList {
  weight: number;
  /** Lay word → formal words, longest lay word first (so 老婆婆 would be tried before 老婆). */
  pairs: ReadonlyArray<readonly [lay: string, formal: readonly string[]]>;
}

export const NO_TERMS: TermList = { weight: 0, pairs: [] };

export function termList(file: TermsFile): TermList {
  const pairs = Object.entries(file.pairs)
    .map(([lay, formal]) => [lay, typeof formal === 'string' ? [formal] : formal] as const)
    .sort((a, b) => b[0].length - a[0].length);
  return { weight: file.weight, pairs };
}

/**
 * The query's own words (weight 1) and the formal words of every lay word in it (the list's weight). The lay word
 * itself counts with the list's weight too: where the texts use it, it often means something else (大学 in
 * "大学本科毕业学历" is not the 高等学校 a member asks about).
 */
export function expandQuery(query: string, terms: TermList): QueryTerm[] {
  const out: QueryTerm[] = [];
  let rest = query;
  for (const [lay, formal] of terms.pairs) {
    if (!rest.includes(lay)) continue;
    // Longest lay word first; what it covers is taken out so 上大学 does not expand 大学 again.
    rest = rest.split(lay).join(' ');
    out.push({ text: lay, weight: terms.weight });
    for (const f of formal) if (!query.includes(f)) out.push({ text: f, weight: terms.weight, own: false });
  }
  return [{ text: rest, weight: 1 }, ...out];
}
