import { normalizeText } from '../composer.ts';

/**
 * The words that steer a form. They mean the same at every step, free-text and multi-message steps included, and are
 * never taken as a field's value (a secretary's "好" or a late "确认" must not end up in a record).
 */
export const CANCEL = ['取消', '放弃', '退出', '不填了', '不写了', '先不填了', '不交了', '取消填写', '退出填写', '取消记录'];
export const BACK = ['返回', '上一步', '上一个'];
export const SKIP = ['跳过', '略过', '不填'];
export const PROGRESS = ['进度', '已填', '查看进度'];
export const HELP = ['帮助', '说明', '怎么填', 'help'];
export const RESUME = ['继续', '继续填写', '继续填', '接着填', '接着填写', '接着写'];
export const RESTART = ['重新开始', '重填', '重来', '重新填', '重新填写'];
export const CONFIRM = ['确认', '提交', '确定', '是', '对', '好', '好的', '可以', '行', '没问题', '确认提交'];
export const DONE = ['完成', '写完了', '结束', '好了'];
/** Accept the default a step offers; said where none is offered, it is answered, not saved. */
export const USE_DEFAULT = ['好', '默认', '是', '对', '可以', '就这个', '同上', '同上次', '和上次一样', '跟上次一样', '行', '好的', '嗯'];
/** At a multi-message step: throw away what was kept and write it again. */
export const REWRITE = ['重写', '清空', '重新写'];

const ALL = new Set([CANCEL, BACK, SKIP, PROGRESS, HELP, RESUME, RESTART, CONFIRM, DONE, USE_DEFAULT, REWRITE].flat().map(normalizeText));

/** Whether the text (as the engine normalises it) is one of the form's control words. */
export function isControlWord(text: string): boolean {
  return ALL.has(normalizeText(text));
}
