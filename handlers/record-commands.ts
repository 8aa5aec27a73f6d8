import { normalizeText } from '../src/bot/composer.ts';
import { recordIntent } from './record-intent.ts';
import { BACK, CANCEL, DONE, PROGRESS, RESTART, RESUME, SKIP } from '../src/bot/forms/control-words.ts';

/**
 * The record form's command words, in one place: the handlers (handlers/minutes.ts) route by them, and the form asks
 * the same matchers whether a message sent in the middle of it is another command (`minutesForm.isCommand`).
 * Written as the rules people follow (a verb, what it acts on, particles), not as lists of sentences: the paraphrase
 * set in test/intents/ measures them.
 */

/** Said at the end of a command and meaning nothing: 吧, 了, 一下 … */
const TAIL = /(?:吧|了|呢|啊|呀|哈|一下)+$/u;
const squeeze = (text: string) => normalizeText(text).replace(/\s+/g, '');

export const MINUTES_TRIGGERS = ['提交记录', '提交讨论记录', '交记录', '提交学习讨论记录', '提交学习记录', '填写记录', '写记录'];
/**
 * Starting a record as people say it: 我要交学习记录, 我来提交一下讨论记录, 补交记录吧, 上传记录, 新建一份记录, 记录提交.
 * The verb is one of handing in, filling in or creating; the object is the (study/discussion) record.
 */
const SUBMIT_VERB = '(?:交|提交|填|填写|填报|写|上交|补交|上传|录入|登记|报|新建|新增|新填|开始填写?|开始写|开始提交)';
const RECORD = '(?:学习的?)?(?:讨论的?)?(?:记录|纪要)';
const SAYS_SUBMIT = new RegExp(
  `^(?:我要|我来|我想|我得|我|帮我|请|现在|开始|要|需要|得|该)?(?:来)?${SUBMIT_VERB}(?:一下|一份|一个|下)?(?:这次的?|本次的?|本月的?|这个月的?|学习组的?|新的?)?${RECORD}$` +
    `|^(?:新|新的)${RECORD}$|^${RECORD}(?:提交|填报|录入)$`,
  'u',
);
export function isMinutesTrigger(text: string): boolean {
  const t = squeeze(text).replace(TAIL, '');
  return MINUTES_TRIGGERS.includes(t) || SAYS_SUBMIT.test(t) || recordIntent(text) === 'minutes';
}

/**
 * The secretary's list of handed-in records: 我的记录, 我交过的记录, 看看我的记录, 我交了哪些, 我的历史记录.
 * "我交的那份" is one record (view), not the list.
 */
const WE = '(?:我们学习组|我们组|我们|本组|我组|我)';
const LOOK = '(?:查看|查一下|查下|查|看看|看一下|看下|看|列出|显示)?';
const HANDED_IN = '(?:提交|上交|上传|交)';
const MY_RECORDS = new RegExp(
  `^${LOOK}${WE}(?:之前|以前|已经|都|上)?${HANDED_IN}?(?:过|了)?的?(?:已提交|已交|历史|学习|提交)?的?(?:学习)?(?:讨论)?(?:记录|提交)(?:列表|有哪些|有几份|在哪看|在哪里看|在哪儿看|怎么看)?$` +
    `|^${LOOK}${WE}(?:都|之前|以前)?${HANDED_IN}(?:过|了)(?:哪些|啥|什么|哪几份|几份|几次)(?:记录)?$` +
    '|^已(?:提交|交)(?:的)?记录$|^我(?:之前|以前)(?:提交|上交|交)(?:过)?的$|^我(?:提交|上交|交)过的$|^我(?:们组)?(?:一共)?有几份(?:记录)?$',
  'u',
);
export function isMyRecords(text: string): boolean {
  const t = squeeze(text)
    .replace(/[?？]+$/u, '')
    .replace(/(?:呢|吧|啊|呀)$/u, '');
  // 我交记录 and 我提交 hand one in: the list is of what was handed in (交的, 交过, 我的).
  return (MY_RECORDS.test(t) && !isMinutesTrigger(t) && !/^我们?(?:提交|上交|上传|交)$/u.test(t)) || recordIntent(text) === 'my-records';
}

/**
 * Amending a handed-in record: 修改记录 [N], 我要改一下记录, 更正我交的记录, 记录填错了, 记录需要修改 …
 * Returns the record's number in 我的记录's list when one is given.
 */
const AMEND_VERB = '(?:修改|改改|改|更改|更正|修正|修订|编辑|重新修改)';
const AMEND_BY_VERB = new RegExp(
  `^(?:我要|我想|我得|想|要|帮我|请)?(?:把)?${AMEND_VERB}(?:一下|下)?(?:我的|我交的|已交的|上次的?|上次交的)?${RECORD}(?:改一下)?\\s*(\\d+)?$`,
  'u',
);
const AMEND_BY_MISTAKE = new RegExp(
  `^(?:把)?(?:上次的?|我交的|我的)?${RECORD}(?:(?:填|写|交)?错了?|有错|有误)?(?:要|需要|得)?(?:改|修改|更改)?(?:一下|下)?$`,
  'u',
);
const MISTAKE_ONLY = /^(?:填|写|交)错了(?:要改|怎么改|改一下|想改)$/u;
export function parseAmendRecord(text: string): { n: string | undefined } | undefined {
  const t = squeeze(text).replace(TAIL, '');
  const byVerb = AMEND_BY_VERB.exec(t);
  if (byVerb) return { n: byVerb[1] };
  // "记录" alone, or "我的记录", is not an amendment: a mistake or a wish to change must be said.
  if (AMEND_BY_MISTAKE.test(t) && /错|有误|改/.test(t)) return { n: undefined };
  if (MISTAKE_ONLY.test(t)) return { n: undefined };
  return recordIntent(text) === 'amend-record' ? { n: undefined } : undefined;
}

/**
 * A form's own words (取消, 继续, 返回 …) sent with no form open: the same words the form engine steers by
 * (src/bot/forms/control-words.ts), with what people add to them (继续吧, 不填了, 算了).
 */
/** Giving up or stopping, said with no form open: answered the same way (a form open takes only CANCEL's words). */
const STOP_WORDS = ['算了', '不要了', '停止', '撤销', '中止', '下一步', '暂停', '停下', '先这样'];
/** Not going on (我不填了, 先不交了, 不弄了) and going on (接着来, 继续刚才的), in words beyond the control words. */
const STOP_SAID = /^(?:我|先|那|那我)?(?:先)?(?:不|不想|不要|别)(?:填|写|交|弄|搞|做)(?:了)$|^(?:取消|退出|放弃|停)(?:一下|掉)$/u;
const RESUME_SAID = /^(?:继续|接着)(?:填写?|写|来|弄|做|刚才的|上次的|之前的)$/u;
const FORM_WORDS_WITHOUT_FORM = new Set(
  [...CANCEL, ...RESUME, ...BACK, ...SKIP, ...PROGRESS, ...RESTART, ...DONE, ...STOP_WORDS, '确认', '修改'].map(normalizeText),
);
export function isFormWordWithoutForm(text: string): boolean {
  const t = squeeze(text);
  // One particle at the end (继续吧, 算了吧): not more, or 算了 would lose its 了.
  const bare = t.replace(/(?:吧|啊|呀|哈)$/u, '');
  return (
    FORM_WORDS_WITHOUT_FORM.has(t) || FORM_WORDS_WITHOUT_FORM.has(bare) || STOP_SAID.test(bare) || RESUME_SAID.test(bare) || recordIntent(text) === 'no-form'
  );
}
