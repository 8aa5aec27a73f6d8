import type { Content } from '../content.ts';
import { formatMonthDay, isValidDate } from '../dates.ts';
import { planSchema, scheduleSchema } from '../plan.ts';
import type { Store } from '../../storage/ports.ts';
import { planIdFor } from './plan-id.ts';
import { importPlanText, type ImportResult } from './plan-text.ts';
import { runTimeImportOptions, type RunTimeImport } from './run-time.ts';

/**
 * The admin's run-time import, shared by the chat (handlers/plan-import.ts) and the status page
 * (src/http/plan-import-page.ts): a notice's text plus the admin's additions read into a plan, its report, storing it
 * with who and when, and withdrawing it. One code path, so both places store and report exactly the same.
 */
export interface ImportDraft {
  text: string;
  /** The year the admin gave (补充年份) for a notice that names none. */
  year?: number;
  /** Dates the admin added (补充日期) where the notice gives none. */
  dates: string[];
}

export interface ImportFlowDeps {
  content: Content;
  store: Store;
  /** Applies the stored imports here at once; its `importing` (the law library) is how notices are read. */
  planSync?: { refresh(): Promise<void>; importing?: RunTimeImport } | undefined;
}

/**
 * The draft read as a plan: its id from what it says (its month), as `npm run import` names it; with the flow, read
 * as every instance will rebuild it (a law named gets the library's text, reported in the preview).
 */
export function readDraft(
  d: ImportDraft,
  flow?: ImportFlowDeps,
): { id: string; text: string; year: number | undefined; result: ImportResult; dates: string[]; leftOut: string[] } {
  const year = d.year ?? (d.dates.length ? Number(d.dates[0]!.slice(0, 4)) : undefined);
  const read = (dates: string[]) => {
    const first = importPlanText(d.text, { ...(year ? { year } : {}), dates });
    const id = planIdFor(first.plan, d.text);
    const how = flow ? runTimeImportOptions(flow.content, flow.planSync?.importing) : {};
    return { id, result: importPlanText(d.text, { ...how, id, ...(year ? { year } : {}), dates }) };
  };
  let { id, result } = read(d.dates);
  // An added day that cannot be a session is not kept (it would only stretch the period): said why, read without it.
  const leftOut = addedDatesLeftOut(d.dates, result);
  const dates = leftOut.length ? d.dates.filter((x) => result.schedule.some((e) => e.date === x)) : d.dates;
  if (leftOut.length) ({ id, result } = read(dates));
  return { id, text: d.text, year, result, dates, leftOut };
}

/**
 * Dates as an admin writes them ("5月16日、2024年5月30日"), each completed with `year` when it names none; undefined
 * when nothing (or an impossible day) was found.
 */
export function parseAddedDates(input: string, year: number): string[] | undefined {
  const found = [...input.matchAll(/(?:(\d{4})年)?(\d{1,2})月(\d{1,2})[日号]/g)].map((m) => `${m[1] ?? year}-${m[2]!.padStart(2, '0')}-${m[3]!.padStart(2, '0')}`);
  return found.length && found.every(isValidDate) ? found : undefined;
}

/** The year a bare "5月16日" added to this draft belongs to: the admin's year, else the notice's period, else today's. */
export function draftYear(d: ImportDraft, today: string): number {
  return d.year ?? Number(readDraft(d).result.plan.period?.from.slice(0, 4) ?? today.slice(0, 4));
}

/** What was recognised and what is missing, one line each (the chat adds its own instructions below). */
export function previewLines(id: string, r: ImportResult): string[] {
  const p = r.plan;
  const q = p.questions ?? {};
  const questions = (q.staff?.length ?? 0) + (q.students?.length ?? 0) + (q.others ?? []).reduce((k, o) => k + o.items.length, 0);
  const when = [
    ...r.schedule.map((e) => e.date),
    ...(p.sessions?.rules ?? []).map((x) => x.text),
    ...(p.sessions?.by ? [`${p.sessions.by} 之前`] : []),
    ...(p.sessions?.note ? [p.sessions.note] : []),
  ];
  const leftOut = r.problems.filter((l) => LEFT_OUT.test(l));
  const others = r.problems.filter((l) => !LEFT_OUT.test(l));
  return [
    `识别结果（尚未导入）：《${p.title}》（id：${id}）`,
    `期间：${p.period ? `${p.period.label}（${p.period.from} 至 ${p.period.to}）` : '未写明'}`,
    `学习时间：${when.length ? when.join('；') : '未写明'}`,
    `学习资料 ${p.materials?.length ?? 0} 份${p.materials?.length ? `：${p.materials.slice(0, 3).map((m) => m.title.slice(0, 30)).join('；')}${p.materials.length > 3 ? '…' : ''}` : ''}`,
    `学习主题 ${p.themes?.length ?? 0} 个，讨论题 ${questions} 道，学习要求 ${p.requirements?.length ?? 0} 条${p.deadlines?.length ? `，报送截止 ${p.deadlines.length} 项` : ''}`,
    // Laws whose text the law library gave (《…》：全文取自法律法规库 …（… 版本）).
    ...r.recognised.filter((l) => l.includes('全文取自法律法规库')),
    ...(r.missing.length ? [`通知中没有写明：${r.missing.join('；')}`] : []),
    // Days left out, each with why and what to do, before the lines it could not place.
    ...leftOut,
    ...(others.length ? [`未能归类 ${others.length} 行：${others.slice(0, 3).join('；')}`] : []),
  ];
}

/** The notice's problems that are days left out of the sessions ("3月7日不在本通知的学习期间…，没有导入…"). */
const LEFT_OUT = /^\d{1,2}月\d{1,2}日.*没有导入/;

/**
 * Why each day the admin added (补充日期) is not among the sessions, in the preview's words; empty when all are.
 * So an addition never comes back as an unchanged preview without a word.
 */
export function addedDatesLeftOut(added: readonly string[], r: ImportResult): string[] {
  return added
    .filter((d) => !r.schedule.some((e) => e.date === d))
    .map((d) => {
      const day = formatMonthDay(d);
      return r.problems.find((p) => p.startsWith(day) && LEFT_OUT.test(p)) ?? `${day}没有加入学习日期：${r.schedule.length ? '这份通知的学习日期由时间安排表给出' : '这份通知还没有可以推算日期的学习期间'}。`;
    });
}

export type ConfirmOutcome = { ok: true; id: string; message: string } | { ok: false; message: string };

/**
 * Stores the draft (the notice's text and the admin's additions, who and when) where every instance reads it, and
 * applies it here at once. Refused (nothing stored) when the plan does not validate or its id is taken.
 * `how` names how to withdraw in the place the admin is (the chat's 撤销导入, the page's button).
 */
export async function confirmImport(flow: ImportFlowDeps, d: ImportDraft, by: string, at: number, how: (id: string) => string): Promise<ConfirmOutcome> {
  const { content, store, planSync } = flow;
  const { id, text, year, result, dates } = readDraft(d, flow);
  let plan;
  try {
    plan = planSchema.parse(result.plan);
    scheduleSchema.parse(result.schedule);
  } catch (err) {
    return { ok: false, message: `这份通知还不能导入：${(err as Error).message.slice(0, 200)}。` };
  }
  if (content.planById(id)) return { ok: false, message: `已有 id 为“${id}”的学习计划，没有导入。如需替换，请先撤销导入“${id}”。` };
  const added = await store.planImports.add({ id, text, ...(year ? { year } : {}), ...(dates.length ? { dates } : {}), importedBy: by, importedAt: at });
  if (!added) return { ok: false, message: `已有 id 为“${id}”的导入记录（可能已被撤销），没有导入。` };
  await planSync?.refresh();
  const served = content.planById(id);
  return {
    ok: true,
    id,
    message: `已导入《${plan.title}》（${id}）${served?.coverage ? `，适用于 ${served.coverage.from} 至 ${served.coverage.to ?? '下一个计划开始前'}` : ''}。所有实例几秒内即按它回答；${how(id)}可撤销（提交记录之前）。`,
  };
}

export type WithdrawOutcome = { ok: boolean; message: string };

/** Withdraws an import, refused once records were handed in under its sessions (they must not be orphaned). */
export async function withdrawImport({ content, store, planSync }: ImportFlowDeps, id: string, by: string, at: number): Promise<WithdrawOutcome> {
  const active = (await store.planImports.list()).filter((p) => p.withdrawnAt === undefined);
  if (!active.some((p) => p.id === id)) return { ok: false, message: `没有找到可撤销的导入“${id}”。` };
  const sessions = content.planById(id)?.schedule.map((e) => e.date) ?? [];
  if (sessions.length && (await store.submissions.list({ sessions })).length) return { ok: false, message: `“${id}”之下已有提交的学习讨论记录，不能撤销。` };
  if (!(await store.planImports.withdraw(id, by, at))) return { ok: false, message: `没有找到可撤销的导入“${id}”。` };
  await planSync?.refresh();
  return { ok: true, message: `已撤销导入“${id}”。` };
}
