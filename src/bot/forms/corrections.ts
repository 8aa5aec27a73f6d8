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
