import { NumeralRangeError } from '../errors.ts';

/**
 * Numbers as they appear in headings and questions: 第四十七条, 第47条, 第４７条, 第一百零三条, 两百, 一〇三.
 * Our own small parser because it must say "no number" when unsure rather than guess (the library nzh reads
 * 两百 as 0 and 一〇三 as 13).
 */
const DIGITS: Record<string, number> = { 零: 0, 〇: 0, 一: 1, 二: 2, 两: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9 };
const UNITS: Record<string, number> = { 十: 10, 百: 100, 千: 1000 };

/**
 * Arabic (half- or full-width) or Chinese numerals up to 九千九百九十九万…, or the two mixed (4十7, 1百零2); undefined
 * when not a well-formed number.
 */
export function parseNumber(raw: string): number | undefined {
  const arabic = raw.trim().replace(/[０-９]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0));
  if (/^\d{1,9}$/.test(arabic)) return Number(arabic);
  const text = mixedToChinese(arabic);
  if (text === undefined) return undefined;
  if (!text || !/^[零〇一二两三四五六七八九十百千万]+$/.test(text)) return undefined;
  // Pure digit strings such as 一〇三 or 二〇一六 (read digit by digit).
  if (!/[十百千万]/.test(text)) {
    if (text === '两') return undefined;
    if (text.length === 1) return DIGITS[text];
    // Read digit by digit; a leading zero or 两 makes it a guess.
    if (/两/.test(text) || DIGITS[text[0]!] === 0) return undefined;
    return Number([...text].map((c) => DIGITS[c]).join(''));
  }
  const parts = text.split('万');
  if (parts.length > 2) return undefined;
  if (parts.length === 2) {
    const high = parts[0] ? parseBelowTenThousand(parts[0]) : undefined;
    const low = parts[1] ? parseBelowTenThousand(parts[1], true) : 0;
    if (high === undefined || low === undefined || high === 0) return undefined;
    return high * 10_000 + low;
  }
  return parseBelowTenThousand(text);
}

/**
 * 4十7 → 四十七, 1百零2 → 一百零二: with a unit character (十/百/千/万) in the number, an Arabic digit standing alone is
 * the digit before or after a unit. A run of several (12十) could mean 一十二十 or 十二十: refused (undefined). Text
 * without Arabic digits is returned as it is.
 */
function mixedToChinese(text: string): string | undefined {
  if (!/\d/.test(text)) return text;
  if (!/[十百千万]/.test(text) || /\d{2}/.test(text)) return undefined;
  return text.replace(/\d/g, (d) => CN[Number(d)]!);
}

/**
 * 0..9999 written with 十/百/千. Units must descend (千 > 百 > 十), each at most once; 零 marks a skipped unit;
 * a leading 十 means 一十 (十七 = 17); 两 only before a unit (两百, not 十两).
 * `afterWan`: the part after 万 may start with 零 (一万零三).
 */
function parseBelowTenThousand(text: string, afterWan = false): number | undefined {
  let total = 0;
  let pending: number | undefined;
  let lastUnit = 10_000;
  let sawZero = false;
  const chars = [...text];
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i]!;
    if (c === '零' || c === '〇') {
      if (pending !== undefined || sawZero) return undefined;
      if (i === 0 && !afterWan) return undefined;
      sawZero = true;
      continue;
    }
    const unit = UNITS[c];
    if (unit !== undefined) {
      if (unit >= lastUnit) return undefined;
      if (pending === undefined) {
        // 十 alone at the start (or after 零) means 一十; other units need a digit.
        if (unit !== 10 || (i !== 0 && !sawZero)) return undefined;
        pending = 1;
      }
      total += pending * unit;
      pending = undefined;
      lastUnit = unit;
      sawZero = false;
      continue;
    }
    const d = DIGITS[c];
    if (d === undefined || pending !== undefined) return undefined;
    if (c === '两' && chars[i + 1] === undefined) return undefined;
    // A digit after a skipped unit without 零 (一百三 = 130 colloquially) is ambiguous: refuse.
    if (lastUnit < 10_000 && lastUnit > 10 && !sawZero && chars[i + 1] === undefined) return undefined;
    pending = d;
    sawZero = false;
  }
  if (sawZero) return undefined;
  if (pending !== undefined) total += pending;
  return total;
}

const CN = ['零', '一', '二', '三', '四', '五', '六', '七', '八', '九'];

/** 47 → 四十七, 103 → 一百零三, 10 → 十 (the form used in headings). */
export function toChineseNumber(n: number): string {
  if (!Number.isInteger(n) || n < 0 || n > 99_999_999) throw new NumeralRangeError(n);
  if (n < 10) return CN[n]!;
  if (n >= 10_000) {
    const high = Math.floor(n / 10_000);
    const low = n % 10_000;
    return `${toChineseNumber(high)}万${low === 0 ? '' : `${low < 1000 ? '零' : ''}${below(low)}`}`;
  }
  return below(n).replace(/^一十/, '十');
}

function below(n: number): string {
  const digits = String(n).padStart(4, '0').split('').map(Number);
  const units = ['千', '百', '十', ''];
  let out = '';
  let zero = false;
  digits.forEach((d, i) => {
    if (d === 0) {
      if (out) zero = true;
      return;
    }
    if (zero) out += '零';
    zero = false;
    out += CN[d]! + units[i]!;
  });
  return out;
}
