import type { CalendarDate } from '../../content/dates.ts';
import { readTime } from '../../content/time/grammar.ts';
import { parseNumber } from '../../content/numerals.ts';

/**
 * Readers of the answers people type: dates and choices (people and counts are in ./attendance.ts). Each returns
 * undefined when unsure, so the engine can still treat the text as a question or re-ask.
 */

/** Full-width forms to ASCII, spaces and the chat's trailing punctuation dropped. */
export function tidy(text: string): string {
  return text
    .normalize('NFKC')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/[。.!！~～]+$/, '');
}

/**
 * A past or present date as people write it in chat, relative to `today` (Asia/Shanghai, from the injected clock):
 * 今天/昨天/前天/大前天 (and 明天/后天/大后天, for the caller to refuse); 周二, 星期二, 礼拜二 (the latest one on or before today); 上周二, 上上周二, 本周二/这周二;
 * 9月20日/9月20号/九月二十日, 9.20, 9/20, 9-20, 20号, with or without its weekday; 2016年9月20日, 2016-09-20. Fillers
 * around it (是, 在, 选, 那天, 那次, 那场, 开的, 的记录) are ignored, so a session is named by its day the same ways. A
 * month-day later than next month is read as last year's.
 */
export function parseDateAnswer(text: string, today: CalendarDate): CalendarDate | undefined {
  const t = tidy(text)
    .replace(/\s+/g, '')
    .replace(/^(?:就是|是|在|于|选择?|日期是?|时间是?)/, '')
    .replace(/[（(](?:周|星期|礼拜)[一二三四五六日天][)）]|(?<=[日号\d])(?:周|星期|礼拜)[一二三四五六日天](?=\D*$)/, '')
    // How people point at a day or at the meeting on it: 9月6号那次, 周二那天, 6号的那场学习, 9.6那次的记录.
    .replace(
      /(?:上午|下午|晚上|中午|早上|傍晚)?(?:\d{1,2}(?:[:：]\d{2}|点(?:半|\d{1,2}分?)?))?(?:那天|那一天|当天|那次|那一次|这次|这一次|那回|那场|那期|开的|开会|举行的?|学习的?|活动|记录|的)*$/,
      '',
    );
  // The one time grammar reads the day (明天/后天 too, so a day not come yet is said to be one); a bare weekday is
  // the latest one on or before today, a month after next is last year's.
  const reading = readTime(t, { today, lean: 'past' });
  return reading.span?.unit === 'day' && reading.rest === '' ? reading.span.from : undefined;
}

/**
 * A week as people point at it, for choosing the meeting held in it: 本周/这周 (the one), 上周, 上上周, with the same
 * fillers as a date (上周那次, 这周的). Monday to Sunday, relative to `today`; undefined when the text is not one.
 */
export function parseWeekAnswer(text: string, today: CalendarDate): { from: CalendarDate; to: CalendarDate } | undefined {
  const t = tidy(text)
    .replace(/\s+/g, '')
    .replace(/^(?:就是|是|选择?)/, '')
    .replace(/(?:那次|那一次|这次|这一次|那回|那场|那期|开的|学习的?|活动|记录|的)*$/, '');
  const reading = readTime(t, { today, lean: 'past' });
  return reading.span?.unit === 'week' && reading.rest === '' ? { from: reading.span.from, to: reading.span.to } : undefined;
}

/** A count word: 2, 两, 二, 十二 (两 alone, refused by parseNumber for headings, is fine here). */
const countOf = (s: string) => (s === '两' ? 2 : parseNumber(s));

/** Whether the text means every item: 全部, 都讨论了, 两题都讨论了, 所有题目, 全都 … (and no negation). */
function meansAll(t: string, size: number): boolean {
  if (/[没不未]/.test(t)) return false;
  if (!/全部|全都|都|所有|全选|每[一个道]?题|均/.test(t)) return false;
  // "两题都讨论了": the number, if any, must be the list's size.
  const n = /([0-9一二两三四五六七八九十]+)\s*[道个]?(?:题|个问题)/.exec(t);
  return !n || countOf(n[1]!) === size;
}

/**
 * Which items of a numbered list of `size`, as 0-based indexes in the order given: 1、3 · 1和2 · 第一题和第二题 · 第1、2题 ·
 * 一二 · 1-3 · 前两题 · 全部 / 都讨论了 / 两题都讨论了. Undefined when any number is out of range or something else is
 * there.
 */
export function parseChoices(text: string, size: number): number[] | undefined {
  const t = tidy(text).replace(/\s+/g, '');
  if (!t) return undefined;
  if (meansAll(t, size)) return Array.from({ length: size }, (_, i) => i);
  const first = /^前([0-9一二两三四五六七八九十]+)[道个]?(?:题|个)?(?:都讨论了|讨论了)?$/.exec(t);
  if (first) {
    const n = countOf(first[1]!);
    return n !== undefined && n >= 1 && n <= size ? Array.from({ length: n }, (_, i) => i) : undefined;
  }
  const core = t
    .replace(/^(?:我们|大家|本次|这次)?(?:只|仅|主要)?(?:讨论了?|选了?|选择了?|是)?/, '')
    .replace(/(?:都|也)?(?:讨论了?|讨论过|选了?)?(?:这)?(?:[0-9一二两三四五六七八九十]+[道个])?(?:题目?|问题)?$/, '');
  const parts = core
    .split(/[、,，;；和与及跟/+＋&]|以及|还有/)
    .map((p) => p.replace(/^(?:第|题|问题)|(?:题目?|个问题|个|道|项|号)$/g, '').replace(/^[（(]|[)）.．]$/g, ''))
    .filter(Boolean);
  if (!parts.length) return undefined;
  const out: number[] = [];
  const add = (n: number | undefined) => {
    if (n === undefined || n < 1 || n > size) return false;
    if (!out.includes(n - 1)) out.push(n - 1);
    return true;
  };
  for (const p of parts) {
    const range = /^([0-9一二三四五六七八九十]+)(?:-|~|至|到)([0-9一二三四五六七八九十]+)$/.exec(p);
    if (range) {
      const [a, b] = [parseNumber(range[1]!), parseNumber(range[2]!)];
      if (a === undefined || b === undefined || a > b) return undefined;
      for (let i = a; i <= b; i++) if (!add(i)) return undefined;
      continue;
    }
    if (add(parseNumber(p))) continue;
    // "12" or "一二" for a short list: one digit per item.
    const digits = [...p];
    if (size < 10 && digits.length > 1 && digits.every((c) => /[1-9一二三四五六七八九]/.test(c))) {
      if (digits.every((c) => add(parseNumber(c)))) continue;
    }
    return undefined;
  }
  return out;
}

/** Words around a name as people point at an item: 院办那个, 教学那组, 我们是会计的, 选政治理论学习那次. */
const POINTING_BEFORE = /^(?:就是|我们是|我们的|我是|是|选择|选|给|为|替|帮|提交|交)/;
const POINTING_AFTER = /(?:的那个|的那组|的那次|那一个|那一组|那一次|那个|这个|那组|这组|那次|这次|那回|那场|那天|的|那|吧|啊|呀|呢|个|项|组)$/;

function withoutPointingWords(t: string): string {
  let out = t.replace(/\s+/g, '');
  for (let before = ''; before !== out;) {
    before = out;
    out = out.replace(POINTING_BEFORE, '').replace(POINTING_AFTER, '');
  }
  return out;
}

/** Whether the characters of `part` appear in `name` in order (会计学生 in 会计专业学生学习组). */
function inOrder(part: string, name: string): boolean {
  let at = 0;
  for (const c of part) {
    at = name.indexOf(c, at) + 1;
    if (at === 0) return false;
  }
  return true;
}

/**
 * One choice by its number, its name, or a distinctive part of its name as people say it (院办那个, 教学那组, 会计学生组):
 * the words around it are dropped, and what is left must be in one name only, as a run of characters or failing that
 * in order. `ambiguous` when it fits several (学习组), so the caller can ask which one; undefined when none.
 */
export function matchChoice<T>(text: string, items: readonly T[], name: (item: T) => string): { item: T } | { ambiguous: T[] } | undefined {
  const t = tidy(text);
  const n = parseNumber(t.replace(/^(?:选|选择)?第?/, '').replace(/[个项组]$/, ''));
  if (n !== undefined) return items[n - 1] ? { item: items[n - 1]! } : undefined;
  const exact = items.find((i) => name(i) === t);
  if (exact) return { item: exact };
  const core = withoutPointingWords(t);
  if ([...core].length < 2) return undefined;
  const squeezed = (i: T) => name(i).replace(/\s+/g, '');
  for (const fits of [(i: T) => squeezed(i).includes(core), (i: T) => inOrder(core, squeezed(i))]) {
    const hits = items.filter(fits);
    if (hits.length === 1) return { item: hits[0]! };
    if (hits.length > 1) return { ambiguous: hits };
  }
  return undefined;
}

/** One choice by its number or (part of) its name; undefined when none or several fit (see matchChoice). */
export function parseOneChoice<T>(text: string, items: readonly T[], name: (item: T) => string): T | undefined {
  const m = matchChoice(text, items, name);
  return m && 'item' in m ? m.item : undefined;
}

/**
 * One or more of a short numbered list as chosen at a free-text step (the plan's themes): 1 · 二 · 第一个 · 专题一 ·
 * 专题1 · 第一个专题 · 学习专题一 · 1、2 · 全部 · 两个都有 · 两个专题都学了. Only texts made of choosing words are
 * read, so free text that merely contains 都 or a number (人人都讲诚信) is left alone: undefined. `{ outOfRange }` when
 * it is a choice but of an item the list does not have (专题三 of two).
 */
export function parseListChoice(text: string, size: number): number[] | { outOfRange: true } | undefined {
  const core = tidy(text)
    .replace(/\s+/g, '')
    .replace(/^(?:我们|大家|本次|这次)?(?:学习的?|学的|学了|选的?|选择了?|是)*/, '')
    .replace(/专题|主题/g, '')
    .replace(/(?:学习了?|学了|讨论了|的|了)$/, '');
  if (!core || [...core].length > 12 || !/^[0-9一二两三四五六七八九十第个、,，和与及跟/+都全部所有有是学习了讨论者俩均]+$/.test(core)) return undefined;
  const ordinal = /^第?([0-9一二两三四五六七八九十]+)个?$/.exec(core);
  if (ordinal) {
    const n = countOf(ordinal[1]!);
    if (n === undefined) return undefined;
    return n >= 1 && n <= size ? [n - 1] : { outOfRange: true };
  }
  const picks = parseChoices(core, size);
  if (picks?.length) return picks;
  return /[0-9一二三四五六七八九十]/.test(core) ? { outOfRange: true } : undefined;
}
