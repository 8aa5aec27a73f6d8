/**
 * A secretary's everyday words about the records, read by what they say rather than by whole sentences (issue 20,
 * second writer's paraphrases: 帮我登记一下我们支部的学习讨论, 刚交的那个人数不对 帮我改改, 我有没有漏交的, 看看我交上
 * 去的东西, 算了不弄了). Each message is read for a few concepts: the record itself, having handed it in, a wish to
 * hand it in now, something wrong in it, wanting to see it, the state of one's own submissions, and the form's
 * own words with nothing else. One reading decides one intent; the record handlers (handlers/record-commands.ts)
 * ask it after their exact rules, so `minutesForm.isCommand` knows the same words.
 */
/**
 * A regular expression removing any of `words` ('|'-separated), the longest first wherever they overlap (浏览器 before
 * 浏览), so "nothing else is left" does not depend on the order they are listed in.
 */
export function anyOf(words: string, flags = 'gi'): RegExp {
  const list = [...new Set(words.split('|'))].sort((a, b) => b.length - a.length);
  return new RegExp(list.join('|'), flags);
}

export type RecordIntent = 'minutes' | 'my-records' | 'amend-record' | 'view-own-record' | 'record-status' | 'no-form';

/** The record, or the session it records: 记录, 纪要, 学习讨论, 学习情况, 集中学习, 学习会 … */
const RECORD =
  /记录|纪要|学习讨论|讨论内容|学习的?情况|学习活动|集中学习|学习会|政治学习|支部学习|学习组的|会议记录|(?:这次|本次|那次|今天|昨天|前天|上周|本周|这周|本月|这个月|上个月|[0-9一二三四五六七八九十]+月|[0-9]+号)的?(?:集中|政治|理论)?学习/;
/** Something already handed in: 我交的, 交过, 已提交, 刚交, 交上去, 报的, 提交完 … */
const HANDED_IN =
  /(?:提交|上交|上报|交|报|上传|递交|报送)(?:过|了|上去|完)?的|已经?(?:提交|上交|交)|交过|提交过|刚刚?(?:提)?交|交上去|交了一次|提交完|交完|提交后|交了以后|我那条|那条记录|那份记录|那份|那条/;
/** A field of the record, named: a change to it is an amendment. */
const FIELD = /人数|应到|实到|地点|日期|摘要|概要|缺席|讨论内容|主题|时间|名单/;
/** Something wrong, or a wish to change it. */
const WRONG =
  /修改|修正|更正|修订|更改|更新|改一下|改改|要改|能改|改下|改成|写错|填错|交错|弄错|搞错|错了|不对|有误|有错|有问题|错别字|写漏|漏了|漏写|填反|补充|换一下|换成|要换|改$|改吗|改不|怎么改|改啊|重新改|重新填/;
/** Wanting to see it. */
const SEE =
  /看|显示|调出|核对|详情|内容|长啥样|写了什么|写的什么|写的啥|是几号|几号|多少人|多少来着|谁记的|发出来|再给我|确认一下|确认下|查一下|查下|打开|看得到|能看到/;
/** Several of one's records: a list. */
const LIST = /列一下|列出|列个|有哪些|哪几份|全部|所有|名下|历史|清单|列表/;
/** The state of one's own submissions: what is missing, how many, whether all are in. */
const STATE =
  /没交|未交|漏交|忘交|忘了交|欠|差几|还差|缺哪|缺了?几|齐了|交齐|交全|交到哪|交了没|交了吗|交没交|有没有交|提交的?情况|提交状态|交记录的?情况|提交历史|提交记录|待交|补交哪些|需要补交|还剩几|还有哪些|交了几份|都交了|是不是都/;
/** Oneself or one's group. */
const MINE = /我|本组|我组|咱/;
/** Handing one in: the verbs. */
const SUBMIT = /交|提交|上报|报|登记|录入|录一下|填|写一下|写个|上传|传一下|记一下|记录一下|记下|新建|开个表|发给你|发你|传给你|递交|报送|补录/;
/** Doing it now: a wish, a start, where to begin. */
const NOW =
  /我要|我来|我想|我得|我准备|我把|把|帮我|给我|现在|开始|要交|(?:交|提交|报|填|登记|录入|记|上报|补交|补录)一下|报上去|发给你|报给你|可以交吗|能交吗|从哪开始|怎么操作|怎么报|该怎么弄|往哪交|来交|新建|开个表|记一下|录入|我这个组|我们组|了$|吧$/;
/** Handing one in, said outright (现在交, 我要交): it wins over the state words around it (还没交 现在交). */
const SUBMIT_NOW = /现在(?:可以|能)?(?:提)?交|我要(?:提)?交|我来(?:提)?交|我想(?:提)?交|(?:提)?交一下|报一下|登记一下|录入/;
/** Questions about the rules of handing in: when, to whom, how. Record questions answer these. */
const RULES =
  /哪|谁|什么时候|几号|截止|最晚|交给谁|交到哪|交哪|要求|写什么|写哪些|多少字|签字|纸质|几次|每月|到期|谁来交|谁交|晚了|怎么写|怎么填|如何|咋交|怎么交|怎么提交|要不要|需不需要|交吗$|吗$/;
/** Someone else's records: the office's business (提醒教工组的书记交记录), not one's own. */
const OTHERS = /提醒|催|通知|督促|书记|他们|各组|各个组|所有组/;
/** Said by whoever owns them: 我名下各组, 我负责的组. */
const OWNED = /我名下|我负责|我的|我们/;
/** The status page's words: a page is asked for, not a record. */
const PAGE = /页面|网页|网址|网站|链接|看板|仪表盘|dashboard|后台/i;
/** Asking for something (给我, 发我, 帮我): not the asker's own records. */
const ASKING_FOR = /给我|发我|帮我|让我|麻烦我/g;
/** Handing one in with nothing else said: 开始提交, 提交一下吧, 我要上报. */
const BARE_SUBMIT = /^(?:我要|我来|我想|开始|现在)?(?:提交|上报|填报|登记|报送)(?:一下)?(?:吧|了)?$/;

/** The form's own words (取消, 继续, 返回, 跳过 …) and what is said around them, with nothing else left. */
const CONTROL =
  /取消|不弄了|不搞了|不填了|不写了|不交了|不要了|不想|不用|算了|拉倒|停下|停一下|先停|暂停|继续|接着|返回|上一步|上一题|退回|回去|跳过|撤回|撤销|退出|放弃|结束|终止|中断|先这样/;
const AROUND_CONTROL = anyOf(
  '取消|不弄了|不搞了|不填了|不写了|不交了|不要了|不想|不用|算了|拉倒|停下|停一下|先停|暂停|继续|接着|返回|上一步|上一题|上一个|下一步|退回去?|回去|跳过|撤回|撤销|退出|放弃|结束|终止|中断|先这样|问题|回答|这一步|这一项|这步|本次|这次|提交|填写|刚才|刚刚|之前|上次|那个|这个|没填完|没弄完|没写完|填到一半|写到一半|一半|记录|表格?|等会儿?|等一下|一会儿?|回头|再说|回来|重新|开始|的|我|吧|了|下|一下|还是|先|填|写|问|掉|来|不|停|弄|搞|就|啦|哈|呀|嘛|呢|吗|好|行|那|这|个|份|条|步|项|上一条|改|一个|题|上|一步',
);

export function recordIntent(text: string): RecordIntent | undefined {
  const t = text.normalize('NFKC').replace(/[\s,，。.!！?？~～、：:]+/g, '');
  if (!t) return undefined;
  if (CONTROL.test(t) && t.replace(AROUND_CONTROL, '') === '') return 'no-form';
  const record = RECORD.test(t);
  const handedIn = HANDED_IN.test(t);
  if (PAGE.test(t)) return undefined;
  if (BARE_SUBMIT.test(t)) return 'minutes';
  const mine = MINE.test(t.replace(ASKING_FOR, ''));
  const others = OTHERS.test(t) && !OWNED.test(t);
  // 我想确认下提交的记录有没有问题: asking to check it, not saying it is wrong.
  const wrong = WRONG.test(t.replace(/有没有问题|对不对/g, ''));
  if (!others && record && SUBMIT_NOW.test(t) && !handedIn) return 'minutes';
  if (!record && !handedIn) {
    if (STATE.test(t) && mine && !others) return 'record-status';
    // 修改一下, 提交完才发现写错了: a change wished with nothing else named is about one's record.
    return /^(?:修改一下|我要修改|改一下)$/.test(t) ? 'amend-record' : undefined;
  }
  if (wrong && (handedIn || record || FIELD.test(t)) && !RULES.test(t.replace(/怎么改|咋办|能改吗|改吗|能不能改|可以改吗|还能改不/g, '')))
    return 'amend-record';
  if (others) return undefined;
  if (LIST.test(t) && mine && (handedIn || record)) return 'my-records';
  if (STATE.test(t) && mine) return 'record-status';
  // What was handed in, to be seen (能看到我之前交的记录吗, 我交的那份记录里日期是几号); a record in general only when
  // nothing asks about the rules (记录几号前交).
  if (SEE.test(t) && (handedIn || !RULES.test(t))) return 'view-own-record';
  if (!handedIn && record && SUBMIT.test(t) && NOW.test(t) && !(RULES.test(t) && !/我要|我来|我想|帮我|开始|从哪|现在|怎么弄|怎么操作/.test(t)))
    return 'minutes';
  return undefined;
}
