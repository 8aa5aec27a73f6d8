import type { Field } from './form.ts';

/**
 * A correction named in words, recognised at any step of a form (issue 20): "地点写错了，改成302", "实到改成14",
 * "日期应该是20号", "把记录人改为李四", "实到人数改一下，应到15实到14". The field is named by its label or one of
 * its aliases (Field.aliases); what follows the verb is the new value, read by the field's own parser. Never a value
 * of another step: a correction at the summary step is applied to its field and kept out of the summary.
 */
export interface Correction {
  field: Field;
  /** The name the user used (an alias such as 实到 may be part of the value: 实到14). */
  name: string;
  value: string;
}

const WRONG = '(?:写错了|填错了|弄错了|搞错了|错了|不对|有误|有错)?';
const VERB = '(?:应该是|应该为|应该写|应为|应是|改成|改为|换成|写成|更正为|更正成|改一下|修改为|改)';

export function readCorrection(text: string, fields: readonly Field[]): Correction | undefined {
  const t = text
    .normalize('NFKC')
    .trim()
    .replace(/[。.!！]+$/, '');
  const names = fields
    .flatMap((f) => [f.label, ...(f.aliases ?? []), ...(f.valueAliases ?? [])].map((name) => ({ f, name })))
    .sort((a, b) => b.name.length - a.name.length);
  if (!names.length) return undefined;
  const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const alternation = names.map((n) => escape(n.name)).join('|');
  const re = new RegExp(`^(?:哦|噢|啊)?(?:不对|错了)?[，,\\s]*(?:把|将)?(${alternation})${WRONG}[，,\\s]*(?:要|得|需要)?${VERB}[一下]*[:：，,\\s]*(.+)$`, 's');
  const m = re.exec(t);
  if (!m) return undefined;
  const named = names.find((n) => n.name === m[1])!;
  const value = m[2]!.trim();
  if (!value) return undefined;
  // 应到改成15: the alias says what the number is, so it is read with it.
  return { field: named.f, name: named.name, value: named.f.valueAliases?.includes(named.name) ? `${named.name}${value}` : value };
}

/**
 * A field said to be wrong in looser words (刚才那个地点不对 是图书馆报告厅 · 实到是10个 不是11 · 应到实到填反了 · 等下
 * 日期错了 · 开会的位置写错了): a field named anywhere in a short message that says something is wrong, with the new
 * value when one is given (after 是/改成/应该是/：, or a number said last), else none: the form then asks that
 * field again. Long messages are left alone: a summary's sentence may name a field and say 不是.
 */
export interface LooseCorrection {
  field: Field;
  name: string;
  value?: string;
}

const SAYS_WRONG =
  /不对|错了|错的|有误|有错|写错|填错|说错|弄错|少算|多算|填反|写反|不是|其实|应该|重新|重写|改成|改为|换成|修改|更正|改一下|补充|去掉|还有|漏了|写漏/;
/** A clause that only says something was wrong (刚才填错了, 不对): not the value. */
const ONLY_WRONG = /^(?:刚才|刚刚|前面|之前|我)?(?:写|填|说|弄)?(?:错了|错的|不对|有误)$/;
const VALUE_AFTER = /(?:应该是|应该为|应为|改成|改为|换成|写成|更正为|是|为|:|：)/g;
const LOOSE_MAX_CHARS = 30;

export function readLooseCorrection(text: string, fields: readonly Field[]): LooseCorrection | undefined {
  const t = text
    .normalize('NFKC')
    .trim()
    .replace(/[。.!！]+$/, '');
  if ([...t].length > LOOSE_MAX_CHARS || !SAYS_WRONG.test(t)) return undefined;
  const names = fields
    .flatMap((f) => [f.label, ...(f.aliases ?? []), ...(f.valueAliases ?? [])].map((name) => ({ f, name })))
    .sort((a, b) => b.name.length - a.name.length);
  // A day said to be wrong with no field named (那次其实是13号不是12号) is the date's.
  const dateField = fields.find((f) => [f.label, ...(f.aliases ?? [])].some((n) => n.includes('日期')));
  const dayOnly = /\d{1,2}(?:号|日)|[周星期礼拜][一二三四五六日天]/.test(t) && dateField ? { f: dateField, name: '' } : undefined;
  const named = names.find((n) => t.includes(n.name)) ?? dayOnly;
  if (!named) return undefined;
  // The clauses after the field's name, without those that only say it was wrong and a trailing "不是 X" (the old value).
  const after = named.name ? t.slice(t.indexOf(named.name) + named.name.length) : t;
  const clauses = after
    .split(/[，,\s]+/)
    .filter((c) => c && !ONLY_WRONG.test(c))
    .map((c) => c.replace(/不是[^，,\s]*$/, ''))
    .filter(Boolean);
  const said = clauses.join(' ');
  let value: string | undefined;
  const marks = [...said.matchAll(VALUE_AFTER)];
  const last = marks.at(-1);
  if (last && last.index !== undefined) value = said.slice(last.index + last[0].length).trim();
  else if (/\d/.test(said)) value = clauses.at(-1);
  // 应到 and 实到 say which number it is: read with it (实到人数改 → 实到13人).
  const which = /应到|实到/.exec(named.name)?.[0];
  if (value && which && !/应到|实到/.test(value)) value = `${which}${value}`;
  return { field: named.f, name: named.name || named.f.label, ...(value ? { value } : {}) };
}
