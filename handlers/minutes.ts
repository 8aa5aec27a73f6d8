import type { Composer } from '../src/bot/composer.ts';
import type { BotContext } from '../src/bot/context.ts';
import type { FormEngine } from '../src/bot/forms/engine.ts';
import { FormRefusal, type Field, type FieldScope, type FormDefinition } from '../src/bot/forms/form.ts';
import { parseChoices, parseCount, parseDateAnswer, parseNames, parseOneChoice } from '../src/bot/forms/parsers.ts';
import type { Content } from '../src/content/content.ts';
import { formatDateWithWeekday, formatMonthDay, formatShanghaiTime, shanghaiDate, type CalendarDate } from '../src/content/dates.ts';
import type { ScheduleEntry } from '../src/content/plan.ts';
import { closingDateOf } from '../src/jobs/collection.ts';
import type { Store, Submission } from '../src/storage/ports.ts';

/**
 * The discussion record (学习讨论记录) by chat: 提交记录 starts the form; 我的记录 lists what the secretary's groups
 * handed in; 修改记录 N amends one until the session's records close (end of its month + closeAfterMonthEndDays).
 * Only a group's secretaries (or the party office's admins) may submit for it.
 */
type Group = Content['roster']['groups'][number];
interface Attendance {
  count: number;
  names: string[];
}
interface Absentee {
  name: string;
  reason: string;
}

export const MINUTES_FORM_ID = 'minutes';
const MINUTES_TRIGGERS = ['提交记录', '提交讨论记录', '交记录', '提交学习讨论记录', '提交学习记录', '填写记录', '写记录'];

/** Groups a user may submit for: the ones they are secretary of, or every group for an admin. */
export function groupsOf(content: Content, userId: string): Group[] {
  if (content.isAdmin(userId)) return content.roster.groups;
  return content.roster.groups.filter((g) => g.secretaries.some((s) => s.userId === userId));
}

/** Sessions that need a record, the most recent past one first, then the coming ones. */
export function recordSessions(content: Content, today: CalendarDate): ScheduleEntry[] {
  const all = content.schedule.filter((e) => e.needsRecord);
  const past = all.filter((e) => e.date <= today).sort((a, b) => b.date.localeCompare(a.date));
  const future = all.filter((e) => e.date > today).sort((a, b) => a.date.localeCompare(b.date));
  return [...past, ...future];
}


const sessionLabel = (e: ScheduleEntry) => `${formatMonthDay(e.date)} ${e.activity}`;

export function minutesForm(content: Content, store: Store): FormDefinition {
  const today = (s: FieldScope | BotContext) => shanghaiDate(('ctx' in s ? s.ctx : s).clock.now());
  const group = (s: FieldScope) => content.roster.groups.find((g) => g.id === s.answers.group);
  const kindQuestions = (s: FieldScope) => (group(s)?.kind === 'student' ? content.plan.questions.students : content.plan.questions.staff);
  const numbered = (items: readonly string[]) => items.map((x, i) => `${i + 1}. ${x}`).join('\n');

  const fields: Array<Field<any>> = [
    {
      name: 'group',
      label: '学习组',
      example: '1，或组名“会计专业学生学习组”',
      skipWhen: (s) => groupsOf(content, s.ctx.userId).length === 1,
      default: (s) => (groupsOf(content, s.ctx.userId).length === 1 ? groupsOf(content, s.ctx.userId)[0]!.id : undefined),
      prompt: (s) => `为哪个学习组提交？\n${numbered(groupsOf(content, s.ctx.userId).map((g) => g.name))}`,
      parse: (text, s) => {
        const g = parseOneChoice(text, groupsOf(content, s.ctx.userId), (x) => x.name);
        return g ? { value: g.id } : { error: '没有找到这个学习组，请回复列表中的序号或组名。' };
      },
      format: (id: string) => content.roster.groups.find((g) => g.id === id)?.name ?? id,
    },
    {
      name: 'session',
      label: '学习场次',
      example: '1，或日期“9月20日”',
      default: (s) => recordSessions(content, today(s)).find((e) => e.date <= today(s))?.date,
      prompt: (s) => `记录的是哪一次学习？\n${numbered(recordSessions(content, today(s)).map(sessionLabel))}`,
      parse: (text, s) => {
        const sessions = recordSessions(content, today(s));
        const byNumber = /^\d+$|^[一二三四五六七八九十]+$/.test(text.trim()) ? parseOneChoice(text, sessions, sessionLabel) : undefined;
        const date = parseDateAnswer(text, today(s));
        const hit = byNumber ?? sessions.find((e) => e.date === date) ?? parseOneChoice(text, sessions, sessionLabel);
        if (hit) return { value: hit.date };
        if (date) return { error: `${formatDateWithWeekday(date)}没有需要提交记录的学习活动。`, understood: true };
        return { error: '没有识别出是哪一次学习，请回复列表中的序号或日期。' };
      },
      format: (date: string) => {
        const e = content.schedule.find((x) => x.date === date && x.needsRecord);
        return e ? sessionLabel(e) : formatMonthDay(date);
      },
    },
    {
      name: 'heldOn',
      label: '学习日期',
      example: '9月20日、9.20、昨天',
      default: (s) => s.answers.session as string | undefined,
      prompt: () => '实际学习日期是哪天？',
      parse: (text, s) => {
        const d = parseDateAnswer(text, today(s));
        if (!d) return { error: '没有识别出日期。' };
        if (d > today(s)) return { error: `${formatMonthDay(d)}还没到，请填写已经举行的日期。`, understood: true };
        return { value: d };
      },
      format: (d: string) => formatDateWithWeekday(d),
    },
    {
      name: 'place',
      label: '地点',
      example: '行政楼 302 会议室',
      optional: true,
      freeText: true,
      prompt: () => '在哪里学习？',
      parse: (text) => (text.length > 60 ? { error: '地点请控制在 60 字以内。' } : { value: text }),
      format: (v: string) => v,
    },
    {
      name: 'attendees',
      label: '参加人员',
      example: '12人，或“张三、李四、王五”，或“12人：张三、李四……”',
      prompt: () => '参加人数和/或名单？',
      parse: (text) => {
        const [head, tail] = text.split(/[:：]/, 2) as [string, string | undefined];
        const count = parseCount(head);
        const names = tail !== undefined ? parseNames(tail) : count === undefined ? parseNames(text) : [];
        if (count === undefined && names.length === 0) return { error: '没有识别出人数或名单。' };
        if (count !== undefined && (count < 1 || count > 500)) return { error: '人数应在 1 到 500 之间。' };
        if (names.some((n) => /\d/.test(n) && parseCount(n) === undefined)) return { error: '名单中有无法识别的内容，请用顿号、逗号或空格分隔姓名。' };
        return { value: { count: count ?? names.length, names } satisfies Attendance };
      },
      format: (a: Attendance) => `${a.count}人${a.names.length ? `（${a.names.join('、')}）` : ''}`,
    },
    {
      name: 'absentees',
      label: '缺席人员及原因',
      example: '李四（出差）、王五 病假；没有请回复“无”',
      optional: true,
      prompt: () => '缺席人员及原因？',
      parse: (text) => {
        if (/^(无|没有|全到|全部参加|全员参加)$/.test(text.trim())) return { value: [] };
        const out: Absentee[] = [];
        for (const part of text.normalize('NFKC').split(/[、,，;；]+/).map((p) => p.trim()).filter(Boolean)) {
          const m = /^(\S+?)\s*[(（]\s*(.+?)\s*[)）]$/.exec(part) ?? /^(\S+?)\s+(.+)$/.exec(part);
          if (!m) return { error: `“${part}”缺少缺席原因。` };
          out.push({ name: m[1]!, reason: m[2]! });
        }
        return { value: out };
      },
      format: (v: Absentee[]) => (v.length ? v.map((a) => `${a.name}（${a.reason}）`).join('、') : '无'),
    },
    {
      name: 'topic',
      label: '学习主题',
      example: '1，或自己填写主题',
      freeText: true,
      default: (s) => (group(s)?.kind === 'student' ? content.plan.themes[1] : content.plan.themes[0]) ?? content.plan.themes[0],
      prompt: () => `学习主题是？\n${numbered(content.plan.themes)}`,
      parse: (text) => {
        const chosen = /^\d+$/.test(text.trim()) ? content.plan.themes[Number(text.trim()) - 1] : undefined;
        if (/^\d+$/.test(text.trim()) && !chosen) return { error: '没有这个序号的主题。' };
        return { value: chosen ?? text };
      },
      format: (v: string) => v,
    },
    {
      name: 'questions',
      label: '讨论题',
      example: '1、2，或“全部”',
      prompt: (s) => `讨论了哪些题目？\n${numbered(kindQuestions(s))}`,
      parse: (text, s) => {
        const picks = parseChoices(text, kindQuestions(s).length);
        return picks?.length ? { value: picks.map((i) => kindQuestions(s)[i]!) } : { error: `请回复题目序号（1—${kindQuestions(s).length}），多个用顿号分隔。` };
      },
      format: (v: string[]) => v.map((q) => `“${q}”`).join('；'),
    },
    {
      name: 'summary',
      label: '讨论情况',
      example: '大家结合工作实际，围绕……展开讨论，认为……',
      freeText: true,
      multiMessage: { minLength: 30 },
      prompt: () => '请简要记录讨论情况（至少 30 字）：',
      parse: (text) => ({ value: text }),
      format: (v: string) => ([...v].length > 60 ? `${[...v].slice(0, 60).join('')}…（共 ${[...v].length} 字）` : v),
    },
    {
      name: 'recorder',
      label: '记录人',
      example: '张三',
      default: (s) => content.roster.groups.flatMap((g) => g.secretaries).find((x) => x.userId === s.ctx.userId)?.name ?? content.roster.admins.find((a) => a.userId === s.ctx.userId)?.name,
      prompt: () => '记录人是？',
      parse: (text) => (text.length <= 20 ? { value: text } : { error: '姓名请控制在 20 字以内。' }),
      format: (v: string) => v,
    },
  ];

  return {
    id: MINUTES_FORM_ID,
    version: 1,
    title: '学习讨论记录',
    triggers: MINUTES_TRIGGERS,
    fields,
    async begin(ctx, argument) {
      const groups = groupsOf(content, ctx.userId);
      if (groups.length === 0) return { refuse: notSecretary(content) };
      if (argument === undefined) return {};
      // 修改记录 N: the Nth of the user's records, prefilled, straight to the summary.
      const records = await amendable(content, store, ctx);
      const record = records[Number(argument) - 1];
      if (!record) return { refuse: records.length ? `没有第 ${argument} 条记录。${listRecords(content, records)}` : '您的学习组还没有可修改的记录。' };
      return { answers: { ...record.fields, group: record.groupId, session: record.session }, amends: record.receipt, atConfirm: true };
    },
    async submit(state, ctx) {
      const groupId = state.answers.group as string;
      const session = state.answers.session as string;
      const g = content.roster.groups.find((x) => x.id === groupId);
      if (!g || !groupsOf(content, ctx.userId).includes(g)) throw new FormRefusal(notSecretary(content));
      const closes = closingDateOf(content, session);
      if (shanghaiDate(ctx.clock.now()) > closes && !content.isAdmin(ctx.userId)) {
        throw new FormRefusal(`${formatMonthDay(session)}学习的记录已于${formatMonthDay(closes)}截止提交和修改。如需补交或修改，请联系管理员（${adminNames(content)}）。`);
      }
      const { group: _g, session: _s, ...fields } = state.answers;
      const saved = await store.submissions.save({
        groupId,
        session,
        submittedBy: ctx.userId,
        submittedAt: ctx.clock.now(),
        fields,
        idempotencyKey: ctx.message.id ?? `${ctx.userId}:${ctx.clock.now()}`,
      });
      return [
        `${saved.revision > 1 ? '修改已保存' : '提交成功'}！`,
        `回执编号：${saved.receipt}${saved.revision > 1 ? `（第 ${saved.revision} 版）` : ''}`,
        `学习组：${g.name}`,
        `学习场次：${fields_session(content, session)}`,
        `提交时间：${formatShanghaiTime(saved.submittedAt)}`,
        `提交人：${ctx.userId}`,
        `截止修改：${formatMonthDay(closes)}。发送“我的记录”查看，“修改记录”修改。`,
      ].join('\n');
    },
  };
}

function fields_session(content: Content, session: string): string {
  const e = content.schedule.find((x) => x.date === session && x.needsRecord);
  return e ? `${formatDateWithWeekday(session)} ${e.activity}` : formatDateWithWeekday(session);
}

function adminNames(content: Content): string {
  return content.roster.admins.map((a) => a.name).join('、') || '党委宣传部';
}

function notSecretary(content: Content): string {
  return `抱歉，只有各学习组的记录员可以提交学习讨论记录，您不在记录员名单中。如需登记，请联系管理员（${adminNames(content)}）。`;
}

async function amendable(content: Content, store: Store, ctx: BotContext): Promise<Submission[]> {
  const ids = groupsOf(content, ctx.userId).map((g) => g.id);
  return ids.length ? store.submissions.list({ groupIds: ids }) : [];
}

function listRecords(content: Content, records: Submission[]): string {
  return records
    .map((r, i) => {
      const g = content.roster.groups.find((x) => x.id === r.groupId);
      return `${i + 1}. ${g?.name ?? r.groupId} · ${fields_session(content, r.session)} · 回执 ${r.receipt}${r.revision > 1 ? `（第 ${r.revision} 版）` : ''} · ${formatShanghaiTime(r.submittedAt)}`;
    })
    .join('\n');
}

export function registerMinutes(bot: Composer, { content, store, forms }: { content: Content; store: Store; forms: FormEngine }): void {
  bot.hears('minutes', MINUTES_TRIGGERS, (ctx) => forms.start(ctx, MINUTES_FORM_ID));
  bot.hears('my-records', ['我的记录', '查看我的记录', '已交记录', '我交的记录'], async (ctx) => {
    if (groupsOf(content, ctx.userId).length === 0) return ctx.reply(notSecretary(content));
    const records = await amendable(content, store, ctx);
    await ctx.reply(records.length ? `您的学习组已提交的记录：\n${listRecords(content, records)}\n\n回复“修改记录 N”修改第 N 条。` : '您的学习组还没有提交记录。发送“提交记录”开始填写。');
  });
  bot.parses(
    'amend-record',
    (text) => {
      const m = /^(?:修改记录|改记录)\s*(\d+)?$/.exec(text.normalize('NFKC').trim());
      return m ? { n: m[1] } : undefined;
    },
    async (ctx, { n }) => {
      if (groupsOf(content, ctx.userId).length === 0) return ctx.reply(notSecretary(content));
      if (n === undefined) {
        const records = await amendable(content, store, ctx);
        return ctx.reply(records.length ? `要修改哪一条？回复“修改记录 N”：\n${listRecords(content, records)}` : '您的学习组还没有可修改的记录。');
      }
      await forms.start(ctx, MINUTES_FORM_ID, n);
    },
  );
}
