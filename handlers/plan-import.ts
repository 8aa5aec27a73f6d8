import { Composer } from '../src/bot/composer.ts';
import type { BotContext } from '../src/bot/context.ts';
import { formatMonthDay, formatShanghaiTime } from '../src/content/dates.ts';
import { confirmImport, draftYear, parseAddedDates, previewLines, readDraft, withdrawImport } from '../src/content/import/plan-import-flow.ts';
import type { HandlerDeps } from './deps.ts';

/**
 * The office brings a notice in itself: an admin sends 导入学习计划, pastes the notice (over several messages), sends
 * 完成 and sees what was recognised and what is missing; may add dates the notice lacks (补充日期 5月16日) or its
 * year (补充年份 2024); 确认 stores it (with who and when) where every instance reads it, and staff get answers at
 * once. 已导入计划 lists the imports; 撤销导入 <id> withdraws one before records exist under it. Admins only.
 * The paste in progress is kept by this instance for 30 minutes (a paste moving between instances starts again).
 */
interface Draft {
  parts: string[];
  stage: 'pasting' | 'review';
  dates: string[];
  year?: number;
  touched: number;
}

const START = /^导入(学习)?(计划|通知)$/;
const DRAFT_TTL_MS = 30 * 60_000;
export const IMPORT_NOT_ADMIN = '抱歉，导入学习计划仅限党委办公室的管理员使用。';

export function planImport({ content, store, planSync }: HandlerDeps): Composer {
  const drafts = new Map<string, Draft>();
  const bot = new Composer();
  const flow = { content, store, planSync };

  /** The paste so far, as the shared import flow reads it. */
  const draftOf = (d: Draft) => ({ text: d.parts.join('\n'), ...(d.year ? { year: d.year } : {}), dates: d.dates });

  bot.use(async (ctx, next) => {
    const t = ctx.text?.trim();
    if (t === undefined) return next();
    const draft = drafts.get(ctx.userId);
    if (draft && ctx.clock.now() - draft.touched > DRAFT_TTL_MS) drafts.delete(ctx.userId);
    const d = drafts.get(ctx.userId);
    if (START.test(t)) {
      ctx.handledBy = 'plan-import';
      if (!content.isAdmin(ctx.userId)) return ctx.reply(IMPORT_NOT_ADMIN);
      drafts.set(ctx.userId, { parts: [], stage: 'pasting', dates: [], touched: ctx.clock.now() });
      return ctx.reply('请粘贴学习通知的全文（可以分几条发送），粘贴完后发送“完成”。发送“取消”放弃。');
    }
    if (/^(已导入(的)?(学习)?计划|导入记录)$/.test(t)) {
      ctx.handledBy = 'plan-import';
      if (!content.isAdmin(ctx.userId)) return ctx.reply(IMPORT_NOT_ADMIN);
      const all = await store.planImports.list();
      if (!all.length) return ctx.reply('还没有在聊天中导入过学习计划。');
      return ctx.reply(
        [
          '在聊天中导入的学习计划：',
          ...all.map(
            (p) =>
              `· ${p.id}：${p.importedBy} 于 ${formatShanghaiTime(p.importedAt)} 导入${p.withdrawnAt !== undefined ? `，${p.withdrawnBy} 于 ${formatShanghaiTime(p.withdrawnAt)} 撤销` : ''}`,
          ),
        ].join('\n'),
      );
    }
    const withdraw = /^撤销导入\s*(\S*)$/.exec(t);
    if (withdraw) {
      ctx.handledBy = 'plan-import';
      if (!content.isAdmin(ctx.userId)) return ctx.reply(IMPORT_NOT_ADMIN);
      return ctx.reply(await withdrawImportByChat(ctx, withdraw[1]!));
    }
    if (!d) return next();
    ctx.handledBy = 'plan-import';
    d.touched = ctx.clock.now();
    if (t === '取消') {
      drafts.delete(ctx.userId);
      return ctx.reply('已取消，没有导入任何内容。');
    }
    if (d.stage === 'pasting' && t !== '完成') {
      d.parts.push(ctx.text!);
      return ctx.reply(`已收到第 ${d.parts.length} 段。继续粘贴，粘贴完后发送“完成”。`);
    }
    if (d.stage === 'pasting' && !d.parts.length) return ctx.reply('还没有收到通知的内容，请先粘贴通知全文。');
    const today = ctx.understood.today;
    const addDates = /^补充(学习)?日期\s*(.+)$/.exec(t);
    const addYear = /^补充年份\s*(\d{4})年?$/.exec(t);
    if (addYear) d.year = Number(addYear[1]);
    /** What to say above the preview about the days just added: already there, or left out and why. */
    let aboutAdded: string[] = [];
    if (addDates) {
      const found = parseAddedDates(addDates[2]!, draftYear(draftOf(d), today));
      if (!found) return ctx.reply('没有看懂补充的日期，请写成“补充日期 5月16日”（几个日期用顿号隔开）。');
      const already = found.filter((x) => d.dates.includes(x));
      if (already.length) aboutAdded.push(`${already.map(formatMonthDay).join('、')}已经在学习日期中，无需再补充。`);
      d.dates.push(...found.filter((x) => !d.dates.includes(x)));
    }
    if (t === '确认' && d.stage === 'review') return ctx.reply(await confirm(ctx, d));
    if (t !== '完成' && !addDates && !addYear) return ctx.reply('请发送“确认”导入，“补充日期 5月16日”补充学习日期，“补充年份 2024”补充年份，或“取消”放弃。');
    d.stage = 'review';
    const { id, result, dates, leftOut } = readDraft(draftOf(d), flow);
    // A day that cannot be a session is not kept in the draft: the preview stays as it was, and says why.
    d.dates = dates;
    aboutAdded = [...aboutAdded, ...leftOut];
    return ctx.reply(
      [...aboutAdded, ...previewLines(id, result), '发送“确认”导入；“补充日期 5月16日”补充学习日期；“补充年份 2024”补充年份；“取消”放弃。'].join('\n'),
    );
  });

  async function confirm(ctx: BotContext, d: Draft): Promise<string> {
    const done = await confirmImport(flow, draftOf(d), ctx.userId, ctx.clock.now(), (id) => `发送“撤销导入 ${id}”`);
    if (!done.ok) return done.message.startsWith('这份通知还不能导入') ? `${done.message}请补充后再发送“确认”，或“取消”。` : done.message;
    drafts.delete(ctx.userId);
    return done.message;
  }

  async function withdrawImportByChat(ctx: BotContext, id: string): Promise<string> {
    if (!id) {
      const active = (await store.planImports.list()).filter((p) => p.withdrawnAt === undefined);
      return active.length
        ? `请写明要撤销的计划，例如“撤销导入 ${active.at(-1)!.id}”。可撤销的：${active.map((p) => p.id).join('、')}。`
        : '没有可撤销的导入。';
    }
    const done = await withdrawImport(flow, id, ctx.userId, ctx.clock.now());
    return done.message.startsWith('没有找到') ? `${done.message}发送“已导入计划”查看。` : done.message;
  }

  return bot;
}
