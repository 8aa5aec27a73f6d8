import { parseNumber } from '../../content/numerals.ts';
import { isControlWord } from './control-words.ts';
import { tidy } from './parsers.ts';

/**
 * Readers of who was there and who was not, as secretaries write it: counts (12人, 到会12人, 应到15实到12, 十二人),
 * lists of names (张三、李四 / 张三 李四 / 张三和李四), and absentees with reasons with or without brackets
 * (李老师出差，赵老师病假 / 李老师因出差请假 / 赵老师（病假）). Undefined (or an error) when unsure.
 */
export interface Attendance {
  count: number;
  names: string[];
}
export interface Absentee {
  name: string;
  reason: string;
}

const NUM = '[0-9零〇一二两三四五六七八九十百]+';
const PEOPLE = '(?:(?:个人|人|名|位|个)(?:同志|同学|老师|党员|教师|学生|人)?)';

/**
 * A head count: 12, 12人, 12个人, 十二人, 到会12人, 实到12人, 全体15人, 共12人, 12人参加, 应到15实到12 (the number present).
 */
export function parseCount(text: string): number | undefined {
  const t = tidy(text).replace(/\s+/g, '');
  const both = new RegExp(`^应(?:到|参加|出席)(?:人数)?(${NUM})${PEOPLE}?[,，、;；]?实(?:到|际参加|际到会|际出席)?(?:人数)?(${NUM})${PEOPLE}?$`).exec(t);
  if (both) return parseNumber(both[2]!);
  const m = new RegExp(
    `^(?:共|共计|一共|总共|合计|全体|全部|到会|实到|参加|出席|参会|与会|到场|到)?(?:人数)?(?:为|是|:)?(${NUM})${PEOPLE}?(?:参加|到会|出席|参会|与会|到场|全到)?(?:了)?$`,
  ).exec(t);
  return m ? parseNumber(m[1]!) : undefined;
}

/** A person's name as written in a list: 2–8 Chinese characters (李老师, 欧阳小明, 阿卜杜·热合曼) or a Latin name. */
export function looksLikeName(s: string): boolean {
  // "张三请假" is a name and a reason, not a name.
  // Nor is "小张请假了": a reason anywhere in it makes it an absence, which belongs to the next question.
  if (isControlWord(s) || /请假|缺席|出差|病假|事假|生病|未到|没来|没到|不在|外出|开会去/.test(s)) return false;
  return /^[\p{Script=Han}·•]{2,8}$/u.test(s) || /^[A-Za-z][A-Za-z .'-]{1,30}$/.test(s);
}

/** Names separated by 、，, ; spaces or 和/及/与; undefined when any piece is not a name. */
export function parseNames(text: string): string[] | undefined {
  const parts = tidy(text)
    // Spaces separate Chinese names, not the parts of a Latin one (Li Lei).
    .split(/\s*[、,，;；]\s*|(?<=\p{Script=Han})\s+|\s+(?=\p{Script=Han})|(?<=\p{Script=Han}{2,})(?:和|及|与|以及)(?=\p{Script=Han}{2,})/u)
    .map((s) => s.trim())
    .filter(Boolean);
  return parts.length && parts.every(looksLikeName) ? [...new Set(parts)] : undefined;
}

/**
 * Attendance: a count, names, or both — 12人 · 张三、李四、王五 · 12人：张三、李四 · 到会12人（张三、李四）·
 * 张三、李四等12人. With names only the count is the number of names.
 */
export function parseAttendance(text: string): Attendance | undefined {
  // "18人，名单：小王、小李等" reads as "18人：小王、小李": the label and a trailing 等 say nothing more.
  const t = tidy(text)
    .replace(/[,，;；]?\s*(?:参加人员|参会人员|到会人员|出席人员|人员名单|名单)(?:如下|为|是)?\s*[:：]?\s*/, '：')
    .replace(/^：/, '')
    .replace(/(?<=\p{Script=Han})等(?:人|同志|同学|老师)?$/u, '');
  const count = parseCount(t);
  if (count !== undefined) return { count, names: [] };
  const split =
    /^(.+?)\s*[:：]\s*(.+)$/.exec(t) ?? /^(.+?)\s*[(（]\s*(.+?)\s*[)）]$/.exec(t) ?? new RegExp(`^(.+?${PEOPLE}(?:参加|到会|出席)?)[,，;；\\s]+(.+)$`).exec(t);
  if (split) {
    const head = parseCount(split[1]!);
    const names = parseNames(split[2]!);
    if (head !== undefined && names) return { count: head, names };
  }
  const etc = new RegExp(`^(.+?)等(?:共)?\\s*(${NUM}${PEOPLE}?)(?:参加|到会|出席)?$`).exec(t);
  if (etc) {
    const names = parseNames(etc[1]!);
    const n = parseCount(etc[2]!);
    if (names && n !== undefined) return { count: n, names };
  }
  const names = parseNames(t);
  return names ? { count: names.length, names } : undefined;
}

/** 无 · 没有 · 全到了 · 无人缺席 · 0人 … */
export function meansNobody(text: string): boolean {
  const t = tidy(text).replace(/\s+/g, '');
  return /^(?:无|没有|没|暂无|全到|全到了|全部到了|全部到齐|全员到齐|到齐了|都到了|全部参加|全员参加|全体参加|全体出席|无人缺席|没有人缺席|没人缺席|无缺席|没有缺席|零人?|0人?)$/.test(t);
}

/** Words that begin a reason written straight after a name, without brackets or a space: 李老师出差, 张三请假. */
const REASON_START =
  /因|由于|出差|公差|公出|外出|病假|事假|产假|婚假|丧假|年假|休假|请假|生病|身体|住院|培训|进修|学习|开会|会议|上课|有课|监考|值班|出国|挂职|支教|借调|实习|探亲|家里|家中|有事|缺席|未到|没来|调休|在外|外地/;
/** Titles that end a name: the reason starts right after them (李老师出差). */
const TITLE_END = /^(.{1,4}?(?:老师|同学|同志|书记|主任|院长|校长|处长|科长|教授|博士|主席|部长|辅导员))(.+)$/;

function cleanReason(raw: string): string {
  let r = raw.trim().replace(/^(?:因为|因|由于|是)/, '').replace(/[了。.]+$/, '');
  if (r !== '请假' && r !== '缺席') r = r.replace(/(?:请假|缺席|未参加|没参加|未到|没来)$/, '') || r;
  if (r === '病') return '生病';
  return r;
}

/** One "name reason" piece; undefined when the name and the reason cannot be told apart. */
function absenteeOf(part: string): { name: string; reason?: string } | undefined {
  const p = part.trim();
  if (looksLikeName(p) && !REASON_START.test(p.slice(2))) return { name: p };
  const bracket = /^(.+?)\s*[(（]\s*(.+?)\s*[)）]$/.exec(p) ?? /^(\S+?)\s+(.+)$/.exec(p) ?? /^(.+?)[:：]\s*(.+)$/.exec(p);
  if (bracket && looksLikeName(bracket[1]!)) return { name: bracket[1]!, reason: cleanReason(bracket[2]!) };
  const titled = TITLE_END.exec(p);
  if (titled && looksLikeName(titled[1]!)) return { name: titled[1]!, reason: cleanReason(titled[2]!) };
  for (let i = 2; i <= Math.min(4, p.length - 1); i++) {
    if (REASON_START.test(p.slice(i)) && p.slice(i).search(REASON_START) === 0 && looksLikeName(p.slice(0, i))) {
      return { name: p.slice(0, i), reason: cleanReason(p.slice(i)) };
    }
  }
  return undefined;
}

/**
 * Absentees with reasons: 李老师出差，赵老师病假 · 李老师因出差请假 · 赵老师（病假）· 王五 病假 · 张三和李四出差 (a reason
 * after several names is theirs together) · 无. An error names the piece that could not be read.
 */
export function parseAbsentees(text: string): { value: Absentee[] } | { error: string } {
  if (meansNobody(text)) return { value: [] };
  const parts = tidy(text)
    .split(/[、,，;；]+|(?<=[)）])\s*|(?<=\p{Script=Han})(?:和|及|与|以及|还有)(?=\p{Script=Han}{2,})/u)
    .map((s) => s.trim())
    .filter(Boolean);
  if (!parts.length) return { error: '没有识别出缺席人员。' };
  const out: Absentee[] = [];
  let waiting: string[] = [];
  for (const part of parts) {
    const a = absenteeOf(part);
    if (!a) return { error: `没有看懂“${part}”，请写成“姓名（原因）”。` };
    if (!a.reason) {
      waiting.push(a.name);
      continue;
    }
    for (const name of [...waiting, a.name]) out.push({ name, reason: a.reason });
    waiting = [];
  }
  if (waiting.length) return { error: `“${waiting.join('、')}”缺少缺席原因。` };
  return { value: out };
}
