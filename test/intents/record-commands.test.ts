import { describe, expect, it } from 'vitest';
import { isFormWordWithoutForm, isMinutesTrigger, isMyRecords, parseAmendRecord } from '../../handlers/record-commands.ts';

/** The one definition of the record commands: what each rule must leave to the others. */
describe('record command words', () => {
  it('handing one in is not the list; the list is of what was handed in', () => {
    for (const t of ['我交记录', '我提交', '提交记录']) expect(isMyRecords(t), t).toBe(false);
    for (const t of ['我交记录', '提交记录']) expect(isMinutesTrigger(t), t).toBe(true);
    for (const t of ['我的提交', '我交的记录', '我们组的记录', '我的记录']) expect(isMyRecords(t), t).toBe(true);
  });

  it('记录 alone is no command; amending needs a wish or a mistake, and keeps the record number', () => {
    for (const t of ['记录', '学习记录', '信用记录']) {
      expect(isMyRecords(t), t).toBe(false);
      expect(isMinutesTrigger(t), t).toBe(false);
      expect(parseAmendRecord(t), t).toBeUndefined();
    }
    expect(parseAmendRecord('修改记录 2')).toEqual({ n: '2' });
    expect(parseAmendRecord('记录写错了')).toEqual({ n: undefined });
  });

  it('the form words with no form open are the form engine control words, with particles', () => {
    for (const t of ['取消', '继续吧', '不填了', '跳过']) expect(isFormWordWithoutForm(t), t).toBe(true);
    for (const t of ['取消资格', '继续教育', '不错']) expect(isFormWordWithoutForm(t), t).toBe(false);
  });
});
