import { recordIntent } from './record-intent.ts';
import { Composer } from '../src/bot/composer.ts';
import type { Content } from '../src/content/content.ts';
import { formatMonthDay, type CalendarDate } from '../src/content/dates.ts';
import { parseNumber } from '../src/content/numerals.ts';
import { normaliseQuestion } from '../src/content/question-text.ts';
import { GROUP_KIND_LABEL, GROUP_KINDS, RecordPolicy, sessionLabel, type GroupKind } from '../src/records/index.ts';
import type { HandlerDeps } from './deps.ts';
import { adminNames } from './minutes-sessions.ts';

/**
 * Questions about handing in the discussion records (学习记录什么时候交, 怎么交记录, 记录本交到哪里, 截止日期是哪天):
 * answered from the plan's requirements (the paper 记录本, monthly and at the end of the semester) and the collection
 * rule of the roster (each session's records close closeAfterMonthEndDays after the end of its month), not by keyword
 * search, which finds 信用记录 in the readings. These are general and may be answered in a group chat; a secretary's
 * own "我们组交了没有" is personal (see parseRecordStatusQuestion, answered in handlers/minutes.ts).
 */
export type RecordQuestion = { kind: 'deadline' | 'how' | 'where'; month?: number };

/**
 * The discussion record, as people name it: 记录, 学习记录, 讨论记录, 记录本, 9月的记录, 交记录. Not another kind of
 * record the readings speak of (信用记录, 廉政记录): 记录 must start the text or follow a word that points at ours.
 */
const RECORD = /(?:^|学习|讨论|理论|的|组|们|我|月|次|期|交|填|写)(?:记录|纪要)/;
const HAND_IN = /交|提交|上报|报送/;
const DEADLINE = /截止|截至|最晚|最迟|期限|到期|晚了|迟了|逾期|超期|什么时候|啥时候|何时|哪天|哪一天|几号|几月几[日号]|多久|时间|日期|deadline/i;
const WHERE = /交到|交给|给谁|交谁|找谁|在哪|哪里|哪儿|哪个部门|什么地方|谁收/;
const HOW = /怎么|怎样|如何|咋|流程|步骤|方法|方式|在哪儿?交|用什么/;
const ASKING = /[?？]|吗|呢|么|什么|啥|咋|怎|如何|哪|谁|几|多久|多少|要不要|需不需要|是否|能不能|可不可以/;
/** 学期末交给谁, 每月交到哪里: the record left unsaid, only the handing in and when. */
const BARE_HAND_IN =
  /^(?:学期末|期末|学期结束|每月|每个月|月底|按月|最后)?(?:要|应该|需要|该|得)?(?:统一)?(?:交|提交|上交)(?:到|给)?(?:哪里|哪儿|哪|谁|什么地方|哪个部门)/;
/** Which sessions need a record, or what one day's session needs, is the schedule's (哪几次需要交记录, 9月12号要交记录吗). */
const SCHEDULE_ASKS = /哪几次|哪些(?:活动|学习)|几次|\d{1,2}[日号]|[一二三四五六七八九十]+[日号]|\d{1,2}[./]\d{1,2}/;
const MONTH = /(\d{1,2}|十[一二]?|[一二三四五六七八九])月份?/;

/** `question`: the text as `normaliseQuestion` reads it, when the caller has it already (the message's one reading). */
export function parseRecordQuestion(text: string, question = normaliseQuestion(text)): RecordQuestion | undefined {
  const t = question.replace(/[。.!！,，、:：;；“”"'《》]/g, '');
  // "提交" (or "交") alone, outside a form: how does one hand in a record?
  if (/^(?:提交|交|上交)[?？]?$/.test(t)) return { kind: 'how' };
  if (SCHEDULE_ASKS.test(t)) return undefined;
  // How a record is written or filled in (记录怎么写, 要写哪些, 记录本怎么填, 要不要签字): the way to hand one in says it.
  if (RECORD.test(t) && /写|填|签字|签名|格式|字数/.test(t) && ASKING.test(t) && !HAND_IN.test(t)) return { kind: 'how' };
  const aboutRecord = (RECORD.test(t) && HAND_IN.test(t)) || /截止|截至/.test(t) || BARE_HAND_IN.test(t) || (RECORD.test(t) && DEADLINE.test(t));
  if (!aboutRecord || (!ASKING.test(t) && !DEADLINE.test(t))) return undefined;
  const month = MONTH.exec(t);
  const m = month ? parseNumber(month[1]!) : undefined;
  const kind = WHERE.test(t) ? 'where' : HOW.test(t) && !DEADLINE.test(t) ? 'how' : DEADLINE.test(t) ? 'deadline' : 'how';
  return m !== undefined && m >= 1 && m <= 12 ? { kind, month: m } : { kind };
}

/**
 * A secretary asking about their own group's records: 我的记录交了吗, 我们组交了没有, 本组记录提交了没, 我们交齐了吗.
 * Personal: answered in the one-to-one chat only.
 */
export function parseRecordStatusQuestion(text: string): { month?: number } | undefined {
  const t = normaliseQuestion(text).replace(/[。.!！,，、:：;；“”"'?？]/g, '');
  // The exact forms, or the state of one's own submissions in other words (我有没有漏交的, 我们组记录是不是都齐了).
  const exact =
    /^(?:我|我们|咱们|咱|本组|我组|我们组|我们学习组|我们的学习组)/.test(t) &&
    HAND_IN.test(t) &&
    /交了(?:吗|么|没有?|嘛)|交没交|有没有(?:提)?交|是否(?:已经?)?(?:提)?交|(?:交|提交)(?:了)?(?:没有|没)$|交齐|交全|交上了|交过|提交情况|交的情况/.test(t);
  const intent = recordIntent(text);
  // 我要更改提交过的讨论记录 names what was handed in, but to change it, not to ask whether it was.
  if (intent === 'amend-record' || intent === 'view-own-record' || intent === 'my-records') return undefined;
  if (!exact && intent !== 'record-status') return undefined;
  const month = MONTH.exec(t);
  const m = month ? parseNumber(month[1]!) : undefined;
  return m !== undefined && m >= 1 && m <= 12 ? { month: m } : {};
}

/**
 * Each audience's own rule on the records, and only theirs: the plan's words for that kind of group, or the office's
 * notice for it (content/roster.yaml records.notice) where the plan says nothing. Several kinds asking (an admin,
 * someone the roster does not name): each line says whose it is.
 */
function ownRules(content: Content, today: CalendarDate, kinds: readonly GroupKind[]): string[] {
  const policy = RecordPolicy.of(content);
  const plan = policy.planAround(today);
  const rule = (kind: GroupKind) =>
    policy.planRule(kind, plan).length
      ? policy.planRule(kind, plan).join('')
      : policy
          .notice(kind)
          .replace(/（可发送“提交记录”在线提交）/, '')
          .replace(/([^。])$/, '$1。');
  if (kinds.length === 1) return [`学习要求中关于记录本的规定：${rule(kinds[0]!)}`];
  return ['学习要求中关于记录本的规定：', ...kinds.map((k) => `· ${GROUP_KIND_LABEL[k]}学习组：${rule(k)}`)];
}

/**
 * The plan's sessions needing a record that the audience's groups owe (the plan around today: the archive's are not
 * the question), grouped by month, each month with its closing date: "9月（9月6日、9月20日）：10月5日截止".
 */
function monthLines(content: Content, today: CalendarDate, kinds: readonly GroupKind[], month?: number): string[] {
  const byMonth = new Map<string, CalendarDate[]>();
  const policy = RecordPolicy.of(content);
  for (const e of policy.sessionsOfPlan(policy.planAround(today))) {
    if (!policy.concerns(kinds, e)) continue;
    if (month !== undefined && Number(e.date.slice(5, 7)) !== month) continue;
    // By month and closing day: a notice's report deadline may close some of a month's sessions earlier.
    const key = `${e.date.slice(0, 7)}|${policy.closingDate(e.date)}`;
    byMonth.set(key, [...(byMonth.get(key) ?? []), e.date]);
  }
  return [...byMonth.values()].map(
    (dates) =>
      `· ${Number(dates[0]!.slice(5, 7))}月的记录（${dates.map(formatMonthDay).join('、')}）：${formatMonthDay(RecordPolicy.of(content).closingDate(dates[0]!))}截止`,
  );
}

/**
 * The answer to 记录什么时候交 and its kin, for an audience (`kinds`: RecordPolicy.audienceOf the asker): its own rule,
 * the sessions its groups owe. The closing day is the party office's configuration (closeAfterMonthEndDays), not the
 * plan's words, and the answer says so.
 */
export function answerRecordQuestion(q: RecordQuestion, content: Content, today: CalendarDate, kinds: readonly GroupKind[] = GROUP_KINDS): string {
  const days = content.roster.closeAfterMonthEndDays;
  // The notice's own report deadline, when it gives a dated one (RecordPolicy.onTimeUntil follows it).
  const policy = RecordPolicy.of(content);
  const reportBy = policy
    .planAround(today)
    .plan.deadlines.flatMap((d) => (d.date ? [d.date] : []))
    .sort();
  // The closing day is the party office's configuration (closeAfterMonthEndDays), not the plan's words: said so.
  const office = '截止日期是党委办公室的规定';
  const monthly = policy.planAround(today).plan.requirements.some((r) => r.includes('按月'));
  const rule = reportBy.length
    ? `每次学习的讨论记录从学习当天起可以提交；学习通知规定的报送期限（${reportBy.map(formatMonthDay).join('、')}）之前的学习，截止到期限后 ${days} 天，之后的学习截止到当月月底后 ${days} 天（${office}）。`
    : `每次学习的讨论记录从学习当天起可以提交，截止到当月月底后 ${days} 天（${office}${monthly ? '；学习计划要求按月上交' : ''}）。`;
  const months = monthLines(content, today, kinds, q.month);
  const open = policy.openSessions(today).filter((e) => policy.concerns(kinds, e));
  const deadline = [
    rule,
    ...(q.month !== undefined && !months.length ? [`${q.month}月没有需要提交学习讨论记录的学习活动。`] : months),
    open.length
      ? `现在可以提交的：${open.map((e) => `${sessionLabel(e)}（${formatMonthDay(RecordPolicy.of(content).closingDate(e.date))}截止）`).join('、')}。`
      : '现在没有可以提交记录的学习。',
    `截止后如需补交或修改，请联系管理员（${adminNames(content)}）。`,
  ];
  const how = [
    '记录员在与学习助手的单聊中发送“提交记录”，按提示逐项回答（学习组、场次、日期、地点、参加人员、缺席人员、主题、讨论题、讨论情况、记录人），核对后回复“确认”，即得到回执编号。',
    '之后可发送“我的记录”查看本组已交的记录，“修改记录”修改。',
  ];
  const paperPart = ownRules(content, today, kinds);
  switch (q.kind) {
    case 'deadline':
      return ['【学习讨论记录什么时候交】', ...deadline, '', '怎么交：', ...how, ...(paperPart.length ? ['', ...paperPart] : [])].join('\n');
    case 'how':
      return ['【怎么交学习讨论记录】', ...how, '', '什么时候交：', ...deadline, ...(paperPart.length ? ['', ...paperPart] : [])].join('\n');
    case 'where':
      return ['【学习讨论记录交到哪里】', ...(paperPart.length ? [...paperPart, ''] : []), '在聊天中提交：', ...how, '', '什么时候交：', ...deadline].join(
        '\n',
      );
  }
}

export function recordQuestions({ content }: HandlerDeps): Composer {
  const bot = new Composer();
  bot.parses(
    'record-questions',
    (text, ctx) => parseRecordQuestion(text, ctx.understand(text).question),
    (ctx, q) => ctx.reply(answerRecordQuestion(q, content, ctx.understood.today, RecordPolicy.of(content).audienceOf(ctx.userId))),
  );
  return bot;
}
