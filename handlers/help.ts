import { Composer } from '../src/bot/composer.ts';
import type { Content } from '../src/content/content.ts';
import { smallTalk, smallTalkReply } from './small-talk.ts';
import { type CalendarDate } from '../src/content/dates.ts';
import { helpExamples } from './help-examples.ts';
import { currentPlan } from './plan-days.ts';

/** Who reads the menu: each sees the lines they can use (a member of staff is not offered the office's commands). */
export type MenuReader = 'staff' | 'secretary' | 'admin';

export function menuReader(content: Content, userId: string): MenuReader {
  if (content.isAdmin(userId)) return 'admin';
  return content.roster.groups.some((g) => g.secretaries.some((s) => s.userId === userId)) ? 'secretary' : 'staff';
}

/** The menu: what the bot can do, in the words users type, with examples from the plan of the day. */
export const HELP_TEXT = (content: Content, today: CalendarDate, reader: MenuReader = 'staff') => {
  const plan = currentPlan(content, today);
  const ex = helpExamples(plan);
  const month = ex.sessionDate?.split('月')[0];
  const line = (head: string, items: string[]) => (items.length ? [`【${head}】${items.join(' · ')}`] : []);
  return [
    `您好，我是${content.organisation}的学习助手。您可以这样问我：`,
    '',
    ...line('查条文', ex.articles),
    ...line('查资料', ex.documents),
    ...line('查安排', ex.schedule),
    ...line('查内容', ex.topics),
    ...line('搜关键词', ex.keywords),
    ...(reader === 'staff' ? [] : [`【交记录】提交记录（学习组记录员填写学习讨论记录） · 我的记录 · 修改记录 · 导出记录本 ${month ? `${month}月` : '本学期'}`]),
    ...(reader !== 'admin'
      ? []
      : [
          `【党委办公室】谁还没交 · ${month ? `${month}月谁还没交 · ` : ''}已提交 · 统计 · 查看记录 组名 ${ex.sessionDate ?? '日期'} · 提醒未提交 · 导出 本学期 · 导出记录本 本学期 · 导出记录表 ${month ? `${month}月` : '本学期'} · 导入学习计划`,
        ]),
    '',
    '发送“帮助”或“菜单”可随时查看本说明。',
  ].join('\n');
};

export const GREETING = (organisation: string) => `您好，欢迎使用${organisation}学习助手！发送“帮助”查看我能做什么。`;

const GREETINGS = ['你好', '您好', '你好啊', '您好啊', '在吗', '在不在', '老师好', 'hi', 'hello', '哈喽', '嗨', '早上好', '下午好', '晚上好'];
const THANKS = ['谢谢', '谢谢你', '谢谢您', '多谢', '感谢', '好的谢谢', '好的，谢谢', '收到', '收到谢谢', 'thanks', 'thank you'];

export const HELP_WORDS = [
  '帮助',
  'help',
  '/help',
  '菜单',
  '?',
  '？',
  '功能',
  '使用说明',
  '使用方法',
  'menu',
  // Asking the bot about itself is asking for the menu.
  '你能做什么',
  '你会什么',
  '你会做什么',
  '你可以做什么',
  '能做什么',
  '可以做什么',
  '有什么功能',
  '你有什么功能',
  '怎么用',
  '如何使用',
  '怎么使用',
  '你是谁',
  '你是干什么的',
  '你是做什么的',
  '这是什么',
  '机器人',
];
/** Asking for a person: the bot says it is automatic and names the office's admins (from content/roster.yaml). */
const HUMAN_WORDS = [
  '人工',
  '人工客服',
  '转人工',
  '找人工',
  '联系人工',
  '人工服务',
  '客服',
  '联系管理员',
  '找管理员',
  '管理员是谁',
  '找谁',
  '联系谁',
  '有问题找谁',
];

export function help(content: Content): Composer {
  const bot = new Composer();
  bot.hears('help', HELP_WORDS, (ctx) => ctx.reply(HELP_TEXT(content, ctx.understood.today, menuReader(content, ctx.userId))));
  bot.on('greeting', 'event:enter_agent', (ctx) => ctx.reply(GREETING(content.organisation)));
  bot.on('greeting', 'event:subscribe', (ctx) => ctx.reply(GREETING(content.organisation)));
  // A greeting is answered as one, with what the bot can do; thanks get a short reply.
  bot.hears('greeting', GREETINGS, (ctx) => ctx.reply(`${GREETING(content.organisation)}`));
  bot.hears('human', HUMAN_WORDS, (ctx) => {
    const admins = content.roster.admins.map((a) => a.name).join('、');
    return ctx.reply(`我是自动回复的学习助手，不能转接人工。需要人工帮助时，请直接联系负责本学期学习的老师：${admins}。`);
  });
  bot.hears('thanks', THANKS, (ctx) => ctx.reply('不客气！还有问题随时问我，发送“帮助”查看我能做什么。'));
  // The 智能机器人's first visit of the day to its one-to-one chat.
  bot.on('greeting', 'event:enter_chat', (ctx) => ctx.reply(GREETING(content.organisation)));
  return bot;
}

/**
 * Anything else that is only small talk (谢谢啦, 辛苦了, 好的收到, 你是谁，能干嘛): a short friendly answer. After one
 * person's business, where 好 and 可以 may answer a question the bot asked (修改记录 → 好).
 */
export function smallTalkAnswers(content: Content): Composer {
  return new Composer().parses(
    'small-talk',
    (text) => smallTalk(text),
    (ctx, kind) => ctx.reply(smallTalkReply(kind, content.organisation)),
  );
}

/** Last in the chain: anything nobody handled gets a short, useful pointer with examples from the plan of the day. */
export function fallback(content: Content): Composer {
  const bot = new Composer();
  bot.use(async (ctx) => {
    const m = ctx.message;
    if (m.type === 'text') {
      ctx.handledBy = 'fallback';
      const shown = ctx.text && ctx.text.length > 20 ? `${ctx.text.slice(0, 20)}…` : ctx.text;
      const ex = helpExamples(currentPlan(content, ctx.understood.today));
      const can = [
        ...(ex.articles[0] ? [`条文（如“${ex.articles[0]}”）`] : []),
        `学习安排（如“${ex.schedule[0]}”）`,
        '学习主题、讨论题',
        ...(ex.keywords[0] ? [`或按关键词查找（如“${ex.keywords[0]}”）`] : []),
      ];
      await ctx.reply(
        `${shown ? `抱歉，学习资料中没有找到与“${shown}”有关的内容。` : '请发送文字消息。'}\n我可以回答：${can.join('、')}。发送“帮助”查看全部用法。`,
      );
    } else if (m.type !== 'event') {
      ctx.handledBy = 'fallback';
      await ctx.reply('目前我只能处理文字消息，请用文字提问。发送“帮助”查看我能做什么。');
    }
    // Other events (click, view, location report …) need no answer.
  });
  return bot;
}
