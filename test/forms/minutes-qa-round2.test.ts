import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isControlWord } from '../../src/bot/forms/control-words.ts';
import { ManualClock } from '../../src/clock.ts';
import { semesterContent } from '../helpers/content.ts';
import { startTestApp } from '../helpers/test-app.ts';
import { SUMMARY, at, chat, instances, storeBackends } from './form-chat.ts';

/**
 * The QA tester's second round, through the real encrypted callback on lowdb and PostgreSQL: the summary keeps every
 * line (articles, dates and questions in it included), the topic takes the plan's themes by ordinal, vague attendees
 * are refused, an invalid 修改 N keeps the step, a paused draft is said to be paused, 修改记录 then "1" opens the
 * record, a second secretary is not offered the session the group handed in.
 */
const WED = at('2016-09-21 10:00');
const THEMES = (await semesterContent()).plan.themes;

/** wangwu (one group) up to the summary step. */
const TO_SUMMARY = ['提交记录', '好', '好', '302会议室', '12人', '无', '好', '1'];
const FINISH = ['完成', '王五', '确认'];

describe.each(storeBackends)('QA round 2 ($name)', (backend) => {
  it('summary lines naming articles, laws and dates are kept, not answered', async () => {
    const [a] = await instances(backend, WED);
    const say = chat(a, 'wangwu');
    for (const t of TO_SUMMARY) await say(t);
    const lines = ['首先辅导员带领大家学习了第四十七条。', '学习了高等教育法第46-48条', '学习了八项规定第三条', '9月20日学习了社会信用体系建设规划纲要'];
    for (const line of lines) {
      const reply = await say(line);
      expect(reply, line).toMatch(/^已记下（共 \d+ 字）/);
      expect(reply, line).not.toContain('（您正在填写');
    }
    const progress = await say('进度');
    expect(progress).toContain('8. 讨论情况：（正在填写，已记下');
    for (const t of FINISH) await say(t);
    const saved = (await a.store.submissions.get('student-accounting', '2016-09-20'))!;
    expect(saved.fields.summary).toBe(lines.join('\n'));
  });

  it("the topic takes the plan's themes by number, ordinal, 专题N or both", async () => {
    const [a] = await instances(backend, WED);
    const say = chat(a, 'wangwu');
    for (const t of TO_SUMMARY.slice(0, 6)) await say(t);
    const cases: Array<[string, string]> = [
      ['专题一', THEMES[0]!],
      ['专题2', THEMES[1]!],
      ['第一个专题', THEMES[0]!],
      ['学习专题二', THEMES[1]!],
      ['第二个', THEMES[1]!],
      ['一', THEMES[0]!],
      ['1、2', THEMES.join('；')],
      ['全部', THEMES.join('；')],
      ['两个都有', THEMES.join('；')],
    ];
    for (const [text, theme] of cases) {
      const reply = await say(text);
      expect(reply, text).toContain('（7/9）讨论了哪些题目？');
      expect((await a.store.forms.get('wangwu'))!.answers.topic, text).toBe(theme);
      await say('返回');
    }
    expect(await say('专题三')).toContain('学习计划只有 2 个专题');
    expect(await say('诚信与信用')).toContain('（7/9）');
    expect((await a.store.forms.get('wangwu'))!.answers.topic).toBe('诚信与信用');
  });

  it('明天 at the date is not come yet; a place that is a date or a count is refused; vague attendees are refused with what to write', async () => {
    const [a] = await instances(backend, WED);
    const say = chat(a, 'wangwu');
    for (const t of TO_SUMMARY.slice(0, 2)) await say(t);
    expect(await say('明天')).toContain('9月22日（星期四）还没到，请填写已经举行的日期。');
    await say('好');
    for (const [text, error] of [
      ['前天', '是日期，不是地点'],
      ['9月19日', '是日期，不是地点'],
      ['12人', '是人数，不是地点'],
    ]) {
      const reply = await say(text!);
      expect(reply, text).toContain(error);
      expect(reply, text).not.toContain('（4/9）');
    }
    await say('302会议室');
    for (const [text, error] of [
      ['没有', '参加人员不能为空'],
      ['不清楚', '请向本组核实'],
      ['全体党员', '请写明实到人数'],
      ['全员参加', '请写明实到人数'],
      ['大概十来个', '是大约的人数'],
      ['约12人', '例如“12人”'],
    ]) {
      const reply = await say(text!);
      expect(reply, text).toContain(error);
      expect((await a.store.forms.get('wangwu'))!.answers.attendees, text).toBeUndefined();
    }
    expect(await say('全体15人')).toContain('（5/9）');
  });

  it('an invalid 修改 N keeps the step and asks it again; 确认 at a reopened step keeps its answer', async () => {
    const [a] = await instances(backend, WED);
    const say = chat(a, 'wangwu');
    for (const t of [...TO_SUMMARY, SUMMARY, ...FINISH]) await say(t);
    await say('修改记录 1');
    expect(await say('修改 4')).toContain('（4/9）参加人数和/或名单？');
    await say('随便说点什么');
    const wrong = await say('修改 10');
    expect(wrong).toContain('没有第 10 项（共 9 项）');
    expect(wrong).toContain('当前仍在填写：\n（4/9）参加人数和/或名单？');
    const kept = await say('确认');
    expect(kept).toContain('“参加人员”保持不变。');
    expect(kept).toContain('请核对：');
    expect(await say('确认')).toContain('修改已保存！');
    const saved = (await a.store.submissions.get('student-accounting', '2016-09-20'))!;
    expect(saved.fields.attendees).toMatchObject({ count: 12 });
  });

  it('修改 N means the numbers the user was shown, with or without the 学习组 step', async () => {
    const [a] = await instances(backend, WED);
    for (const [user, pre] of [
      ['wangwu', []],
      ['zhangsan', ['1']],
    ] as const) {
      const say = chat(a, user);
      await say('提交记录');
      for (const t of [...pre, '好', '好', '302会议室', '12人', '无', '好', '1', SUMMARY, '完成', '王五']) await say(t);
      const summary = await say('进度');
      for (const line of summary.split('\n')) {
        const m = /^(\d+)\. (.+?)：/.exec(line);
        if (!m) continue;
        const reply = await say(`修改 ${m[1]}`);
        expect(reply, `${user} 修改 ${m[1]}`).toMatch(new RegExp(`^（${m[1]}/\\d+）`));
        await say('确认');
      }
      await say('取消');
    }
  });

  it('a paused draft: 完成 and 确认 say it is paused; 我的记录 mentions it; the first summary line after the pause is kept', async () => {
    const [a] = await instances(backend, WED);
    const say = chat(a, 'wangwu');
    for (const t of TO_SUMMARY) await say(t);
    await say('大家结合专业学习实际进行了讨论。');
    a.clock.advance(31 * 60_000);
    const first = await say('首先辅导员带领大家学习了第四十七条。');
    expect(first).toContain('草稿已暂停');
    expect(first).toContain('已先保存在草稿中');
    for (const word of ['完成', '确认']) {
      const reply = await say(word);
      expect(reply, word).toContain('草稿已暂停');
      expect(reply, word).toContain('继续');
      expect(reply, word).not.toContain('没有正在填写');
    }
    expect(await say('我的记录')).toContain('另有一份未完成的学习讨论记录草稿');
    expect(await say('继续')).toContain('已记入讨论情况');
    await say('认为青年学生应当从按时还款做起，树立信用意识。');
    for (const t of FINISH) await say(t);
    const saved = (await a.store.submissions.get('student-accounting', '2016-09-20'))!;
    expect(saved.fields.summary).toBe('大家结合专业学习实际进行了讨论。\n首先辅导员带领大家学习了第四十七条。\n认为青年学生应当从按时还款做起，树立信用意识。');
  });

  it('修改记录 then a bare 1, or 好 when one record is listed, opens it', async () => {
    const [a] = await instances(backend, WED);
    const say = chat(a, 'wangwu');
    for (const t of [...TO_SUMMARY, SUMMARY, ...FINISH]) await say(t);
    expect(await say('修改记录')).toContain('要修改哪一条？');
    expect(await say('1')).toContain('开始填写《学习讨论记录》（修改）');
    await say('取消');
    await say('修改记录');
    expect(await say('好')).toContain('开始填写《学习讨论记录》（修改）');
    await say('取消');
    await say('修改记录');
    await say('第47条');
    expect(await say('1')).not.toContain('（修改）'); // only the message right after the list picks from it
  });

  it('a second secretary of the group: the session handed in is marked and not the default; 好 and 跳过 at 已有记录 are explained', async () => {
    const [a, b] = await instances(backend, WED);
    const lisi = chat(a, 'lisi');
    for (const t of ['提交记录', '好', '好', '302会议室', '12人', '无', '好', '1', SUMMARY, '完成', '李四', '确认']) await lisi(t);
    expect(await a.store.submissions.get('staff-teaching', '2016-09-20')).toBeDefined();
    const zhangsan = chat(b, 'zhangsan');
    await zhangsan('提交记录');
    const sessions = await zhangsan('2');
    expect(sessions).toContain('1. 9月20日 政治理论学习（本组已提交）');
    expect(sessions).toContain('直接回复“好”采用：9月6日 业务学习活动');
    const existing = await zhangsan('1');
    expect(existing).toContain('已经有记录了');
    const ok = await zhangsan('好');
    expect(ok).toContain('没有说明要怎样做');
    expect(ok).toContain('修改这份记录');
    const skip = await zhangsan('跳过');
    expect(skip).toContain('这一步不能跳过');
    expect(skip).toContain('返回');
  });
});

describe('the summary keeps any text (property)', () => {
  const PIECES = [
    '首先',
    '辅导员带领大家',
    '学习了',
    '第四十七条',
    '高等教育法第46-48条',
    '八项规定第三条',
    '9月20日',
    '上周二',
    '社会信用体系建设规划纲要',
    '是什么',
    '？',
    '大家讨论了怎样做到诚信',
    '本周安排',
    '修改了',
    '讨论题',
    '专题一',
    '12人',
    '全部',
    '我们认为',
    '。',
  ];
  const line = fc.array(fc.constantFrom(...PIECES), { minLength: 1, maxLength: 5 }).map((p) => p.join(''));
  it('every line sent at the summary step, other than the control words, ends up in the saved summary (one read as a question to the bot after asking, sent again as “讨论情况：…”)', async () => {
    const content = await semesterContent();
    await fc.assert(
      fc.asyncProperty(fc.array(line, { minLength: 2, maxLength: 5 }), async (raw) => {
        const lines = raw.filter((l) => !isControlWord(l));
        fc.pre(lines.join('').length >= 30);
        const a = await startTestApp({ clock: new ManualClock(WED), content });
        try {
          const say = chat(a, 'wangwu');
          for (const t of TO_SUMMARY) await say(t);
          for (const l of lines) {
            const reply = await say(l);
            if (/^已记下/.test(reply)) continue;
            // Never silently dropped: asked about, and kept when sent labelled.
            expect(reply, l).toContain('没有记入讨论情况');
            expect(await say(`讨论情况：${l}`), l).toMatch(/^已记下/);
          }
          for (const t of FINISH) await say(t);
          const saved = (await a.store.submissions.get('student-accounting', '2016-09-20'))!;
          expect(saved.fields.summary).toBe(lines.map((l) => l.trim()).join('\n'));
        } finally {
          await a.close();
        }
      }),
      { numRuns: Number(process.env.FORM_PROPERTY_RUNS ?? 15) },
    );
  }, 180_000);
});
