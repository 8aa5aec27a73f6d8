import { Composer } from '../src/bot/composer.ts';
import type { BotContext } from '../src/bot/context.ts';
import { formatShanghaiTime, isValidDate, shanghaiDate } from '../src/content/dates.ts';
import { planIdFor } from '../src/content/import/plan-id.ts';
import { importPlanText, type ImportResult } from '../src/content/import/plan-text.ts';
import { planSchema, scheduleSchema } from '../src/content/plan.ts';
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

  /** The draft read as a plan: its id from what it says (its month), as `npm run import` names it. */
  const run = (d: Draft) => {
    const text = d.parts.join('\n');
    const year = d.year ?? (d.dates.length ? Number(d.dates[0]!.slice(0, 4)) : undefined);
    const first = importPlanText(text, { ...(year ? { year } : {}), dates: d.dates });
    const id = planIdFor(first.plan, text);
    const result = importPlanText(text, { id, ...(year ? { year } : {}), dates: d.dates });
    return { id, text, year, result };
  };

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
        ['在聊天中导入的学习计划：', ...all.map((p) => `· ${p.id}：${p.importedBy} 于 ${formatShanghaiTime(p.importedAt)} 导入${p.withdrawnAt !== undefined ? `，${p.withdrawnBy} 于 ${formatShanghaiTime(p.withdrawnAt)} 撤销` : ''}`)].join('\n'),
      );
    }
    const withdraw = /^撤销导入\s*(\S*)$/.exec(t);
    if (withdraw) {
      ctx.handledBy = 'plan-import';
      if (!content.isAdmin(ctx.userId)) return ctx.reply(IMPORT_NOT_ADMIN);
      return ctx.reply(await withdrawImport(ctx, withdraw[1]!));
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
    const today = shanghaiDate(ctx.clock.now());
    const addDates = /^补充(学习)?日期\s*(.+)$/.exec(t);
    const addYear = /^补充年份\s*(\d{4})年?$/.exec(t);
    if (addYear) d.year = Number(addYear[1]);
    if (addDates) {
      const year = d.year ?? Number(run(d).result.plan.period?.from.slice(0, 4) ?? today.slice(0, 4));
      const found = [...addDates[2]!.matchAll(/(?:(\d{4})年)?(\d{1,2})月(\d{1,2})[日号]/g)].map((m) => `${m[1] ?? year}-${m[2]!.padStart(2, '0')}-${m[3]!.padStart(2, '0')}`);
      if (!found.length || !found.every(isValidDate)) return ctx.reply('没有看懂补充的日期，请写成“补充日期 5月16日”（几个日期用顿号隔开）。');
      d.dates.push(...found.filter((x) => !d.dates.includes(x)));
    }
    if (t === '确认' && d.stage === 'review') return ctx.reply(await confirm(ctx, d));
    if (t !== '完成' && !addDates && !addYear) return ctx.reply('请发送“确认”导入，“补充日期 5月16日”补充学习日期，“补充年份 2024”补充年份，或“取消”放弃。');
    d.stage = 'review';
    const { id, result } = run(d);
    return ctx.reply(preview(id, result));
  });

  async function confirm(ctx: BotContext, d: Draft): Promise<string> {
    const { id, text, year, result } = run(d);
    let plan;
    try {
      plan = planSchema.parse(result.plan);
      scheduleSchema.parse(result.schedule);
    } catch (err) {
      return `这份通知还不能导入：${(err as Error).message.slice(0, 200)}。请补充后再发送“确认”，或“取消”。`;
    }
    if (content.planById(id)) return `已有 id 为“${id}”的学习计划，没有导入。如需替换，请先发送“撤销导入 ${id}”。`;
    const added = await store.planImports.add({ id, text, ...(year ? { year } : {}), ...(d.dates.length ? { dates: d.dates } : {}), importedBy: ctx.userId, importedAt: ctx.clock.now() });
    if (!added) return `已有 id 为“${id}”的导入记录（可能已被撤销），没有导入。`;
    drafts.delete(ctx.userId);
    await planSync?.refresh();
    const served = content.planById(id);
    return `已导入《${plan.title}》（${id}）${served?.coverage ? `，适用于 ${served.coverage.from} 至 ${served.coverage.to ?? '下一个计划开始前'}` : ''}。所有实例几秒内即按它回答；发送“撤销导入 ${id}”可撤销（提交记录之前）。`;
  }

  async function withdrawImport(ctx: BotContext, id: string): Promise<string> {
    const all = await store.planImports.list();
    const active = all.filter((p) => p.withdrawnAt === undefined);
    if (!id) return active.length ? `请写明要撤销的计划，例如“撤销导入 ${active.at(-1)!.id}”。可撤销的：${active.map((p) => p.id).join('、')}。` : '没有可撤销的导入。';
    if (!active.some((p) => p.id === id)) return `没有找到可撤销的导入“${id}”。发送“已导入计划”查看。`;
    const plan = content.planById(id);
    const sessions = plan?.schedule.map((e) => e.date) ?? [];
    if (sessions.length && (await store.submissions.list({ sessions })).length) return `“${id}”之下已有提交的学习讨论记录，不能撤销。`;
    await store.planImports.withdraw(id, ctx.userId, ctx.clock.now());
    await planSync?.refresh();
    return `已撤销导入“${id}”。`;
  }

  return bot;
}

function preview(id: string, r: ImportResult): string {
  const p = r.plan;
  const q = p.questions ?? {};
  const questions = (q.staff?.length ?? 0) + (q.students?.length ?? 0) + (q.others ?? []).reduce((k, o) => k + o.items.length, 0);
  const when = [
    ...r.schedule.map((e) => e.date),
    ...(p.sessions?.rules ?? []).map((x) => x.text),
    ...(p.sessions?.by ? [`${p.sessions.by} 之前`] : []),
    ...(p.sessions?.note ? [p.sessions.note] : []),
  ];
  return [
    `识别结果（尚未导入）：《${p.title}》（id：${id}）`,
    `期间：${p.period ? `${p.period.label}（${p.period.from} 至 ${p.period.to}）` : '未写明'}`,
    `学习时间：${when.length ? when.join('；') : '未写明'}`,
    `学习资料 ${p.materials?.length ?? 0} 份${p.materials?.length ? `：${p.materials.slice(0, 3).map((m) => m.title.slice(0, 30)).join('；')}${p.materials.length > 3 ? '…' : ''}` : ''}`,
    `学习主题 ${p.themes?.length ?? 0} 个，讨论题 ${questions} 道，学习要求 ${p.requirements?.length ?? 0} 条${p.deadlines?.length ? `，报送截止 ${p.deadlines.length} 项` : ''}`,
    ...(r.missing.length ? [`通知中没有写明：${r.missing.join('；')}`] : []),
    ...(r.problems.length ? [`未能归类 ${r.problems.length} 行：${r.problems.slice(0, 3).join('；')}`] : []),
    '发送“确认”导入；“补充日期 5月16日”补充学习日期；“补充年份 2024”补充年份；“取消”放弃。',
  ].join('\n');
}
