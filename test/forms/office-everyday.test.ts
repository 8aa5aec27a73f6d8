import { describe, expect, it } from 'vitest';
import { SUMMARY, at, chat, formApp } from './form-chat.ts';

/**
 * Issue 20: the office's commands in admins' everyday words, through the real callback: 导出来发我, a secretary's name
 * for their group (王五那个组交了没), a group's record by its short name and a date (看看院办9月20日的记录), and time
 * words read by the one time grammar (这个星期, 上礼拜).
 */
const WED = at('2016-09-21 10:00');

describe("the office in admins' everyday words", () => {
  it('导出来发我, 王五那个组交了没, 看看院办9月20日的记录, 这个星期谁还没交', async () => {
    const a = await formApp({ now: WED });
    try {
      const lisi = chat(a, 'lisi');
      await lisi('提交记录');
      for (const t of ['好', '好', '行政楼302', '10人', '无', '好', '1', SUMMARY, '完成', '好']) await lisi(t);
      expect(await lisi('确认')).toContain('提交成功！');
      const office = chat(a, 'dangban-wang');
      for (const text of ['把记录导出来发我一份', '导出来发我']) expect(await office(text), text).toContain('的提交情况表');
      const wangwu = await office('王五那个组交了没');
      expect(wangwu).toContain('会计专业学生学习组');
      expect(wangwu).not.toContain('院办党支部学习组');
      expect(await office('看看院办9月20日的记录')).toContain('院办党支部学习组还没有提交9月20日 政治理论学习的记录');
      expect(await office('看看教学系部9月20日的记录')).toContain(SUMMARY);
      const week = await office('这个星期谁还没交');
      expect(week).toContain('【未提交名单】本周');
      expect(week).toContain('9月20日 政治理论学习');
    } finally {
      await a.close();
    }
  });
});
