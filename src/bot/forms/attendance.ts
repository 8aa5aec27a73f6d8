import { quote } from '../../content/format.ts';
import { parseNumber } from '../../content/numerals.ts';
import { isControlWord } from './control-words.ts';
import { tidy } from './parsers.ts';
import { readsAsQuestion } from './question-like.ts';

/**
 * Readers of who was there and who was not, as secretaries write it: counts (12人, 到会12人, 应到15实到12, 十二人),
 * lists of names (张三、李四 / 张三 李四 / 张三和李四), and absentees with reasons with or without brackets
 * (李老师出差，赵老师病假 / 李老师因出差请假 / 赵老师（病假）). Undefined (or an error) when unsure.
 */
export interface Attendance {
  /** How many were there (实到). */
  count: number;
  names: string[];
  /** How many should have been there (应到), when the secretary said so: kept, not folded into `count`. */
  expected?: number;
}
export interface Absentee {
  name: string;
  reason: string;
}

const NUM = '[0-9零〇一二两三四五六七八九十百]+';
const PEOPLE = '(?:(?:个人|人|名|位|个)(?:同志|同学|老师|党员|教师|学生|人)?)';

/** What a number in a head count is, by the word before or after it. */
type Role = 'expected' | 'present' | 'absent' | 'total';
const BEFORE: Array<[Role, string]> = [
  ['expected', '应到会?|应参加|应出席|应参会|应有'],
  ['absent', '缺席|缺勤|缺会|缺|请假|未到|没到|没来'],
  ['present', '实到会?|实际(?:到会|参加|出席|到场|到|参会)|实参加|实出席|到会|参加|出席|参会|与会|到场|到'],
  // Alone "全体15人" means all fifteen came; next to a number present, it is how many there should have been.
  ['total', '共计|一共|总共|合计|全体|全部|全组|总人数|共'],
];
const AFTER: Array<[Role, string]> = [
  ['expected', '应到'],
  ['absent', '缺席|缺勤|请假|未到|没到|没来'],
  ['present', '实到|参加|到会|出席|参会|与会|到场|全到'],
];
const roleOf = (table: Array<[Role, string]>, word: string | undefined): Role | undefined =>
  word ? table.find(([, re]) => new RegExp(`^(?:${re})$`).test(word))?.[0] : undefined;
const HEAD_PIECE = new RegExp(
  `^(?:其中)?(?:(${BEFORE.map(([, re]) => re).join('|')})(?:人数)?(?:为|是|:|：)?(${NUM})${PEOPLE}?|(?:人数(?:为|是|:|：)?)?(${NUM})${PEOPLE}?(${AFTER.map(([, re]) => re).join('|')})?)(?:了)?`,
);

/** A head count read, or what is wrong with it (应到15实到12缺2 does not add up). */
export type Headcount = { count: number; expected?: number } | { error: string };

/**
 * A head count: 12, 12人, 12个人, 十二人, 到会12人, 实到12人, 全体15人, 共12人, 12人参加; with how many should have come:
 * 应到15实到12, 应到15人，实到12人，缺3人, 实到12人，3人请假, 应到15人，缺3人 (present and expected both kept, the one
 * not said worked out from the others). Pieces that do not add up are an error; undefined when it is not a count.
 */
export function parseHeadcount(text: string): Headcount | undefined {
  // "到会12人（应到15人）": a bracketed part of a head count is one more piece of it.
  let rest = tidy(text)
    .replace(/\s+/g, '')
    .replace(/[(（]([^()（）]+)[)）]$/, '，$1');
  const said: Partial<Record<Role, number>> = {};
  while (rest) {
    const m = HEAD_PIECE.exec(rest);
    if (!m || !m[0]) return undefined;
    const role = m[1] !== undefined ? roleOf(BEFORE, m[1]) : (roleOf(AFTER, m[4]) ?? 'present');
    const digits = m[2] ?? m[3]!;
    const n = digits === '两' ? 2 : parseNumber(digits); // 两 alone, refused by parseNumber for headings, is a count here
    // The same thing said twice (实到12 … 到会12) is not a head count this reader can trust.
    if (!role || n === undefined || said[role] !== undefined) return undefined;
    said[role] = n;
    rest = rest.slice(m[0].length).replace(/^[,，、;；]+/, '');
  }
  let { expected, present } = said;
  const { absent } = said;
  if (said.total !== undefined) {
    if (present === undefined && expected === undefined && absent === undefined) present = said.total;
    else if (expected === undefined) expected = said.total;
    else return undefined;
  }
  if (present === undefined && expected !== undefined && absent !== undefined) present = expected - absent;
  if (present === undefined)
    return expected !== undefined ? { error: `只写了应到 ${expected} 人，请再写实到人数，例如“应到${expected}实到${Math.max(expected - 1, 0)}”。` } : undefined;
  if (expected === undefined && absent !== undefined) expected = present + absent;
  if (expected !== undefined) {
    if (present > expected) return { error: `实到 ${present} 人多于应到 ${expected} 人，请核对。` };
    if (absent !== undefined && expected - present !== absent) {
      return { error: `应到 ${expected} 人、实到 ${present} 人，缺席应为 ${expected - present} 人，而不是 ${absent} 人，请核对。` };
    }
  }
  return expected !== undefined ? { count: present, expected } : { count: present };
}

/** The number present of a head count (see parseHeadcount); undefined when it is not one or does not add up. */
export function parseCount(text: string): number | undefined {
  const h = parseHeadcount(text);
  return h && 'count' in h ? h.count : undefined;
}

/** A person's name as written in a list: 2–8 Chinese characters (李老师, 欧阳小明, 阿卜杜·热合曼) or a Latin name. */
export function looksLikeName(s: string): boolean {
  // "张三请假" is a name and a reason, not a name.
  // Nor is "小张请假了": a reason anywhere in it makes it an absence, which belongs to the next question.
  if (isControlWord(s) || /请假|缺席|出差|病假|事假|生病|未到|没来|没到|不在|外出|开会去/.test(s)) return false;
  // Nor is "本周安排" or "开会能发纪念品吗": no name has a question word in it (not even as an indefinite, 谁都没),
  // so a question is never a list of people.
  if (readsAsQuestion(s) || /什么|啥|怎|哪|谁|吗|呢/.test(s)) return false;
  // Nor is "没有", "不清楚", "全体党员" or "大概十来个": words for nobody, not knowing, everyone or a rough count.
  if (NOT_A_NAME.test(s)) return false;
  return /^[\p{Script=Han}·•]{2,8}$/u.test(s) || /^[A-Za-z][A-Za-z .'-]{1,30}$/.test(s);
}

/** Words no person's name contains: nobody, not knowing, everyone, rough counts, groups of people. */
const NOT_A_NAME =
  /没有|没人|无人|不清楚|不知道|不记得|不确定|忘了|记不清|全体|全员|全部|所有|大家|都来|都到|到齐|大概|大约|左右|差不多|上下|来个|来人|多个|多人|几个|几人|若干|一些|部分|党员|群众|同志们|同学们|老师们|人员|成员|随便/;

/**
 * Why a text at the attendees step is not an attendance, when it is one of the ways people avoid giving one: nobody
 * (没有), not knowing (不清楚), everyone without a number (全体党员, 全员参加), or a rough count (大概十来个, 约12人, 12人左右).
 * The reply asks for what is missing; undefined for anything else.
 */
export function attendanceProblem(text: string): string | undefined {
  const t = tidy(text).replace(/\s+/g, '');
  if (/不清楚|不知道|不记得|不确定|忘了|记不清|没统计/.test(t)) return '参加人员需要如实填写。请向本组核实后填写实到人数，例如“12人”，或参加人员名单。';
  if (/^(?:无|没有|没|没有人|没人|无人|零人?|0人?|一个都没有?|都没来|谁都没来)(?:参加|来)?$/.test(t)) {
    return '参加人员不能为空。如果这次学习没有举行，请回复“取消”；否则请填写实到人数，例如“12人”。';
  }
  const rough = /大概|大约|约|左右|差不多|上下|来[个人位名]|多[个人位名]|[十几]几[个人位名]?|若干|一些|好几/;
  if (rough.test(t)) {
    const n = parseCount(t.replace(/大概|大约|约|左右|差不多|上下/g, ''));
    return `“${tidy(text)}”是大约的人数。请填写确切的实到人数，例如“${n ?? 12}人”。`;
  }
  if (/全体|全员|全部|所有|大家|都来|都到|到齐|全到/.test(t)) return '请写明实到人数，例如“全体15人”或“12人”；也可以写参加人员名单。';
  return undefined;
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
 * 张三、李四等12人 · 应到15实到12（with how many should have come). With names only the count is the number of names.
 * An error when the head count does not add up (see parseHeadcount).
 */
export function parseAttendance(text: string): Attendance | { error: string } | undefined {
  // "18人，名单：小王、小李等" reads as "18人：小王、小李": the label and a trailing 等 say nothing more.
  const t = tidy(text)
    .replace(/[,，;；]?\s*(?:参加人员|参会人员|到会人员|出席人员|人员名单|名单)(?:如下|为|是)?\s*[:：]?\s*/, '：')
    .replace(/^：/, '')
    .replace(/(?<=\p{Script=Han})等(?:人|同志|同学|老师)?$/u, '');
  const withNames = (h: Headcount, names: string[]): Attendance | { error: string } => ('error' in h ? h : { ...h, names });
  // "20人都到了", "全到了，20人": everyone expected came, so 应到 and 实到 are the same number. Without a number it is
  // no count (and no one's name).
  const everyone = new RegExp(
    `^(?:(${NUM})${PEOPLE}?[,，\\s]*)?(?:都|全|全都|全部|全员)(?:到|来|参加)(?:了|齐了?)?(?:[,，\\s]*(${NUM})${PEOPLE}?)?$|^(?:(${NUM})${PEOPLE}?[,，\\s]*)?到齐了?(?:[,，\\s]*(${NUM})${PEOPLE}?)?$`,
  ).exec(t);
  if (everyone) {
    const digits = everyone[1] ?? everyone[2] ?? everyone[3] ?? everyone[4];
    const n = digits === undefined ? undefined : digits === '两' ? 2 : parseNumber(digits);
    return n === undefined ? undefined : { count: n, expected: n, names: [] };
  }
  const whole = parseHeadcount(t);
  if (whole !== undefined) return withNames(whole, []);
  const split =
    /^(.+?)\s*[:：]\s*(.+)$/.exec(t) ?? /^(.+?)\s*[(（]\s*(.+?)\s*[)）]$/.exec(t) ?? new RegExp(`^(.+?${PEOPLE}(?:参加|到会|出席)?)[,，;；\\s]+(.+)$`).exec(t);
  if (split) {
    const head = parseHeadcount(split[1]!);
    // "实到十二人" is two to eight Chinese characters but no name: a list that is itself a head count is not names.
    const names = parseHeadcount(split[2]!) === undefined ? parseNames(split[2]!) : undefined;
    if (head !== undefined && names) return withNames(head, names);
  }
  const etc = new RegExp(`^(.+?)等(?:共)?\\s*(${NUM}${PEOPLE}?)(?:参加|到会|出席)?$`).exec(t);
  if (etc) {
    const names = parseNames(etc[1]!);
    const n = parseHeadcount(etc[2]!);
    if (names && n !== undefined) return withNames(n, names);
  }
  const names = parseNames(t);
  return names ? { count: names.length, names } : undefined;
}

/**
 * Whether who was absent contradicts who was there: a name in both lists, more absentees than 应到 minus 实到, or
 * "nobody" when the head count says some were missing. Fewer names than missing is fine (not everyone's reason is
 * known). The reply says what to check; undefined when nothing contradicts.
 */
export function absenceConflict(attendance: Attendance | null | undefined, absentees: Absentee[] | null | undefined): string | undefined {
  if (!attendance || !absentees) return undefined;
  const both = absentees.filter((a) => attendance.names.includes(a.name)).map((a) => a.name);
  if (both.length) return `“${both.join('、')}”同时在参加名单和缺席名单中，请核对。`;
  if (attendance.expected === undefined) return undefined;
  const missing = attendance.expected - attendance.count;
  const said = `参加人员一项记的是应到 ${attendance.expected} 人、实到 ${attendance.count} 人`;
  if (absentees.length === 0 && missing > 0) return `${said}，有 ${missing} 人缺席。请填写缺席人员及原因；不清楚可回复“跳过”。`;
  if (absentees.length > missing) return `${said}，${missing ? `缺席 ${missing} 人` : '没有人缺席'}，这里列出了 ${absentees.length} 人，请核对。`;
  return undefined;
}

/** 无 · 没有 · 全到了 · 无人缺席 · 0人 … */
export function meansNobody(text: string): boolean {
  const t = tidy(text).replace(/\s+/g, '');
  return /^(?:无|没有|没|暂无|全到|全到了|全部到了|全部到齐|全员到齐|到齐了|都到了|全部参加|全员参加|全体参加|全体出席|无人缺席|没有人缺席|没人缺席|无缺席|没有缺席|零人?|0人?)$/.test(
    t,
  );
}

/** Words that begin a reason written straight after a name, without brackets or a space: 李老师出差, 张三请假. */
const REASON_START =
  /因|由于|出差|公差|公出|外出|病假|事假|产假|婚假|丧假|年假|休假|请假|生病|身体|住院|培训|进修|学习|开会|会议|上课|有课|监考|值班|出国|挂职|支教|借调|实习|探亲|家里|家中|有事|缺席|未到|没来|调休|在外|外地/;
/** Titles that end a name: the reason starts right after them (李老师出差). */
const TITLE_END = /^(.{1,4}?(?:老师|同学|同志|书记|主任|院长|校长|处长|科长|教授|博士|主席|部长|辅导员))(.+)$/;

function cleanReason(raw: string): string {
  let r = raw
    .trim()
    .replace(/^(?:因为|因|由于|是)/, '')
    .replace(/[了。.]+$/, '');
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
    if (!a) return { error: `没有看懂${quote(part)}，请写成“姓名（原因）”。` };
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
