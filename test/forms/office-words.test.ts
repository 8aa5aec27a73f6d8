import { describe, expect, it } from 'vitest';
import { OFFICE_NOT_ADMIN } from '../../handlers/office.ts';
import { SUMMARY, at, chat, instances, storeBackends, type TestApp } from './form-chat.ts';

/**
 * The party office's commands in its everyday words, through the real callback: filler words and synonyms (没交/未交/
 * 没有交, 催/提醒, 交齐/交全, 几个/多少), a secretary's name (their groups), a kind of group or part of a group's name.
 * Words that are not a scope are never echoed as one.
 */
const WED = at('2016-09-21 10:00');

/** 李四 hands in 教学系部学习组's record of 9月20日 through the form. */
async function lisiHandsIn(a: TestApp) {
  const lisi = chat(a, 'lisi');
  await lisi('提交记录');
  for (const t of ['好', '好', '行政楼302', '10人', '无', '好', '1', SUMMARY, '完成', '好']) await lisi(t);
  expect(await lisi('确认')).toContain('提交成功！');
}

/** With no scope: every session still open for records (9月6日 is owed too, by the staff groups), each with its missing groups. */
const MISSING_0920 = [
  '【未提交名单】尚未截止的2次学习（9月6日、9月20日）',
  '9月6日 业务学习活动：已提交 0 / 应提交 2',
  '9月20日 政治理论学习：已提交 1 / 应提交 3',
  '· 院办党支部学习组 — 记录员：张三',
  '· 会计专业学生学习组 — 记录员：王五',
];

describe.each(storeBackends)('the office in its own words ($name)', (backend) => {
  it('the missing list, counts and statistics with filler words and synonyms; no filler is taken for a scope', async () => {
    const [a] = await instances(backend, WED);
    await lisiHandsIn(a);
    const office = chat(a, 'dangban-li');
    for (const text of ['还有哪些组没有交记录？', '未交的名单', '看看谁还没交呢', '没提交的是哪几个组']) {
      const reply = await office(text);
      for (const line of MISSING_0920) expect(reply, text).toContain(line);
      expect(reply, text).not.toContain('没有识别出范围');
    }
    const month = await office('9月份的记录都交全了吗');
    expect(month).toContain('【未提交名单】9月');
    expect(month).toContain('9月6日 业务学习活动：已提交 0 / 应提交 2');
    expect(month).toContain('9月27日 业务学习活动：未到期');
    for (const text of ['帮我统计下', '统计一下提交情况'])
      expect(await office(text), text).toContain('【提交统计】2016年秋季学期\n9月：应提交 5，已提交 1（其中逾期 0），未提交 4');
    const count = await office('交了多少个了');
    expect(count).toContain('9月20日 政治理论学习：已提交 1 / 应提交 3');
    expect(count).toContain('· 教学系部学习组 — 回执 JL-20160920-001，李四');
    expect(await office('本学期还有谁没交')).toContain('【未提交名单】2016年秋季学期');
    // 13月 is no month: the time grammar does not read it, and the reply says the scope was not understood.
    expect(await office('谁还没交 13月')).toContain('没有识别出范围“13月”');
    expect(await office('谁还没交 第九十九周吧')).not.toContain('没有识别出范围“吧');
  });

  it("a secretary by name, a kind of group, part of a group's name: only those groups", async () => {
    const [a] = await instances(backend, WED);
    await lisiHandsIn(a);
    const office = chat(a, 'dangban-wang');
    const lisi = await office('李四交了没有');
    expect(lisi).toContain('【提交情况】尚未截止的2次学习（9月6日、9月20日）（李四：教学系部学习组）');
    expect(lisi).toContain('· 教学系部学习组：已提交，回执 JL-20160920-001，李四');
    expect(lisi).not.toContain('院办党支部学习组');
    const zhangsan = await office('张三的记录交了没');
    expect(zhangsan).toContain('· 院办党支部学习组：未交（记录员：张三；10月5日截止）');
    expect(zhangsan).toContain('· 教学系部学习组：已提交');
    const students = await office('学生的交了吗？');
    expect(students).toContain('· 会计专业学生学习组：未交（记录员：王五；10月5日截止）');
    expect(students).not.toContain('教学系部学习组');
    const staff = await office('教职工还有谁没交');
    expect(staff).toContain('9月20日 政治理论学习：已提交 1 / 应提交 2');
    expect(staff).toContain('· 院办党支部学习组 — 记录员：张三');
    expect(staff).not.toContain('会计专业学生学习组');
    expect(await office('会计组9月6日交了没有')).toContain('【提交情况】9月6日 业务学习活动（会计专业学生学习组）');
    expect(await office('院办那个交了吗')).toContain('· 院办党支部学习组：未交');
  });

  it('催 and 提醒 in other words remind the missing secretaries once a day; a name narrows it', async () => {
    const [a] = await instances(backend, WED);
    await lisiHandsIn(a);
    const office = chat(a, 'dangban-wang');
    const one = await office('催交一下王五');
    expect(one).toContain('未提交的学习组 1 个');
    expect(one).toContain('已提醒记录员 1 位');
    const all = await office('提醒下没交记录的');
    // 9月6日 is owed by the two staff groups, 9月20日 by two: 李四 is reminded of 9月6日, 王五 was reminded already today.
    expect(all).toContain('未提交的学习组 3 个');
    expect(all).toContain('已提醒记录员 2 位；今天已提醒过、未重复发送 1 位');
    expect(a.sim.deliveries.filter((d) => d.to === 'wangwu')).toHaveLength(1);
  });

  it('someone who is not an admin gets the polite refusal for the same words', async () => {
    const [a] = await instances(backend, WED);
    for (const text of ['李四交了没有', '催一下没交的', '统计下', '没交的有哪些']) expect(await chat(a, 'zhaoliu')(text), text).toContain(OFFICE_NOT_ADMIN);
  });

  it('in the middle of the form: an office command is answered and never saved; a place with a command word in it is a place', async () => {
    const [a] = await instances(backend, WED);
    const say = chat(a, 'dangban-li');
    await say('提交记录');
    await say('3');
    await say('好');
    await say('好');
    const asked = await say('哪些组还没交');
    expect(asked).toContain('【未提交名单】');
    expect(asked).toContain('（您正在填写《学习讨论记录》）');
    expect(await say('催化楼会议室')).toContain('（5/10）');
    expect((await a.store.forms.get('dangban-li'))!.answers.place).toBe('催化楼会议室');
  });
});
