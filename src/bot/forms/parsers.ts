import { addDays, isValidDate, type CalendarDate } from '../../content/dates.ts';
import { parseNumber } from '../../content/numerals.ts';

/** Readers of the answers people type: dates, numbers, choices, lists of names. Each returns undefined when unsure. */

/** 9月20日, 9月20号, 9.20, 9/20, 20号, 今天, 昨天, 前天, 2016-09-20 (the year from `today`; a later month means last year). */
export function parseDateAnswer(text: string, today: CalendarDate): CalendarDate | undefined {
  const t = text.normalize('NFKC').replace(/\s+/g, '');
  const rel: Record<string, number> = { 今天: 0, 昨天: -1, 前天: -2, 明天: 1 };
  if (t in rel) return addDays(today, rel[t]!);
  const year = Number(today.slice(0, 4));
  const make = (y: number, m: number, d: number) => {
    const iso = `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
    return isValidDate(iso) ? iso : undefined;
  };
  let m = /^(\d{4})[-./年](\d{1,2})[-./月](\d{1,2})[日号]?$/.exec(t);
  if (m) return make(Number(m[1]), Number(m[2]), Number(m[3]));
  m = /^(\d{1,2})(?:月|\.|\/)(\d{1,2})[日号]?$/.exec(t);
  if (m) {
    const month = Number(m[1]);
    return make(month > Number(today.slice(5, 7)) + 1 ? year - 1 : year, month, Number(m[2]));
  }
  m = /^(\d{1,2})[日号]$/.exec(t);
  if (m) return make(year, Number(today.slice(5, 7)), Number(m[1]));
  return undefined;
}

/** "12", "12人", "十二人", "１２" */
export function parseCount(text: string): number | undefined {
  const m = /^([0-9０-９零〇一二两三四五六七八九十百]+)\s*(人|名|位)?$/.exec(text.normalize('NFKC').trim());
  return m ? parseNumber(m[1]!) : undefined;
}

/** Names separated by 、，, ; or spaces. */
export function parseNames(text: string): string[] {
  return text
    .normalize('NFKC')
    .split(/[、,，;；\s]+/)
    .map((s) => s.trim())
    .filter(Boolean);
}

/** "1", "1、3", "1,2", "全部" → indexes (0-based) into a list of `size`; undefined when any is out of range. */
export function parseChoices(text: string, size: number): number[] | undefined {
  const t = text.normalize('NFKC').trim();
  if (/^(全部|都|所有|都讨论了|全选)$/.test(t)) return Array.from({ length: size }, (_, i) => i);
  const parts = t.replace(/^第/, '').split(/[、,，;；\s和及]+|(?<=\d)(?=\d)/).filter(Boolean);
  if (!parts.length) return undefined;
  const out: number[] = [];
  for (const p of parts) {
    const n = parseNumber(p.replace(/^[（(]?|[)）.．]?$/g, '').replace(/^第|个$/g, ''));
    if (n === undefined || n < 1 || n > size) return undefined;
    if (!out.includes(n - 1)) out.push(n - 1);
  }
  return out;
}

/** One choice by its number or (part of) its name. */
export function parseOneChoice<T>(text: string, items: readonly T[], name: (item: T) => string): T | undefined {
  const t = text.normalize('NFKC').trim().replace(/^第/, '').replace(/[个项]$/, '');
  const n = parseNumber(t);
  if (n !== undefined) return items[n - 1];
  const exact = items.find((i) => name(i) === t);
  if (exact) return exact;
  const partial = items.filter((i) => t.length >= 2 && name(i).includes(t));
  return partial.length === 1 ? partial[0] : undefined;
}
