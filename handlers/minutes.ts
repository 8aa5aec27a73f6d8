import { Composer, normalizeText } from '../src/bot/composer.ts';
import type { BotContext } from '../src/bot/context.ts';
import type { ConversationMemory } from '../src/bot/conversation-memory.ts';
import { USE_DEFAULT } from '../src/bot/forms/control-words.ts';
import {
  absenceConflict,
  attendanceProblem,
  looksLikeName,
  parseAbsentees,
  parseAttendance,
  parseCount,
  parseNames,
  type Absentee,
  type Attendance,
} from '../src/bot/forms/attendance.ts';
import type { FormEngine } from '../src/bot/forms/engine.ts';
import { FormRedirect, FormRefusal, type AnyField, type FieldScope, type FormDefinition, type FormPatch } from '../src/bot/forms/form.ts';
import { matchChoice, parseChoices, parseDateAnswer, parseListChoice, parseOneChoice, parseWeekAnswer, tidy } from '../src/bot/forms/parsers.ts';
import type { Content } from '../src/content/content.ts';
import { clip, quote } from '../src/content/format.ts';
import { daysBetween, formatDateWithWeekday, formatMonthDay, formatShanghaiTime, shanghaiDate } from '../src/content/dates.ts';
import {
  formatAbsentees,
  formatAttendance,
  formatRecord,
  personName,
  receiptWithVersion,
  RECORD_FIELD_NAMES,
  recordFieldsOf,
  RecordPolicy,
  sessionLabel,
  versionName,
} from '../src/records/index.ts';
import { toChineseNumber } from '../src/content/numerals.ts';
import type { FormState, Store, Submission } from '../src/storage/ports.ts';
import { MINUTES_TRIGGERS, isFormWordWithoutForm, isMinutesTrigger, isMyRecords, parseAmendRecord } from './record-commands.ts';
import { HELP_WORDS } from './help.ts';
import { adminNames, describeExisting, existingOf, nothingOpen, offeredSessions, whyNotOffered, type ExistingRecord } from './minutes-sessions.ts';
import { isOfficeCommand } from './office.ts';
import { parseRecordStatusQuestion } from './record-questions.ts';
import { parseOwnRecordQuery } from './own-records.ts';
import { draftPhotoOwner } from '../src/records/photos.ts';

/**
 * The discussion record (学习讨论记录) by chat: 提交记录 starts the form; 我的记录 lists what the secretary's groups
 * handed in; 修改记录 N amends one until the session's records close (end of its month + closeAfterMonthEndDays).
 * Only a group's secretaries (or the party office's admins) may submit for it. A group has one record per session:
 * whoever starts a second one is told who handed it in and offered 修改这份记录 / 查看, never a blank form that would
 * replace it. The group's previous place and recorder are offered as defaults (同上次).
 */
type Group = Content['roster']['groups'][number];

export const MINUTES_FORM_ID = 'minutes';
/** The answers to "this group already has a record": amend it, or look at it first. */
const AMEND_WORDS = ['修改', '修改这份记录', '修改这份', '修改它', '在此基础上修改', '修改原记录', '用我的内容修改', '改'];
const VIEW_WORDS = ['查看', '看看', '看一下', '查看内容', '查看这份记录', '查看记录'];
const EXISTING_CHOICES = [...AMEND_WORDS, ...VIEW_WORDS];
const EXISTING_CHOICES_SET = new Set(EXISTING_CHOICES.map(normalizeText));
/** The menu's words a form answers as a command (帮助 and help are the form's own help), as written (？ normalises to nothing). */
const MENU_WORDS_IN_FORM = new Set(HELP_WORDS.filter((w) => w !== '帮助' && w !== 'help'));
/** The form's own commands: starting it (engine triggers) and its words with no form open (the engine's control words). */
const FORM_OWN_HANDLERS = new Set(['minutes', 'no-form']);
/** How far the date a session was actually held may be from its scheduled date: moved within a fortnight, not more. */
const HELD_ON_MAX_DAYS_FROM_SESSION = 14;

/** What the form looked up about the group (answers that are not fields of the record). */
interface Facts {
  existing?: ExistingRecord;
  basedOn?: { receipt: string; revision: number };
  previous?: { place?: string; recorder?: string };
  /** The sessions the group had a record for when the form looked (marked 已提交 in the list, never the default). */
  submitted?: string[];
}

/** Groups a user may submit for: the ones they are secretary of, or every group for an admin. */
export function groupsOf(content: Content, userId: string): Group[] {
  return RecordPolicy.of(content).groupsOf(userId);
}

/**
 * `commands`: which command handler would take a text (the intent step's dry run over the record and office
 * commands, handlers/index.ts), for `isCommand`.
 */
export function minutesForm(content: Content, store: Store, commands: (text: string, ctx: BotContext) => string | undefined): FormDefinition {
  const today = (s: FieldScope | BotContext) => ('ctx' in s ? s.ctx : s).understood.today;
  const group = (s: FieldScope) => content.roster.groups.find((g) => g.id === s.answers.group);
  const policy = RecordPolicy.of(content);
  // The themes and questions are those of the plan the chosen session belongs to (a plan imported later has its own).
  const planOf = (s: FieldScope) => (typeof s.answers.session === 'string' ? policy.planOf(s.answers.session) : undefined) ?? content;
  const themes = (s: FieldScope) => planOf(s).plan.themes;
  const kindQuestions = (s: FieldScope) => {
    const q = planOf(s).plan.questions;
    const own = group(s)?.kind === 'student' ? q.students : q.staff;
    // A notice asking everyone the same questions (讨论思考题) lists them for every group.
    return own.length ? own : q.others.flatMap((o) => o.items);
  };
  const numbered = (items: readonly string[]) => items.map((x, i) => `${i + 1}. ${x}`).join('\n');
  const sessions = (s: FieldScope) => offeredSessions(content, today(s), content.isAdmin(s.ctx.userId), group(s));
  const facts = (s: { answers: Record<string, unknown> }) => s.answers as Facts;
  const ownName = (userId: string) => (personName(content, userId) === userId ? undefined : personName(content, userId));
  const groupById = (groupId: unknown) => content.roster.groups.find((g) => g.id === groupId);
  const ownRecorder = (userId: string, groupId: unknown) => groupById(groupId)?.secretaries.some((x) => x.userId === userId) ?? true;
  const groupSecretaryName = (groupId: unknown) => {
    const first = groupById(groupId)?.secretaries[0];
    return first ? personName(content, first.userId) : undefined;
  };

  const fields: AnyField[] = [
    {
      name: 'group',
      label: '学习组',
      // A group of the roster, never one written here.
      example: `1${content.roster.groups.length ? `，或组名“${content.roster.groups.at(-1)!.name}”` : ''}`,
      skipWhen: (s) => groupsOf(content, s.ctx.userId).length === 1,
      default: (s) => (groupsOf(content, s.ctx.userId).length === 1 ? groupsOf(content, s.ctx.userId)[0]!.id : undefined),
      prompt: (s) => `为哪个学习组提交？\n${numbered(groupsOf(content, s.ctx.userId).map((g) => g.name))}`,
      parse: (text, s) => {
        const groups = groupsOf(content, s.ctx.userId);
        const m = matchChoice(text, groups, (x) => x.name);
        if (m && 'ambiguous' in m) {
          // Numbered as in the prompt's list, so the reply can be just the number.
          const which = m.ambiguous.map((g) => `${groups.indexOf(g) + 1}. ${g.name}`).join('\n');
          return { error: `${quote(tidy(text))}可能是以下几个学习组，请回复序号：\n${which}`, understood: true };
        }
        if (m) return { value: m.item.id };
        // Another secretary's group: say whose it is and whom to ask, rather than "not found".
        const other = /^\d+$/.test(tidy(text)) ? undefined : matchChoice(text, content.roster.groups, (x) => x.name);
        if (other && 'item' in other) {
          const names = other.item.secretaries.map((p) => personName(content, p.userId)).join('、');
          return {
            error: `${other.item.name}不是您负责的学习组，它的记录由${names}提交。如需代为提交，请联系管理员（${adminNames(content)}）。请回复列表中的序号或组名。`,
            understood: true,
          };
        }
        return { error: '没有找到这个学习组，请回复列表中的序号或组名。' };
      },
      format: (id: string) => content.roster.groups.find((g) => g.id === id)?.name ?? id,
    },
    {
      name: 'session',
      label: '学习场次',
      example: '1，或日期（如“上周二”）',
      // The most recent session the group has not handed in yet: one already handed in is no default (a second
      // secretary of the group would otherwise be offered 好 for it).
      default: (s) => sessions(s).find((e) => !facts(s).submitted?.includes(e.date))?.date,
      prompt: (s) =>
        `记录的是哪一次学习？\n${numbered(
          sessions(s).map(
            (e) =>
              `${sessionLabel(e)}${facts(s).submitted?.includes(e.date) ? '（本组已提交）' : ''}${policy.isClosed(e.date, today(s)) ? '（已截止，管理员补录）' : ''}`,
          ),
        )}`,
      parse: (text, s) => {
        const offered = sessions(s);
        const byNumber = /^(?:第)?(?:\d+|[一二三四五六七八九十]+)(?:个|项)?$/.test(tidy(text)) ? parseOneChoice(text, offered, sessionLabel) : undefined;
        const date = parseDateAnswer(text, today(s));
        // 上周那次: the week's one session offered; with several that week, which day. With none, the text is left to be
        // read otherwise (本周 alone may be a question about the week's agenda).
        const week = parseWeekAnswer(text, today(s));
        const inWeek = week ? offered.filter((e) => e.date >= week.from && e.date <= week.to) : [];
        if (inWeek.length > 1) return { error: `这一周有 ${inWeek.length} 次学习，请回复列表中的序号或日期。`, understood: true };
        const hit = byNumber ?? offered.find((e) => e.date === date) ?? inWeek[0] ?? parseOneChoice(text, offered, sessionLabel);
        if (hit) return { value: hit.date };
        const named = date ? policy.session(date) : undefined;
        const isAdmin = content.isAdmin(s.ctx.userId);
        const why = named && whyNotOffered(content, named, today(s), isAdmin);
        if (why) return { error: why, understood: true };
        // An admin's late entry for a session of an older plan, named by its date (not listed, to keep the list short).
        if (named && isAdmin && (!group(s) || policy.owes(group(s)!, named))) return { value: named.date };
        if (date) return { error: `${formatDateWithWeekday(date)}没有需要提交记录的学习活动。`, understood: true };
        // Not `understood`: 本周 alone may be a question about the week's agenda, answered before the form asks again.
        if (week) return { error: `${formatMonthDay(week.from)}至${formatMonthDay(week.to)}这一周没有可以提交记录的学习活动。` };
        return { error: '没有识别出是哪一次学习，请回复列表中的序号或日期。' };
      },
      format: (date: string) => {
        const e = policy.session(date);
        return e ? sessionLabel(e) : formatMonthDay(date);
      },
    },
    {
      name: 'existingChoice',
      label: '已有记录',
      example: '“修改这份记录”或“查看”；要选其他场次请回复“返回”',
      skipWhen: (s) => !facts(s).existing,
      // Only when the group already has a record: unnumbered, so the counter's total does not grow mid-form.
      aside: true,
      takesReservedWords: true,
      prompt: (s) => {
        const e = facts(s).existing!;
        const where = `${group(s)?.name ?? ''} ${fields[1]!.format(s.answers.session, s)}`;
        return e.raced
          ? `在您填写期间，${where}的记录已经由${describeExisting(content, e)}。为避免覆盖，您的内容还没有保存。\n回复“修改这份记录”用您填写的内容修改它（保存为${versionName(e.revision + 1)}），“查看”先看对方的记录，或“取消”放弃。`
          : `${where}已经有记录了：${describeExisting(content, e)}。\n回复“修改这份记录”在它的基础上修改，“查看”查看内容；要选其他场次请回复“返回”。`;
      },
      parse: (text) => {
        const t = tidy(text).replace(/\s+/g, '');
        if (AMEND_WORDS.includes(t)) return { value: 'amend' };
        if (VIEW_WORDS.includes(t)) return { value: 'view' };
        return { error: '请回复“修改这份记录”或“查看”；要选其他场次请回复“返回”。', understood: true };
      },
      format: (v: string) => (v === 'amend' ? '修改这份记录' : '查看'),
    },
    {
      name: 'heldOn',
      label: '学习日期',
      aliases: ['日期', '时间', '学习时间'],
      example: '5月16日、5.16、昨天、上周二',
      default: (s) => s.answers.session as string | undefined,
      prompt: () => '实际学习日期是哪天？',
      parse: (text, s) => {
        const d = parseDateAnswer(text, today(s));
        if (!d) return { error: '没有识别出日期。' };
        const problem = heldOnProblem(d, s.answers.session as string | undefined, today(s));
        if (problem) return { error: problem, understood: true };
        return { value: d };
      },
      format: (d: string) => formatDateWithWeekday(d),
    },
    {
      name: 'place',
      label: '地点',
      aliases: ['地方', '学习地点', '会议室', '房间', '位置', '开会地点'],
      example: '行政楼 302 会议室',
      optional: true,
      freeText: true,
      default: (s) => facts(s).previous?.place,
      defaultHint: (v: string) => `同上次：${v}`,
      prompt: () => '在哪里学习？',
      parse: (text, s) => {
        // Kept as written (full-width brackets and all): only a leading "地点：" is dropped.
        const place = text.trim().replace(/^地点\s*(?:是|在|:|：)?\s*/, '');
        if (!place) return { error: '没有识别出地点。' };
        // A day or a head count is some other step's answer sent here (302 alone may be a room: only a count of people).
        if (parseDateAnswer(place, today(s))) return { error: `“${tidy(place)}”是日期，不是地点。请填写学习的地点。`, understood: true };
        if (parseCount(place) !== undefined && /[人名位个到缺]/.test(place)) {
          return { error: `“${tidy(place)}”是人数，不是地点（参加人数在下一项填写）。请填写学习的地点。`, understood: true };
        }
        return [...place].length > 60 ? { error: '地点请控制在 60 字以内。' } : { value: place };
      },
      format: (v: string) => v,
    },
    {
      name: 'attendees',
      label: '参加人员',
      aliases: ['实到人数', '应到人数', '参加人数', '到会人数', '人数', '名单'],
      valueAliases: ['实到', '应到'],
      example: '12人，或“张三、李四、王五”，或“应到15实到12”，或“12人：张三、李四……”',
      prompt: () => '参加人数和/或名单？',
      parse: (text) => {
        const a = parseAttendance(text);
        if (a && 'error' in a) return { error: a.error, understood: true };
        if (!a && /请假|缺席|出差|病假|事假|生病|没来|没到/.test(text)) {
          return { error: '缺席的人员在下一项填写。这一项请先填参加人数或名单，例如“12人”。', understood: true };
        }
        const problem = a ? undefined : attendanceProblem(text);
        if (problem) return { error: problem, understood: true };
        if (!a) return { error: '没有识别出人数或名单。人数可写“12人”，名单请用顿号、逗号或空格分隔姓名。' };
        if (a.count < 1 || a.count > 500 || (a.expected ?? 0) > 500) return { error: '人数应在 1 到 500 之间。', understood: true };
        if (a.names.length > a.count) return { error: `名单有 ${a.names.length} 人，多于人数 ${a.count}，请核对。`, understood: true };
        return { value: a };
      },
      format: (a: Attendance) => formatAttendance(a),
      // 实到改成14 after 应到15实到15: the head count changes, what should have been there stays.
      amend: (previous: Attendance, corrected: Attendance, said: string) =>
        corrected.expected === undefined && previous.expected !== undefined && !/应到/.test(said) && corrected.count <= previous.expected
          ? { ...corrected, expected: previous.expected }
          : corrected,
    },
    {
      name: 'absentees',
      label: '缺席人员及原因',
      aliases: ['缺席人员', '缺席', '请假'],
      example: '李老师出差，赵老师病假；或“赵七（生病）”；没有请回复“无”',
      optional: true,
      prompt: (s) => {
        // The head count said how many were missing: say it, so the list is checked against it as it is written.
        const a = s.answers.attendees as Attendance | null | undefined;
        const missing = a?.expected !== undefined ? a.expected - a.count : undefined;
        if (missing === undefined) return '缺席人员及原因？（没有请回复“无”）';
        return missing > 0
          ? `缺席人员及原因？（${formatAttendance(a)}，缺席 ${missing} 人）`
          : `缺席人员及原因？（${formatAttendance(a)}，没有缺席请回复“无”）`;
      },
      parse: (text, s) => {
        const read = parseAbsentees(text);
        if ('error' in read) return read;
        const conflict = absenceConflict(s.answers.attendees as Attendance | null | undefined, read.value);
        return conflict ? { error: conflict, understood: true } : read;
      },
      format: (v: Absentee[]) => formatAbsentees(v),
    },
    {
      name: 'topic',
      label: '学习主题',
      aliases: ['主题', '题目'],
      example: '1、“专题一”“第二个”，都学了回复“全部”，或自己填写主题',
      freeText: true,
      default: (s) => (group(s)?.kind === 'student' ? themes(s)[1] : themes(s)[0]) ?? themes(s)[0],
      prompt: (s) =>
        themes(s).length
          ? `学习主题是？\n${numbered(themes(s))}\n回复序号或“专题一”；${themes(s).length === 2 ? '两' : toChineseNumber(themes(s).length)}个专题都学了请回复“全部”；也可以自己填写主题。`
          : '学习主题是？（学习通知没有列出专题，请自己填写）',
      parse: (text, s) => {
        // The plan's themes by number or ordinal (1, 专题一, 第二个, 1、2, 全部, 两个都有): exact, so never a question.
        const list = themes(s);
        const picked = list.length ? parseListChoice(text, list.length) : undefined;
        if (picked && 'outOfRange' in picked)
          return { error: `学习计划只有 ${list.length} 个专题，请回复序号 1—${list.length}，或自己填写主题。`, understood: true };
        if (picked) return { value: picked.map((i) => list[i]!).join('；'), exact: true };
        return { value: text.trim() };
      },
      format: (v: string) => v,
    },
    {
      name: 'questions',
      label: '讨论题',
      example: '1、2，“第一题和第二题”，或“全部”',
      // A notice without discussion questions: nothing to choose from, so not asked.
      skipWhen: (s) => typeof s.answers.session === 'string' && kindQuestions(s).length === 0,
      prompt: (s) => `讨论了哪些题目？\n${numbered(kindQuestions(s))}`,
      parse: (text, s) => {
        const picks = parseChoices(text, kindQuestions(s).length);
        return picks?.length
          ? { value: picks.map((i) => kindQuestions(s)[i]!) }
          : { error: `请回复题目序号（1—${kindQuestions(s).length}），多个用顿号分隔，或“全部”。` };
      },
      format: (v: string[] | null) => (v?.length ? v.map(quote).join('；') : '（无）'),
    },
    {
      name: 'summary',
      label: '讨论情况',
      aliases: ['讨论内容', '小结', '摘要', '概要', '内容摘要', '记录摘要'],
      example: '大家结合工作实际，围绕……展开讨论，认为……',
      freeText: true,
      multiMessage: { minLength: 30 },
      prompt: () => '请简要记录讨论情况（至少 30 字）：',
      parse: (text) => ({ value: text }),
      format: (v: string) => ([...v].length > 60 ? `${clip(v, 60)}（共 ${[...v].length} 字）` : v),
    },
    {
      name: 'recorder',
      label: '记录人',
      aliases: ['记录员'],
      example: '张三',
      // An admin entering a group's record is not its recorder: the group's first secretary is the likelier one.
      default: (s) => facts(s).previous?.recorder ?? (ownRecorder(s.ctx.userId, s.answers.group) ? ownName(s.ctx.userId) : groupSecretaryName(s.answers.group)),
      defaultHint: (v: string, s) => (facts(s).previous?.recorder === v ? `同上次：${v}` : undefined),
      prompt: () => '记录人是？',
      parse: (text, s) => {
        const t = tidy(text).replace(/^(?:记录人)?(?:是|为|:|：)\s*/, '');
        if (/^(?:我|本人|我自己|是我)$/.test(t) && ownName(s.ctx.userId)) return { value: ownName(s.ctx.userId)! };
        const names = looksLikeName(t) ? [t] : parseNames(t);
        return names && names.length <= 3 ? { value: names.join('、') } : { error: '请填写记录人的姓名。' };
      },
      format: (v: string) => v,
    },
  ];

  /** The group's record of the session and its latest other record (for 同上次), read fresh from the store. */
  async function lookUp(state: FormState): Promise<FormPatch> {
    const groupId = state.answers.group as string;
    const session = state.answers.session as string;
    const records = await store.submissions.list({ groupIds: [groupId] });
    const here = records.find((r) => r.session === session);
    const before = records.filter((r) => r.session !== session).sort((a, b) => b.session.localeCompare(a.session) || b.submittedAt - a.submittedAt)[0];
    const place = typeof before?.fields.place === 'string' ? before.fields.place : undefined;
    const recorder = typeof before?.fields.recorder === 'string' ? before.fields.recorder : undefined;
    const basedOn = facts(state).basedOn;
    const amendingThis = here && basedOn?.receipt === here.receipt;
    return {
      answers: {
        previous: place || recorder ? { ...(place ? { place } : {}), ...(recorder ? { recorder } : {}) } : undefined,
        existing: here && !amendingThis ? existingOf(here) : undefined,
        existingChoice: undefined,
        ...(amendingThis ? {} : { basedOn: undefined }),
      },
      ...(amendingThis ? {} : { amends: null }),
    };
  }

  /** The sessions a group has a record for now. */
  async function submittedBy(groupId: string): Promise<string[]> {
    return (await store.submissions.list({ groupIds: [groupId] })).map((r) => r.session);
  }

  /** 修改这份记录: the stored record's content to amend (or, after a race, this user's answers over it). */
  async function amendExisting(state: FormState): Promise<FormPatch> {
    const current = await store.submissions.get(state.answers.group as string, state.answers.session as string);
    if (!current) return { answers: { existing: undefined, existingChoice: undefined, basedOn: undefined }, intro: '这份记录已不存在，请接着填写新的记录。' };
    const basedOn = { receipt: current.receipt, revision: current.revision };
    if (facts(state).existing?.raced) {
      return {
        answers: { existing: undefined, basedOn },
        amends: current.receipt,
        atConfirm: true,
        intro: `将用您填写的内容修改${current.receipt}（保存为${versionName(current.revision + 1)}）。`,
      };
    }
    const loaded = Object.fromEntries(RECORD_FIELD_NAMES.map((k) => [k, current.fields[k] ?? null]));
    return {
      answers: { ...loaded, existing: undefined, basedOn },
      amends: current.receipt,
      atConfirm: true,
      intro: `已载入这份记录（${describeExisting(content, existingOf(current))}）。请核对，“修改 N”修改第 N 项，改好后回复“确认”保存为${versionName(current.revision + 1)}。`,
    };
  }

  return {
    id: MINUTES_FORM_ID,
    version: 2,
    title: '学习讨论记录',
    triggers: MINUTES_TRIGGERS,
    fields,
    reservedWords: EXISTING_CHOICES,
    // Another feature's command, as the intent step recognises it (the same recognisers that route it): no second
    // list. In a form, the menu's other words (菜单; 帮助 is the form's own help) are one too; the form's own words
    // (a trigger, 取消 …) and its answers at the 已有记录 step (修改这份记录, 查看) are not; and an office command must
    // name a scope it can read, so 统计楼302 stays a place.
    isCommand: (text, ctx) => {
      const t = ctx.understand(text).normalized;
      if (MENU_WORDS_IN_FORM.has(t)) return true;
      if (EXISTING_CHOICES_SET.has(t)) return false;
      const handler = commands(text, ctx);
      if (handler === undefined || FORM_OWN_HANDLERS.has(handler)) return false;
      return handler !== 'office' || isOfficeCommand(text, content, ctx.understood.today);
    },
    async begin(ctx, argument) {
      const groups = groupsOf(content, ctx.userId);
      if (groups.length === 0) return { refuse: notSecretary(content) };
      const day = today(ctx);
      if (argument === undefined) {
        // Said at once, not after ten answers: nothing can be recorded now.
        if (offeredSessions(content, day, content.isAdmin(ctx.userId)).length === 0) return { refuse: nothingOpen(content, day) };
        // One group: its sessions handed in already are known before the session is asked (see Facts.submitted).
        // One group: named, since it is never asked (a secretary of one group should see which group this is for).
        return groups.length === 1 ? { answers: { submitted: await submittedBy(groups[0]!.id) }, note: `为${groups[0]!.name}填写（您是该组的记录员）。` } : {};
      }
      // 修改记录 N: the Nth of the user's records, prefilled, straight to the summary.
      const records = await amendable(content, store, ctx);
      const record = records[Number(argument) - 1];
      if (!record) return { refuse: records.length ? `没有第 ${argument} 条记录。${listRecords(content, records)}` : '您的学习组还没有可修改的记录。' };
      if (policy.isClosed(record.session, day) && !content.isAdmin(ctx.userId)) return { refuse: closedRefusal(content, record.session) };
      const answers = Object.fromEntries(RECORD_FIELD_NAMES.map((k) => [k, record.fields[k] ?? null]));
      return {
        answers: { ...answers, group: record.groupId, session: record.session, basedOn: { receipt: record.receipt, revision: record.revision } },
        amends: record.receipt,
        atConfirm: true,
      };
    },
    async afterAnswer(field, state, ctx) {
      if (field === 'attendees') {
        // A head count changed (修改) after the absentees were written: a list that now contradicts it is asked again.
        const conflict = absenceConflict(state.answers.attendees as Attendance, state.answers.absentees as Absentee[] | null | undefined);
        return conflict
          ? {
              answers: { absentees: undefined },
              intro: `参加人员已改为${formatAttendance(state.answers.attendees as Attendance)}，与已填的缺席人员不一致，请重新填写缺席人员。`,
            }
          : undefined;
      }
      if (field === 'group' && !state.answers.session) return { answers: { submitted: await submittedBy(state.answers.group as string) } };
      if ((field === 'group' || field === 'session') && state.answers.group && state.answers.session) {
        const looked = await lookUp(state);
        const patch = field === 'group' ? { ...looked, answers: { ...looked.answers, submitted: await submittedBy(state.answers.group as string) } } : looked;
        // Another session chosen (修改 N) after the date was given: a date that no longer fits it is asked again.
        const heldOn = state.answers.heldOn;
        if (field === 'session' && typeof heldOn === 'string' && heldOnProblem(heldOn, state.answers.session as string, today(ctx))) {
          return { ...patch, answers: { ...patch.answers, heldOn: undefined }, intro: '学习场次已更改，请重新填写实际学习日期。' };
        }
        return patch;
      }
      if (field !== 'existingChoice') return undefined;
      if (state.answers.existingChoice === 'amend') return amendExisting(state);
      const current = await store.submissions.get(state.answers.group as string, state.answers.session as string);
      return { answers: { existingChoice: undefined }, intro: current ? formatRecord(content, current) : '这份记录已不存在。' };
    },
    async submit(state, ctx, idempotencyKey) {
      const groupId = state.answers.group as string;
      const session = state.answers.session as string;
      const g = content.roster.groups.find((x) => x.id === groupId);
      if (!g) throw new FormRefusal(notSecretary(content));
      const may = policy.mayHandIn(ctx.userId, g, session, ctx.understood.today);
      if (!may.ok && may.why === 'not-secretary') throw new FormRefusal(notSecretary(content));
      if (!may.ok && may.why === 'closed') throw new FormRefusal(closedRefusal(content, session));
      const closes = policy.closingDate(session);
      const fields = recordFieldsOf(state.answers);
      const input = { groupId, session, submittedBy: ctx.userId, submittedAt: ctx.clock.now(), fields, idempotencyKey };
      // Saved only if the record is still the version this user saw (none, for a new one), on any instance: a record
      // is never replaced by someone who has not seen it.
      const result = await store.submissions.saveIfRevision(input, facts(state).basedOn?.revision ?? 0);
      if ('conflict' in result) {
        if (!result.conflict)
          throw new FormRedirect('您修改的记录已不存在，这次没有保存。', {
            answers: { existing: undefined, basedOn: undefined, existingChoice: undefined },
            amends: null,
            atConfirm: true,
          });
        throw new FormRedirect('这次没有保存。', { answers: { existing: existingOf(result.conflict, true), existingChoice: undefined } });
      }
      const saved = result.saved;
      // The photos sent while filling it in go with it (again on a repeated 确认: nothing is left to move then).
      if (state.draftId) await store.photos.move(draftPhotoOwner(state.draftId), saved.receipt);
      const photos = (await store.photos.list(saved.receipt)).length;
      return [
        `${saved.revision > 1 ? '修改已保存' : '提交成功'}！`,
        `回执编号：${receiptWithVersion(saved)}`,
        `学习组：${g.name}`,
        `学习场次：${fields_session(content, session)}`,
        `提交时间：${formatShanghaiTime(saved.submittedAt)}`,
        `提交人：${personName(content, ctx.userId)}`,
        photos ? `现场照片：${photos} 张` : `如有现场照片，现在直接发送图片即可；之后也可以发送“补充照片 ${saved.receipt}”再发送。`,
        shanghaiDate(saved.submittedAt) > closes
          ? `补录：本场次记录已于${formatMonthDay(closes)}截止，本次由管理员补录。`
          : `截止修改：${formatMonthDay(closes)}。发送“我的记录”查看，“修改记录”修改。`,
      ].join('\n');
    },
  };
}

/**
 * Why a date cannot be the day a session was held: it has not come yet, or it is weeks from the session's date. A
 * session is sometimes moved by a few days, not by weeks: 8月20日 for the 9月20日 session is a slip (a month or a year
 * typed wrong, or the wrong session chosen), so it is questioned rather than saved.
 */
function heldOnProblem(d: string, session: string | undefined, today: string): string | undefined {
  if (d > today) return `${formatDateWithWeekday(d)}还没到，请填写已经举行的日期。`;
  const off = session ? daysBetween(session, d) : 0;
  if (!session || Math.abs(off) <= HELD_ON_MAX_DAYS_FROM_SESSION) return undefined;
  return `这次学习安排在${formatDateWithWeekday(session)}，您填的${formatDateWithWeekday(d)}比它${off < 0 ? '早' : '晚'}了 ${Math.abs(off)} 天，请核对实际学习日期。如果记录的是另一次学习，请回复“返回”重新选择场次。`;
}

function fields_session(content: Content, session: string): string {
  const e = RecordPolicy.of(content).session(session);
  return e ? `${formatDateWithWeekday(session)} ${e.activity}` : formatDateWithWeekday(session);
}

function closedRefusal(content: Content, session: string): string {
  return `${formatMonthDay(session)}学习的记录已于${formatMonthDay(RecordPolicy.of(content).closingDate(session))}截止提交和修改。如需补交或修改，请联系管理员（${adminNames(content)}）。`;
}

function notSecretary(content: Content): string {
  return `抱歉，只有各学习组的记录员可以提交学习讨论记录，您不在记录员名单中。如需登记，请联系管理员（${adminNames(content)}）。`;
}

/** A note on the user's paused draft of the record form (not captured by the form while paused), or undefined. */
async function pausedDraft(store: Store, ctx: BotContext): Promise<string | undefined> {
  const draft = await store.forms.get(ctx.userId);
  const now = ctx.clock.now();
  if (!draft || draft.formId !== MINUTES_FORM_ID || draft.confirmedBy !== undefined || now > draft.draftExpiresAt) return undefined;
  return `\n\n另有一份未完成的学习讨论记录草稿（已暂停，保留到${formatMonthDay(shanghaiDate(draft.draftExpiresAt))}）：回复“继续”接着填写，或“取消”放弃。`;
}

async function amendable(content: Content, store: Store, ctx: BotContext): Promise<Submission[]> {
  const ids = groupsOf(content, ctx.userId).map((g) => g.id);
  return ids.length ? store.submissions.list({ groupIds: ids }) : [];
}

function listRecords(content: Content, records: Submission[], today?: string): string {
  return records
    .map((r, i) => {
      const g = content.roster.groups.find((x) => x.id === r.groupId);
      const closed = today !== undefined && RecordPolicy.of(content).isClosed(r.session, today) ? '（已截止）' : '';
      return `${i + 1}. ${g?.name ?? r.groupId} · ${fields_session(content, r.session)} · 回执 ${receiptWithVersion(r)} · ${personName(content, r.submittedBy)} ${formatShanghaiTime(r.submittedAt)}${closed}`;
    })
    .join('\n');
}

export function minutes({ content, store, forms, memory }: { content: Content; store: Store; forms: FormEngine; memory: ConversationMemory }): Composer {
  const bot = new Composer();
  // Right after 修改记录 listed the records, the next message only: "1" picks one, and 好 the only one.
  bot.use(async (ctx, next) => {
    const listed = memory.get(ctx.userId).amendList;
    await next();
    if (listed && ctx.handledBy !== 'amend-list') memory.update(ctx.userId, { amendList: undefined });
  });
  const pickedFromList = (text: string, ctx: BotContext): string | undefined => {
    const listed = memory.get(ctx.userId).amendList;
    if (!listed) return undefined;
    if (listed === 1 && USE_DEFAULT.includes(ctx.understand(text).normalized)) return '1';
    const n = /^(\d+|[一二三四五六七八九十])$/.exec(tidy(text));
    if (!n) return undefined;
    const i = /\d/.test(n[1]!) ? Number(n[1]) : '一二三四五六七八九十'.indexOf(n[1]!) + 1;
    return i >= 1 && i <= listed ? String(i) : undefined;
  };
  bot.parses('amend-record', pickedFromList, async (ctx, n) => {
    memory.update(ctx.userId, { amendList: undefined });
    await forms.start(ctx, MINUTES_FORM_ID, n);
  });
  bot.hears('minutes', isMinutesTrigger, (ctx) => forms.start(ctx, MINUTES_FORM_ID));
  // A form's own words with no form open: say so, rather than search the readings for 取消 or 继续.
  bot.hears('no-form', isFormWordWithoutForm, (ctx) =>
    ctx.reply('您现在没有正在填写的记录。发送“提交记录”开始填写学习讨论记录，发送“我的记录”查看已提交的记录。'),
  );
  bot.hears(
    'my-records',
    (text) => isMyRecords(text),
    async (ctx) => {
      if (groupsOf(content, ctx.userId).length === 0) return ctx.reply(notSecretary(content));
      const records = await amendable(content, store, ctx);
      const draft = await pausedDraft(store, ctx);
      await ctx.reply(
        (records.length
          ? `您的学习组已提交的记录：\n${listRecords(content, records, ctx.understood.today)}\n\n回复“查看记录 N”查看第 N 条，“修改记录 N”修改它。`
          : `您的学习组还没有提交记录。${draft ? '' : '发送“提交记录”开始填写。'}`) + (draft ?? ''),
      );
    },
  );
  // 查看记录 1, JL-20160920-001, 看一下我交的那份: a record read back whole (own groups; an admin: any, by receipt).
  bot.parses(
    'view-own-record',
    (text, ctx) => parseOwnRecordQuery(text, content, ctx),
    async (ctx, q) => {
      const own = await amendable(content, store, ctx);
      let record: Submission | undefined;
      if ('n' in q) record = own[q.n - 1];
      else if ('latest' in q)
        record =
          [...own].filter((r) => r.submittedBy === ctx.userId).sort((a, b) => b.submittedAt - a.submittedAt)[0] ??
          [...own].sort((a, b) => b.submittedAt - a.submittedAt)[0];
      else {
        const pool = content.isAdmin(ctx.userId) ? await store.submissions.list({}) : own;
        record = pool.find((r) => r.receipt.toUpperCase() === q.receipt);
      }
      if (record) return ctx.reply(formatRecord(content, record));
      if ('n' in q)
        return ctx.reply(
          own.length
            ? `没有第 ${q.n} 条记录。您的学习组已提交的记录：\n${listRecords(content, own, ctx.understood.today)}\n\n回复“查看记录 N”查看第 N 条。`
            : '您的学习组还没有提交记录。发送“提交记录”开始填写。',
        );
      if ('receipt' in q)
        return ctx.reply(
          `没有找到回执 ${q.receipt} 的记录${content.isAdmin(ctx.userId) ? '' : '（只能查看本学习组的记录）'}。发送“我的记录”查看已提交的记录。`,
        );
      return ctx.reply('您的学习组还没有提交记录。发送“提交记录”开始填写。');
    },
  );
  // 我们组交了没有: the secretary's own groups, session by session, as the office would see them.
  bot.parses(
    'record-status',
    (text) => parseRecordStatusQuestion(text),
    async (ctx, { month }) => {
      const today = ctx.understood.today;
      const mine = content.roster.groups.filter((g) => g.secretaries.some((s) => s.userId === ctx.userId));
      if (mine.length === 0) {
        if (content.isAdmin(ctx.userId)) return ctx.reply('您是管理员：发送“谁还没交”查看各学习组的提交情况，“统计”查看各月统计。');
        return ctx.reply(`您不在学习组记录员名单中，查不到您所在学习组的提交情况。可以问本组的记录员，或联系管理员（${adminNames(content)}）。`);
      }
      const policy = RecordPolicy.of(content);
      // Only the sessions some of the secretary's groups owe (a student group owes no 业务学习活动 record).
      const held = policy
        .heldSessions(today)
        .filter((e) => (month === undefined || Number(e.date.slice(5, 7)) === month) && mine.some((g) => policy.owes(g, e)));
      if (held.length === 0) {
        const next = policy
          .sessions()
          .find((e) => e.date > today && mine.some((g) => policy.owes(g, e)) && (month === undefined || Number(e.date.slice(5, 7)) === month));
        return ctx.reply(
          `${month ? `${month}月` : '本学期'}还没有已举行、需要提交记录的学习。${next ? `下一次是${fields_session(content, next.date)}，当天起可以提交。` : ''}`,
        );
      }
      const records = await store.submissions.list({ groupIds: mine.map((g) => g.id), sessions: held.map((e) => e.date) });
      const blocks = mine.map((g) => {
        const lines = held.map((e) => {
          const r = records.find((x) => x.groupId === g.id && x.session === e.date);
          const label = sessionLabel(e);
          if (!policy.owes(g, e)) return `· ${label}：本组不需提交`;
          if (r) return `· ${label}：已提交，回执 ${receiptWithVersion(r)}，${personName(content, r.submittedBy)} ${formatShanghaiTime(r.submittedAt)}`;
          if (policy.isClosed(e.date, today))
            return `· ${label}：未提交，已于${formatMonthDay(policy.closingDate(e.date))}截止（如需补交，请联系管理员：${adminNames(content)}）`;
          return `· ${label}：未提交，${formatMonthDay(policy.closingDate(e.date))}截止`;
        });
        return [`${g.name}：`, ...lines].join('\n');
      });
      const open = held.some(
        (e) => !policy.isClosed(e.date, today) && mine.some((g) => policy.owes(g, e) && !records.some((x) => x.groupId === g.id && x.session === e.date)),
      );
      await ctx.reply([`您的学习组${month ? `${month}月` : ''}的记录提交情况：`, ...blocks, ...(open ? ['发送“提交记录”填写还没交的记录。'] : [])].join('\n'));
    },
  );
  bot.parses(
    'amend-record',
    (text) => parseAmendRecord(text),
    async (ctx, { n }) => {
      if (groupsOf(content, ctx.userId).length === 0) return ctx.reply(notSecretary(content));
      if (n === undefined) {
        const records = await amendable(content, store, ctx);
        // Listed, not a form started: remembered so the bare number sent next opens that record (see pickedFromList).
        ctx.handledBy = 'amend-list';
        memory.update(ctx.userId, { amendList: records.length || undefined });
        const pick = records.length === 1 ? '回复“1”（或“好”）修改这一条。' : '回复序号（如“1”）修改那一条。';
        return ctx.reply(records.length ? `要修改哪一条？${pick}\n${listRecords(content, records, ctx.understood.today)}` : '您的学习组还没有可修改的记录。');
      }
      await forms.start(ctx, MINUTES_FORM_ID, n);
    },
  );
  return bot;
}
