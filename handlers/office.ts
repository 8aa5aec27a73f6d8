import { Composer } from '../src/bot/composer.ts';
import type { BotContext } from '../src/bot/context.ts';
import type { Content } from '../src/content/content.ts';
import { timeWords } from '../src/content/time/grammar.ts';
import { formatMonthDay, formatShanghaiTime } from '../src/content/dates.ts';
import {
  CELL_STATUS_LABEL,
  cellStatus,
  formatRecord,
  parseScope,
  personName,
  receiptWithVersion,
  RecordPolicy,
  secretaryNames,
  sessionLabel,
  statusCsv,
  statusMatrix,
  tally,
  type Cell,
  type Scope,
} from '../src/records/index.ts';
import type { ScheduleEntry } from '../src/content/plan.ts';
import { matchChoice } from '../src/bot/forms/parsers.ts';
import { remindMissing } from '../src/jobs/reminders.ts';
import type { Outbox } from '../src/jobs/outbox.ts';
import type { HandlerDeps } from './deps.ts';
import { jobName } from '../src/jobs/job-names.ts';
import { anyOf } from './record-intent.ts';

/**
 * The party office's view of the discussion records, admins only: 未提交 / 谁还没交 [范围], 已提交 [范围], 统计,
 * 查看记录 <组名> <场次>, 提醒未提交 [范围], 导出 [范围]. A scope is a session (9月20日, 第3周, 政治理论学习), a month (9月,
 * 本月, 上月) or 本学期; without one, the most recent session that needs records.
 */
export const OFFICE_NOT_ADMIN = '抱歉，提交情况仅限党委办公室的管理员查看。';

/** The refusal with what the asker can do instead: a secretary their own groups' records, anyone else whom to ask. */
function notAdmin(content: Content, userId: string): string {
  const secretary = content.roster.groups.some((g) => g.secretaries.some((s) => s.userId === userId));
  if (secretary) return `${OFFICE_NOT_ADMIN}如需查看本组的记录，请发送“我的记录”。`;
  const admins = content.roster.admins.map((a) => a.name).join('、');
  return `${OFFICE_NOT_ADMIN}${admins ? `如有需要，请联系${admins}。` : ''}`;
}

type Kind = 'missing' | 'submitted' | 'stats' | 'remind' | 'export' | 'check';

/** Whose records a command is about: a secretary named (张三 → their groups), a kind of group (学生组) or part of a group's name (院办). */
export interface Who {
  label: string;
  groupIds: string[];
}

type Command = { kind: Kind; scopeText: string; who?: Who; badScope?: string } | { kind: 'view'; group: string; session: string };

/**
 * What the office asks for, by its words wherever they stand in the message (谁没交记录, 没交的有哪些, 提醒一下没交的,
 * 9月的记录交齐了吗, 张三交了吗). The first that fits: reminding, exporting, counting, the missing, a yes-or-no about
 * someone, the handed in.
 */
const VERBS: Array<[RegExp, Kind]> = [
  [/提醒(?:一下|下)?|催(?:促|交|一下|下)?|通知(?:一下|下)?|督促(?:一下|下)?/, 'remind'],
  // 导出csv, 发我一份表格, 下载一份提交情况的excel, 我要一份所有组的记录汇总表: the office's table, in any of its names.
  [/导出(?:来)?|导成|下载(?:下来)?|(?:发|给)我?一份|要一份|(?:生成|做|拉|出)(?:一份|一个|个)(?:表|汇总)/, 'export'],
  [/(?:提交)?统计|提交率|完成率|提交比例|交了百分之|百分比/, 'stats'],
  [/交了(?:几个|多少个?|几份|多少份)|(?:几个|多少个?)(?:组|学习组)?(?:已经?)?(?:提)?交了|有几个(?:组)?(?:已经?)?(?:提)?交/, 'submitted'],
  [/(?:还)?(?:没有|没|未)(?:提)?交|缺交|漏交|交齐|交全|交完|都交了(?:吗|么|没有?)?|欠(?:着|交)?/, 'missing'],
  [/交(?:记录)?了(?:吗|么|没有?|嘛)|交没交|有没有(?:提)?交|是否(?:已经?)?(?:提)?交|(?:提)?交(?:了)?(?:没有?)$/, 'check'],
  [/已提交|已交|已经(?:提)?交了的?|谁(?:已经?)?(?:提)?交了|哪些(?:组|学习组)?(?:已经?)?(?:提)?交了|交了的/, 'submitted'],
];
/**
 * A scope as the office writes it (parseScope reads it): the whole semester, an activity, or time words the one time
 * grammar finds (9月, 本月, 这个星期, 上礼拜, 第3周, 9月20日, 9.20: src/content/time/grammar.ts).
 */
const SCOPE_WORDS = '全学期|全部|所有';
/** Words around a command that say nothing about what or whom: 一下, 的, 记录, 有哪些, 还, 都 … */
const FILLER = anyOf(
  '格式|文件|比例|怎么样|如何|截至|为止|到现在|目前为止|记录员们?|同志们?|表|成|赶紧|尽快|抓紧|一遍|发个|书记们?|表格|excel|csv|汇总表|记录表|明细表|汇总|多少|几个|那两个|两个|那次|这次|没有|给|交|没|几|次|啊|出来|来发我|发给我|给我发|发我|一份|那个|学习讨论记录|讨论记录|学习记录|记录本|记录|提交情况|提交|各学习组|学习组|各个组|各组|小组|情况|名单|名字|一下|请|麻烦|帮我|帮忙|给我|看看|看一下|查一下|查查|查看|列一下|列出|现在|目前|当前|这次|本次|一共|总共|他们|大家|记录员|那些|这些|有哪些|哪几个|哪些|哪个|还|都|已经|了|的|吗|呢|吧|啊|呀|么|嘛|有|谁|人|们|组|是|我|下|查|共|个|些|把|将|那',
);
/** What is left looks like a scope the office wrote but could not be read (10月32日, 第九十周): said, not guessed. */
const SCOPE_LIKE = /\d|[0-9一二三四五六七八九十]+[月周日号]|学期/;

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export function parseOfficeCommand(text: string, content: Content): Command | undefined {
  const t = text
    .normalize('NFKC')
    .trim()
    .replace(/[?？!！。]+$/, '');
  const v = /^查看记录\s+(\S+)\s+(\S+)$/.exec(t);
  if (v) return { kind: 'view', group: v[1]!, session: v[2]! };
  // "查看记录" alone, or with only a group: say what to add rather than search the readings for it.
  const partial = /^查看(?:学习)?(?:讨论)?记录(?:\s+(\S+))?$/.exec(t);
  if (partial) return { kind: 'view', group: partial[1] ?? '', session: '' };
  // 看看院办9月20日的记录, 查一下会计组上周的记录: a group's record of a session, in everyday words.
  const looking = /^(?:看看|查看|看一下|看下|查一下|查查|打开|调出)/.exec(t);
  if (looking && /记录/.test(t)) {
    const compact = t.slice(looking[0].length).replace(/\s+/g, '');
    const when = timeWords(compact, { today: content.plan.week1Monday, week1Monday: content.plan.week1Monday });
    const groupText = (when ? compact.replace(when, '') : compact).replace(/学习讨论记录|讨论记录|学习记录|记录|的|一下|那份|那个|交的/g, '');
    if (when && groupText && groupNamed(groupText, content)) return { kind: 'view', group: groupText, session: when };
  }
  const s = t.replace(/[\s,，、。!！?？~～]+/g, ' ');
  for (const [verb, kind] of VERBS) {
    const m = verb.exec(s);
    if (!m) continue;
    // The command's other words (提醒一下没交的: 没交 is whom to remind) say nothing more.
    let rest = VERBS.reduce((r, [re]) => r.replace(new RegExp(re.source, 'g'), ' '), `${s.slice(0, m.index)} ${s.slice(m.index + m[0].length)}`);
    const activities = [
      ...new Set(
        RecordPolicy.of(content)
          .sessions()
          .map((e) => e.activity),
      ),
    ].map(escapeRe);
    // Where the scope is, not what it means: parseScope reads it against the day the command runs on.
    // A plan by the name of its period (2016年秋季学期, 2023年6月) reaches that plan, also an archived one.
    const planNames = [...new Set(content.plans.map((p) => p.plan.semester))].sort((x, y) => y.length - x.length).map(escapeRe);
    const planName = planNames.length ? new RegExp(planNames.join('|')).exec(rest)?.[0] : undefined;
    const words = planName ? undefined : timeWords(rest.replace(/\s+/g, ''), { today: content.plan.week1Monday, week1Monday: content.plan.week1Monday });
    const scope = planName ?? words ?? new RegExp([SCOPE_WORDS, ...activities].join('|')).exec(rest)?.[0];
    if (scope) rest = words ? rest.replace(/\s+/g, '').replace(words, ' ') : rest.replace(scope, ' ');
    const found = whoIn(rest, content);
    rest = found.rest.replace(FILLER, '').replace(/\s+/g, '');
    let who = found.who;
    let badScope: string | undefined;
    if (rest) {
      const named = who || /\d/.test(rest) ? undefined : groupNamed(rest, content);
      if (named) who = named;
      else if (SCOPE_LIKE.test(rest)) badScope = rest;
      else return undefined; // words the office's commands do not use: a question for the other handlers
    }
    // "交了吗" about nobody in particular is "has everyone handed in": the missing list.
    return { kind: kind === 'check' && !who ? 'missing' : kind, scopeText: scope ?? '', ...(who ? { who } : {}), ...(badScope ? { badScope } : {}) };
  }
  return undefined;
}

/** Secretaries named in the text (张三交了吗): their groups. */
function whoIn(text: string, content: Content): { who?: Who; rest: string } {
  let rest = text;
  const names: string[] = [];
  const ids = new Set<string>();
  const people = content.roster.groups.flatMap((g) => g.secretaries.map((p) => ({ ...p, group: g.id })));
  for (const p of [...people].sort((x, y) => (y.name ?? y.userId).length - (x.name ?? x.userId).length)) {
    for (const word of [p.name, p.userId].filter((w): w is string => Boolean(w))) {
      if (!rest.includes(word)) continue;
      rest = rest.split(word).join(' ');
      if (!names.includes(p.name ?? p.userId)) names.push(p.name ?? p.userId);
    }
    if (names.includes(p.name ?? p.userId)) ids.add(p.group);
  }
  if (!names.length) return { rest };
  return { who: { label: names.join('、'), groupIds: content.roster.groups.filter((g) => ids.has(g.id)).map((g) => g.id) }, rest };
}

/** A group by a distinctive part of its name (院办, 会计组), or a kind of group (学生, 教职工). */
function groupNamed(text: string, content: Content): Who | undefined {
  const groups = content.roster.groups;
  const m = matchChoice(text, groups, (g) => g.name);
  if (m && 'item' in m) return { label: m.item.name, groupIds: [m.item.id] };
  if (m) return { label: `“${text}”`, groupIds: m.ambiguous.map((g) => g.id) };
  const kind = /^(?:学生|同学)$/.test(text) ? 'student' : /^(?:教职工|教工|教师|职工|老师)$/.test(text) ? 'staff' : undefined;
  if (!kind) return undefined;
  return { label: kind === 'student' ? '学生学习组' : '教职工学习组', groupIds: groups.filter((g) => g.kind === kind).map((g) => g.id) };
}

/** Whether a text is one of the office's commands with a scope it can read (so "统计楼302" stays a place). */
export function isOfficeCommand(text: string, content: Content, today: string): boolean {
  if (isStatusPageRequest(text)) return true;
  const cmd = parseOfficeCommand(text, content);
  if (!cmd) return false;
  if (cmd.kind === 'view') return true;
  return !cmd.badScope && (cmd.scopeText === '' || parseScope(cmd.scopeText, content, today) !== undefined);
}

export const STATUS_PAGE_WORDS = ['管理页面', '状态页面', '提交情况页面', '管理后台'];
/**
 * Asking for the status page as admins say it: 管理页面, 后台, 打开管理页, 给我后台链接, 管理员页面在哪里. The page
 * is named (管理/后台/状态/提交情况, then 页面/后台/界面/链接 …), with an optional verb before and "where" after.
 */
const STATUS_PAGE = new RegExp(
  '^(?:请)?(?:打开|进入|给我|发我|发给我|查看|看看|去)?(?:一下)?(?:管理员|管理|后台|状态|提交情况)(?:页面|页|后台|界面|网页|网站|平台|系统|端|入口|管理)?(?:的)?(?:链接|地址|网址|入口)?(?:在哪里?|在哪儿|是什么|是多少|呢)?$',
  'u',
);
/**
 * The page in other words (给我个提交情况的网页, 把那个dashboard发我, 进度看板链接, 在线查看提交情况): a word for a web
 * page, and nothing left but what it shows (提交情况, 各组, 统计 …) and how it is asked for (发我, 打开, 在哪).
 */
const PAGE_NOUN = /页面|网页|网址|网站|链接|地址|看板|仪表盘|dashboard|后台|可视化|在线|系统|平台|界面|入口|报表|图表|大屏|url|web|首页|页/i;
const AROUND_PAGE = anyOf(
  '页面|网页版?|网址|网站|链接|地址|看板|仪表盘|dashboard|后台|可视化|在线|系统|平台|界面|入口|报表|图表|大屏|url|web|首页|门户|页|提交情况|提交状态|提交进度|完成情况|进度|状态|统计|汇总|数据|结果|各个?组|每个组|所有组|全部|整体|总体|学习组|记录|情况|交了多少|交记录|完成|查看|查询|看看|看到|看|打开|登录|登陆|进入|访问|浏览|发过来|发一下|发给我|发我|给我|给个|给|在哪里?|在哪儿|去哪|哪里|哪儿|怎么|是啥|是什么|是哪个|多少|那个|这个|能不能|有没有|可以|能|想|让我|随时|领导要?|我要|要|请|麻烦|帮我|用|手机|电脑|浏览器|上|里|中|都|的|一下|个|把|我|你|咱们|交|了|发|下|网|呢|吗|吧|啊',
);
export function isStatusPageRequest(text: string): boolean {
  const t = text.normalize('NFKC').replace(/[\s?？!！。.,，]/g, '');
  // 管理 alone is a word of the readings (学校管理), not a request for a page.
  if (STATUS_PAGE_WORDS.includes(t) || (STATUS_PAGE.test(t) && !/^(?:管理|状态|提交情况)$/.test(t))) return true;
  // A bare 链接 or 地址 could be a reading's: the page or what it shows must be named.
  const named = /提交|进度|状态|统计|汇总|各组|所有组|记录|看板|仪表盘|dashboard|后台|可视化|页面|网页|网站/i.test(t);
  return named && PAGE_NOUN.test(t) && t.replace(AROUND_PAGE, '') === '';
}

function kindBlocks(cells: Cell[], line: (c: Cell) => string): string[] {
  const out: string[] = [];
  for (const [kind, label] of [
    ['staff', '教职工'],
    ['student', '学生'],
  ] as const) {
    const mine = cells.filter((c) => c.group.kind === kind);
    if (mine.length) out.push(`${label}：`, ...mine.map(line));
  }
  return out;
}

async function cellsFor(ctx: BotContext, content: Content, scope: Scope, today: string): Promise<Cell[]> {
  const submissions = await ctx.store.submissions.list({ sessions: scope.sessions.map((s) => s.date) });
  return statusMatrix(content, scope, submissions, today);
}

/** A session not held yet: said as such, with no groups counted against it. */
const notDueLine = (session: ScheduleEntry) => `${sessionLabel(session)}：${CELL_STATUS_LABEL.notDue}（学习当天起可以提交）`;

function missingReport(scope: Scope, cells: Cell[]): string[] {
  const parts: string[] = [];
  for (const session of scope.sessions) {
    const here = cells.filter((c) => c.session.date === session.date);
    if (here.length === 0) {
      parts.push(`${sessionLabel(session)}：这些学习组不需提交`);
      continue;
    }
    if (!here.some((c) => c.due)) {
      parts.push(notDueLine(session));
      continue;
    }
    const missing = here.filter((c) => cellStatus(c) === 'missing');
    parts.push(
      [
        `${sessionLabel(session)}：已提交 ${here.length - missing.length} / 应提交 ${here.length}`,
        ...(missing.length ? kindBlocks(missing, (c) => `· ${c.group.name} — 记录员：${secretaryNames(c.group)}`) : ['全部已提交。']),
      ].join('\n'),
    );
  }
  return parts;
}

/** 张三交了吗: each of the groups asked about, session by session, handed in or not (and until when). */
function checkReport(content: Content, scope: Scope, cells: Cell[], today: string): string[] {
  const policy = RecordPolicy.of(content);
  return scope.sessions.map((session) => {
    const here = cells.filter((c) => c.session.date === session.date);
    // Groups asked about that do not owe this session (a student group and 业务学习活动) are said so, not left out.
    const notOwed = (scope.groups ?? content.roster.groups).filter((g) => !policy.owes(g, session)).map((g) => `· ${g.name}：不需提交`);
    if (!here.some((c) => c.due)) return here.length ? notDueLine(session) : [`${sessionLabel(session)}：`, ...notOwed].join('\n');
    const lines = here.map((c) => {
      const s = c.submission;
      if (s)
        return `· ${c.group.name}：已提交，回执 ${receiptWithVersion(s)}，${personName(content, s.submittedBy)} ${formatShanghaiTime(s.submittedAt)}${c.late ? '（逾期）' : ''}`;
      const closes = policy.closingDate(session.date);
      return `· ${c.group.name}：未交（记录员：${secretaryNames(c.group)}；${policy.isClosed(session.date, today) ? `已于${formatMonthDay(closes)}截止` : `${formatMonthDay(closes)}截止`}）`;
    });
    return [`${sessionLabel(session)}：`, ...lines, ...notOwed].join('\n');
  });
}

export function office({ content, outbox, statusLink }: HandlerDeps): Composer {
  const bot = new Composer();
  bot.hears('status-page', isStatusPageRequest, async (ctx) => {
    if (!content.isAdmin(ctx.userId)) return ctx.reply(notAdmin(content, ctx.userId));
    await ctx.reply(`学习讨论记录提交情况页面（15 分钟内有效，仅限您本人使用）：\n${statusLink(ctx.userId)}`);
  });
  bot.parses(
    'office',
    (text) => parseOfficeCommand(text, content),
    async (ctx, cmd) => {
      if (!content.isAdmin(ctx.userId)) return ctx.reply(notAdmin(content, ctx.userId));
      const today = ctx.understood.today;
      if (cmd.kind === 'view') return view(ctx, content, cmd.group, cmd.session, today);
      // Statistics are about the semester unless asked otherwise; the lists default to the latest session. Only words
      // that name a scope are read as one (一下, 有哪些 are not): a scope that cannot be read is said as written.
      const scopeText = cmd.badScope ?? cmd.scopeText;
      const read = parseScope(scopeText || (cmd.kind === 'stats' ? '本学期' : ''), content, today);
      if (!read || cmd.badScope)
        return ctx.reply(
          `没有识别出范围“${scopeText}”。可以是某次学习（${sessionExamples(content, today)}）、某月（${exampleMonth(content, today)}、本月、上月）或“本学期”。`,
        );
      if (read.sessions.length === 0) return ctx.reply(`${read.label}没有需要提交学习讨论记录的学习活动。`);
      const groups = cmd.who ? content.roster.groups.filter((g) => cmd.who!.groupIds.includes(g.id)) : undefined;
      const scope: Scope = groups
        ? {
            ...read,
            label: `${read.label}（${cmd.who!.label}${cmd.who!.label === groups.map((g) => g.name).join('、') ? '' : `：${groups.map((g) => g.name).join('、')}`}）`,
            groups,
          }
        : read;
      const cells = await cellsFor(ctx, content, scope, today);
      switch (cmd.kind) {
        case 'check':
          await ctx.replyAll([`【提交情况】${scope.label}`, ...checkReport(content, scope, cells, today)]);
          return;
        case 'missing':
          await ctx.replyAll([`【未提交名单】${scope.label}`, ...missingReport(scope, cells)]);
          return;
        case 'submitted': {
          const policy = RecordPolicy.of(content);
          const done = cells.filter((c) => c.submission);
          const lines = scope.sessions.map((s) => {
            const here = done.filter((c) => c.session.date === s.date);
            if (!here.length && !policy.isDue(s.date, today)) return notDueLine(s);
            const owing = policy.groupsOwing(s, scope.groups ?? content.roster.groups).length;
            return [
              `${sessionLabel(s)}：已提交 ${here.length} / 应提交 ${owing}`,
              ...here.map(
                (c) =>
                  `· ${c.group.name} — 回执 ${receiptWithVersion(c.submission!)}，${personName(content, c.submission!.submittedBy)} ${formatShanghaiTime(c.submission!.submittedAt)} 提交${c.late ? '（逾期）' : ''}`,
              ),
            ].join('\n');
          });
          await ctx.replyAll([`【已提交】${scope.label}`, ...lines]);
          return;
        }
        case 'stats': {
          const months = [...new Set(scope.sessions.map((s) => s.date.slice(0, 7)))];
          const lines = months.map((m) => {
            const here = cells.filter((c) => c.session.date.startsWith(m));
            const t = tally(here);
            // Sessions not held yet are named apart, never counted in 应提交 or 未提交.
            const notDue = scope.sessions.filter((s) => s.date.startsWith(m) && !RecordPolicy.of(content).isDue(s.date, today)).map(sessionLabel);
            const later = notDue.length ? `${t.expected ? '；' : ''}${CELL_STATUS_LABEL.notDue}：${notDue.join('、')}` : '';
            const counts = t.expected ? `应提交 ${t.expected}，已提交 ${t.submitted}（其中逾期 ${t.late}），未提交 ${t.missing}` : '';
            return `${Number(m.slice(5))}月：${counts}${later}`;
          });
          return ctx.reply([`【提交统计】${scope.label}`, ...lines].join('\n'));
        }
        case 'remind':
          return remind(ctx, content, outbox, scope, today);
        case 'export': {
          const csv = statusCsv(content, scope, cells);
          const file = { filename: `学习讨论记录提交情况-${scope.label.replace(/\s+/g, '')}.csv`, data: Buffer.from(csv, 'utf8'), contentType: 'text/csv' };
          const sent = await outbox.sendFile(jobName.export(ctx.userId, ctx.clock.now()), ctx.userId, file, { retryForMs: 3600_000 });
          return ctx.reply(
            sent.outcome === 'sent'
              ? `已将${scope.label}的提交情况表（CSV，可用 Excel 打开）发给您。`
              : `${scope.label}的提交情况表已生成，企业微信暂时无法送达，将在一小时内自动重发。`,
          );
        }
      }
    },
  );
  return bot;
}

/** 提醒未提交: at most once per secretary per scope per day (the job key carries the scope and the day). */
async function remind(ctx: BotContext, content: Content, outbox: Outbox, scope: Scope, today: string): Promise<void> {
  const job = jobName.remind(
    scope.sessions.map((s) => s.date),
    today,
  );
  const r = await remindMissing({ content, store: ctx.store, outbox, clock: ctx.clock }, scope, job);
  const notAsked = [
    ...(r.closed.length
      ? [
          `${r.closed.map((s) => `${sessionLabel(s)}的记录已于${formatMonthDay(RecordPolicy.of(content).closingDate(s.date))}截止`).join('；')}，不再提醒记录员（如需补交，可由管理员补录）。`,
        ]
      : []),
    ...(r.notYet.length ? [`${r.notYet.map(sessionLabel).join('、')}还没到，暂不提醒。`] : []),
  ].join('');
  if (r.closed.length + r.notYet.length === scope.sessions.length) return ctx.reply(`【提醒未提交】${scope.label}：${notAsked}`);
  await ctx.reply(
    [
      `【提醒未提交】${scope.label}：未提交的学习组 ${r.groups} 个。`,
      ...(notAsked ? [notAsked] : []),
      `已提醒记录员 ${r.sent} 位${r.skipped ? `；今天已提醒过、未重复发送 ${r.skipped} 位` : ''}。`,
      ...(r.queued.length ? [`企业微信暂时不可用，${r.queued.length} 位的提醒将在恢复后自动发送（可发送“推送状态”查看）。`] : []),
      ...(r.failures.length ? [`发送失败：${r.failures.join('、')}`] : []),
    ].join('\n'),
  );
}

async function view(ctx: BotContext, content: Content, groupText: string, sessionText: string, today: string): Promise<void> {
  if (!groupText || !sessionText) {
    const example = content.roster.groups[0]?.name ?? '组名';
    return ctx.reply(
      `请写明学习组和场次，例如“查看记录 ${example} ${exampleSession(content, today)}”。各学习组：${content.roster.groups.map((g) => g.name).join('、')}。也可以发送“已提交”查看全部已交的记录。`,
    );
  }
  // The same reading of a group's name as the record form's (院办, 教学那组), so the office can write it as briefly.
  const byId = content.roster.groups.find((g) => g.id === groupText);
  const m = byId ? { item: byId } : matchChoice(groupText, content.roster.groups, (g) => g.name);
  if (!m) return ctx.reply(`没有找到学习组“${groupText}”。`);
  if ('ambiguous' in m) return ctx.reply(`“${groupText}”可能是：${m.ambiguous.map((g) => g.name).join('、')}。请写得更具体一些。`);
  const group = m.item;
  const scope = parseScope(sessionText, content, today);
  const session = scope?.sessions.length === 1 ? scope.sessions[0] : undefined;
  if (!session) return ctx.reply(`没有识别出场次“${sessionText}”，请写日期，例如“查看记录 ${group.name} ${exampleSession(content, today)}”。`);
  const s = await ctx.store.submissions.get(group.id, session.date);
  if (!s) return ctx.reply(`${group.name}还没有提交${sessionLabel(session)}的记录。记录员：${secretaryNames(group)}。`);
  await ctx.reply(formatRecord(content, s));
}

/**
 * A session that needs a record, as an example of a scope: of the plan around today (the plan's own, never one
 * written here), else of any plan.
 */
function exampleEntry(content: Content, today: string): ScheduleEntry | undefined {
  const policy = RecordPolicy.of(content);
  return policy.sessionsOfPlan(policy.planAround(today))[0] ?? policy.sessions()[0];
}

function exampleSession(content: Content, today: string): string {
  const e = exampleEntry(content, today);
  return e ? formatMonthDay(e.date) : '日期';
}

function exampleMonth(content: Content, today: string): string {
  const e = exampleEntry(content, today);
  return e ? `${Number(e.date.slice(5, 7))}月` : '某月';
}

function sessionExamples(content: Content, today: string): string {
  const e = exampleEntry(content, today);
  return e ? `${formatMonthDay(e.date)}、第${e.week}周、${e.activity}` : '日期、第几周';
}
