import { describe, expect, it } from 'vitest';
import { AibotCodec } from '../../src/wecom/aibot/codec.ts';
import { AibotSender } from '../../src/wecom/aibot/sender.ts';
import { SUMMARY, at, chat, formApp, instances, storeBackends, type TestApp } from './form-chat.ts';

/**
 * Questions about handing in the records, through the real callback: the deadline and the way to hand in come from the
 * plan's requirements and the collection rule (not 信用记录 found by keyword search); a secretary's "我们组交了没有" is
 * their own groups' status, in the one-to-one chat only.
 */
const WED = at('2016-09-21 10:00');
const AIBOT_ENV = { WECOM_AIBOT_TOKEN: 'AibotToken42', WECOM_AIBOT_ENCODING_AES_KEY: 'ZYXWVUTSRQPONMLKJIHGFEDCBA9876543210zyxwvut' };

describe.each(storeBackends)('a secretary asks about their own records ($name)', (backend) => {
  it('each of their groups, session by session: handed in (with the receipt) or not, and until when', async () => {
    const [a] = await instances(backend, WED);
    const lisi = chat(a, 'lisi');
    await lisi('提交记录');
    for (const t of ['好', '好', '行政楼302', '10人', '无', '好', '1', SUMMARY, '完成', '好', '确认']) await lisi(t);
    const zhangsan = chat(a, 'zhangsan');
    const status = await zhangsan('咱们组的记录交了没有？');
    expect(status).toContain('您的学习组的记录提交情况：');
    expect(status).toContain('院办党支部学习组：\n· 9月6日 业务学习活动：未提交，10月5日截止\n· 9月20日 政治理论学习：未提交，10月5日截止');
    expect(status).toMatch(/教学系部学习组：\n· 9月6日 业务学习活动：未提交，10月5日截止\n· 9月20日 政治理论学习：已提交，回执 JL-20160920-001，李四 /);
    expect(status).toContain('发送“提交记录”填写还没交的记录。');
    expect(status).not.toContain('会计专业学生学习组');
    expect(await chat(a, 'zhaoliu')('我的记录交了吗')).toContain('您不在学习组记录员名单中');
    expect(await chat(a, 'dangban-li')('我们交了吗')).toContain('发送“谁还没交”');
  });

  it('in the middle of the form, a record question is answered and the step asked again; nothing is saved from it', async () => {
    const [a] = await instances(backend, WED);
    const say = chat(a, 'wangwu');
    await say('提交记录');
    await say('好');
    await say('好');
    const deadline = await say('记录最晚几号交');
    expect(deadline).toContain('截止到当月月底后 5 天');
    expect(deadline).toContain('（您正在填写《学习讨论记录》）\n（3/9）在哪里学习？');
    const mine = await say('我们组交了没');
    // The student group owes no record for 业务学习活动 (organised by 各部门): only 9月20日 is listed.
    expect(mine).toContain('会计专业学生学习组：\n· 9月20日 政治理论学习：未提交');
    expect(mine).not.toContain('业务学习活动');
    expect(mine).toContain('（3/9）在哪里学习？');
    expect(await say('会议室')).toContain('（4/9）');
    expect((await a.store.forms.get('wangwu'))!.answers.place).toBe('会议室');
  });
});

describe('handing in, asked in a group chat (智能机器人)', () => {
  async function groupOf(a: TestApp) {
    const codec = new AibotCodec({
      token: AIBOT_ENV.WECOM_AIBOT_TOKEN,
      encodingAesKey: AIBOT_ENV.WECOM_AIBOT_ENCODING_AES_KEY,
      clock: a.clock,
      timestampWindowSec: 300,
    });
    const sender = new AibotSender(
      codec,
      async (query, body) => {
        const res = await a.app.inject({ method: 'POST', url: '/wecom/aibot', query, payload: body, headers: { 'content-type': 'application/json' } });
        return { status: res.statusCode, body: res.body };
      },
      (msgid) => a.sim.aibotResponseUrl(msgid),
    );
    let n = 0;
    return async (user: string, text: string) => {
      const before = a.sim.deliveries.length;
      const answer = await sender.mention(user, `chat-${++n}`, text);
      await a.bot.idle();
      return [
        answer.text,
        ...a.sim.deliveries
          .slice(before)
          .filter((d) => d.api === 'aibot/response')
          .map((d) => d.text),
      ].join('\n');
    };
  }

  it("the deadline and how are answered for all to see; a group's own status gets the pointer to the private chat", async () => {
    const a = await formApp({ now: WED, env: AIBOT_ENV });
    const ask = await groupOf(a);
    const general = await ask('zhangsan', '学习记录的截止日期是哪天');
    expect(general).toContain('【学习讨论记录什么时候交】');
    expect(general).toContain('9月的记录（9月6日、9月20日、9月27日）：10月5日截止');
    expect(general).not.toContain('信用');
    expect(await ask('zhangsan', '怎样交讨论记录')).toContain('【怎么交学习讨论记录】');
    const personal = await ask('zhangsan', '我们组的记录交了吗');
    expect(personal).toContain('请在与学习助手的单聊中发送');
    expect(personal).not.toContain('院办党支部学习组');
  });
});
