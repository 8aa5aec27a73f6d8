import type { BotContext } from '../src/bot/context.ts';
import { recordIntent } from './record-intent.ts';
import type { Content } from '../src/content/content.ts';

/**
 * A secretary reading a record back in chat (issue 20): 查看记录 1 / 看看 2 (the number in 我的记录's list), the
 * receipt number (JL-20160920-001, with or without 查看), or 看一下我交的那份 / 我上次交的记录 (the latest one this
 * user handed in). Read here, answered by the record handlers (handlers/minutes.ts).
 */
export type OwnRecordQuery = { n: number } | { receipt: string } | { latest: true };

const RECEIPT = /JL-\d{8}-\d{3}/i;
const BY_NUMBER =
  /^(?:请)?(?:给我)?(?:详细)?(查看|看看|看一下|看下|打开|显示|查一下|查|看)?(?:一下)?(?:第)?(?:我的)?(?:学习)?(?:讨论)?(记录)?\s*(?:第)?\s*(\d{1,3}|[一二三四五六七八九十])\s*(条|份|个)?(记录)?$/;
/** The verbs that name a record by its bare number (查看第1条): 看 alone with 条 would be an article (看第2条). */
const STRONG_VERB = /^(?:查看|看看|看一下|看下|打开|显示)$/;
/** 我交的第一份记录: the n-th in the list. */
const NTH_OWN = /^我(?:提)?交的第(\d{1,3}|[一二三四五六七八九十])(?:份|条|个)(?:记录)?$/;
const LATEST =
  /^(?:请)?(?:查看|看看|看一下|看下|给我看看|给我看一下|打开|显示)?(?:一下)?(?:我(?:上次|刚才|刚刚|刚|最近)?|(?:上次|刚才|刚刚|最近))(?:提)?交的(?:那份|那个|这份|那条)?(?:学习)?(?:讨论)?(?:记录)?(?:给我看看|给我看一下|给我看下|看看)?$/;

const BARE_VIEW = /^(?:查看|看看|看一下|看下)(?:一下)?(?:记录)?$/;

export function parseOwnRecordQuery(text: string, content: Content, ctx: BotContext): OwnRecordQuery | undefined {
  const t = text
    .normalize('NFKC')
    .trim()
    .replace(/[?？!！。.~～]+$/, '');
  const receipt = RECEIPT.exec(t);
  if (receipt && t.replace(receipt[0], '').replace(/查看|看看|看一下|看下|回执|记录|的|号|:|：|\s/g, '') === '') return { receipt: receipt[0].toUpperCase() };
  const isSecretary = content.roster.groups.some((g) => g.secretaries.some((s) => s.userId === ctx.userId));
  if (!isSecretary) return undefined;
  const n = BY_NUMBER.exec(t);
  // A number is a record's when the record is named, counted in 份, or asked for with a verb that means "open".
  if (n && (n[2] || n[5] || n[4] === '份' || (n[1] && STRONG_VERB.test(n[1])))) return { n: numberOf(n[3]!) };
  const nth = NTH_OWN.exec(t.replace(/\s/g, ''));
  if (nth) return { n: numberOf(nth[1]!) };
  // 查看 alone (right after a receipt, most often): the record just handed in, the latest one.
  if (LATEST.test(t.replace(/\s/g, '')) || BARE_VIEW.test(t.replace(/\s/g, ''))) return { latest: true };
  // Other words for seeing what was handed in (看看我交上去的东西, 我想看看之前交的讨论记录): the latest one.
  return recordIntent(text) === 'view-own-record' ? { latest: true } : undefined;
}

const numberOf = (s: string) => (/\d/.test(s) ? Number(s) : '一二三四五六七八九十'.indexOf(s) + 1);
