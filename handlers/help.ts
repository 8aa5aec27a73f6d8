import type { Composer } from '../src/bot/composer.ts';

/** The menu: what the bot can do, in the words users type. Kept in one place so every feature adds its line here. */
export const HELP_TEXT = [
  '您好，我是管理学院党支部的学习助手。您可以这样问我：',
  '',
  '【帮助】发送“帮助”或“菜单”，查看本说明',
  '',
  '更多功能（学习内容查询、每周议程、学习讨论记录提交、提交情况统计）将陆续开通。',
].join('\n');

export const GREETING = '您好，欢迎使用管理学院党支部学习助手！发送“帮助”查看我能做什么。';

export function registerHelp(bot: Composer): void {
  bot.hears('help', ['帮助', 'help', '菜单', '?', '？', '功能', '使用说明'], (ctx) => ctx.reply(HELP_TEXT));
  bot.on('greeting', 'event:enter_agent', (ctx) => ctx.reply(GREETING));
  bot.on('greeting', 'event:subscribe', (ctx) => ctx.reply(GREETING));
}

/** Last in the chain: anything nobody handled gets a short, polite pointer to the menu. */
export function registerFallback(bot: Composer): void {
  bot.use(async (ctx) => {
    const m = ctx.message;
    if (m.type === 'text') {
      ctx.handledBy = 'fallback';
      const shown = ctx.text && ctx.text.length > 20 ? `${ctx.text.slice(0, 20)}…` : ctx.text;
      await ctx.reply(shown ? `抱歉，我还不明白“${shown}”。发送“帮助”查看我能做什么。` : '请发送文字消息。发送“帮助”查看我能做什么。');
    } else if (m.type !== 'event') {
      ctx.handledBy = 'fallback';
      await ctx.reply('目前我只能处理文字消息，请用文字提问。发送“帮助”查看我能做什么。');
    }
    // Other events (click, view, location report …) need no answer.
  });
}
