import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/clock.ts';
import { readsAsQuestion } from '../../src/bot/forms/question-like.ts';
import { semesterContent } from '../helpers/content.ts';
import { startTestApp } from '../helpers/test-app.ts';
import { SUMMARY, at, chat, instances, storeBackends } from './form-chat.ts';

/**
 * Questions asked in the middle of the record form, through the real encrypted callback: a text worded as a question
 * is answered (keyword search included) and the step asked again; it never becomes a place, an attendee, an absentee,
 * a topic or a recorder. The summary, written over several messages, keeps whatever is written, questions included.
 */
const WED = at('2016-09-21 10:00');
const AGAIN = '（您正在填写《学习讨论记录》）';

/** wangwu has one group, so the steps are: session, date, place, attendees, absentees, topic, questions, summary, recorder. */
const STEPS = [
  { prompt: '（1/9）记录的是哪一次学习？', answer: '好' },
  { prompt: '（2/9）实际学习日期是哪天？', answer: '好' },
  { prompt: '（3/9）在哪里学习？', answer: '图书馆三楼' },
  { prompt: '（4/9）参加人数和/或名单？', answer: '张三、李四' },
  { prompt: '（5/9）缺席人员及原因？', answer: '赵老师（病假）' },
  { prompt: '（6/9）学习主题是？', answer: '2' },
  { prompt: '（7/9）讨论了哪些题目？', answer: '1' },
];

describe.each(storeBackends)('questions at the short-answer steps are answered, never saved ($name)', (backend) => {
  it('a question at every step before the summary, each answered and the step asked again; the record holds only the answers', async () => {
    const [a] = await instances(backend, WED);
    const say = chat(a, 'wangwu');
    await say('提交记录');
    const questions = ['住宿费有什么规定', '下周安排', '这周学什么？', '学校能不能收取赞助费', '教师职务怎么评', '大学生信用档案是啥', '政治理论学习谁组织的'];
    for (const [i, step] of STEPS.entries()) {
      const reply = await say(questions[i]!);
      expect(reply, questions[i]).toContain(`${AGAIN}\n`);
      expect(reply, questions[i]).toContain(step.prompt);
      expect(await say(step.answer)).not.toContain(AGAIN);
    }
    await say(SUMMARY);
    await say('完成');
    expect(await say('学术委员会由谁组成？')).toContain(`${AGAIN}\n（9/9）记录人是？`);
    await say('王五');
    expect(await say('确认')).toContain('提交成功！');
    const saved = (await a.store.submissions.get('student-accounting', '2016-09-20'))!;
    expect(saved.fields).toMatchObject({
      heldOn: '2016-09-20',
      place: '图书馆三楼',
      attendees: { count: 2, names: ['张三', '李四'] },
      absentees: [{ name: '赵老师', reason: '病假' }],
      summary: SUMMARY,
      recorder: '王五',
    });
    expect(saved.fields.topic).toMatch(/^专题二/);
  });
});

describe('the free-text and multi-message steps', () => {
  it('a place worded as a question is asked about; "地点：…" keeps it; "哪里都行" is not a question', async () => {
    const [a] = await instances(storeBackends[0]!, WED);
    const say = chat(a, 'wangwu');
    await say('提交记录');
    await say('好');
    await say('好');
    const asked = await say('哪个会议室？');
    expect(asked).toContain('如果这就是地点，请回复“地点：哪个会议室？”。');
    expect(asked).toContain('（3/9）在哪里学习？');
    expect(await say('地点：哪个会议室空就去哪个')).toContain('（4/9）');
    expect((await a.store.forms.get('wangwu'))!.answers.place).toBe('哪个会议室空就去哪个');
    await say('返回');
    expect(await say('哪里都行')).toContain('（4/9）');
  });

  it('a topic worded as a question is kept with "主题：…"; the summary keeps questions written in it', async () => {
    const [a] = await instances(storeBackends[0]!, WED);
    const say = chat(a, 'wangwu');
    await say('提交记录');
    for (const t of ['好', '好', '302会议室', '12人', '无']) await say(t);
    expect(await say('为什么要讲诚信')).toContain(`${AGAIN}\n如果这就是学习主题`);
    expect(await say('主题：为什么要讲诚信')).toContain('（7/9）');
    await say('1');
    expect(await say('大家讨论：青年学生为什么要讲诚信？怎样从按时还款做起？')).toContain('已记下');
    await say('认为诚信是立身之本，应当从日常小事做起，树立信用意识。');
    await say('完成');
    await say('王五');
    await say('确认');
    const saved = (await a.store.submissions.get('student-accounting', '2016-09-20'))!;
    expect(saved.fields.topic).toBe('为什么要讲诚信');
    expect(saved.fields.summary).toContain('青年学生为什么要讲诚信？怎样从按时还款做起？');
  });

  it('a question nothing answers gets the step\'s own error, not a "nothing found"', async () => {
    const [a] = await instances(storeBackends[0]!, WED);
    const say = chat(a, 'wangwu');
    await say('提交记录');
    await say('好');
    await say('好');
    await say('302会议室');
    const reply = await say('那个人叫什么来着？');
    expect(reply).toContain('没有识别出人数或名单');
    expect(reply).not.toContain('抱歉');
    expect(await say('随便说点什么')).toContain('没有识别出人数或名单');
  });

  it('at the summary check, a question is answered and the summary shown again; 确认 still saves', async () => {
    const [a] = await instances(storeBackends[0]!, WED);
    const say = chat(a, 'wangwu');
    await say('提交记录');
    for (const t of ['好', '好', '302会议室', '12人', '无', '好', '1', SUMMARY, '完成', '王五']) await say(t);
    const asked = await say('高等学校的学生有哪些权利');
    expect(asked).toContain(`${AGAIN}\n请核对：`);
    expect(await say('确认')).toContain('提交成功！');
  });
});

/** Questions as people word them, built from pieces, so the property is not about a few fixed strings. */
const SUBJECTS = ['教师资格', '开会', '纪念品', '升旗仪式', '高等教育法', '学生', '信用记录', '住宿费', '公务接待', '时间银行', '学术委员会', '学校'];
const ASKING = [
  '有什么规定',
  '能发吗',
  '是什么',
  '怎么办',
  '谁组织',
  '是哪天',
  '几号',
  '有哪些要求',
  '可以吗',
  '？',
  '呢',
  '能不能报销',
  '是否需要审批',
  '怎么处理',
  '有没有限制',
  '要求是啥',
];
const SCHEDULE = ['本周安排', '下周有什么', '这周学什么', '下一次活动是哪天', '本周有活动吗', '下周安排'];
const question = fc.oneof(
  { weight: 4, arbitrary: fc.tuple(fc.constantFrom(...SUBJECTS), fc.constantFrom(...ASKING)).map(([s, q]) => s + q) },
  { weight: 1, arbitrary: fc.constantFrom(...SCHEDULE) },
);

describe('no question ever lands in a saved field (property)', () => {
  it('questions inserted before the answers at random short-answer steps', async () => {
    const content = await semesterContent();
    const answers = ['好', '好', '图书馆', '12人：王五、赵六', '赵七（生病）', '好', '1、2', SUMMARY, '完成', '赵六', '确认'];
    const shortSteps = [0, 1, 2, 3, 4, 5, 6, 9]; // indexes in `answers` before which a question may come
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(fc.constantFrom(...shortSteps), question), { minLength: 1, maxLength: 6 }), async (inserts) => {
        const a = await startTestApp({ clock: new ManualClock(WED), content });
        try {
          const say = chat(a, 'wangwu');
          await say('提交记录');
          for (const [i, answer] of answers.entries()) {
            for (const [, q] of inserts.filter(([at]) => at === i)) {
              // Answered when the readings have something on it, otherwise the step's own error: either way, no step on.
              const step = (await a.store.forms.get('wangwu'))?.step;
              await say(q);
              expect((await a.store.forms.get('wangwu'))?.step, q).toBe(step);
            }
            await say(answer);
          }
          const saved = (await a.store.submissions.get('student-accounting', '2016-09-20'))!;
          expect(saved, JSON.stringify(inserts)).toBeDefined();
          // The summary is free text; the discussion questions are the plan's own, chosen by number.
          const { summary: _summary, questions: _questions, ...short } = saved.fields;
          const values = JSON.stringify(short);
          for (const [, q] of inserts) expect(values, q).not.toContain(q.replace(/[？]$/, ''));
          expect(saved.fields).toMatchObject({ place: '图书馆', recorder: '赵六', attendees: { count: 12, names: ['王五', '赵六'] } });
        } finally {
          await a.close();
        }
      }),
      { numRuns: Number(process.env.FORM_PROPERTY_RUNS ?? 15) },
    );
  }, 180_000);
});

describe('readsAsQuestion', () => {
  it.each([
    '教师资格有什么规定',
    '本周安排',
    '下周有什么',
    '开会能发纪念品吗',
    '记录交了么',
    '地点呢',
    '哪天交',
    '谁负责',
    '要交几份',
    '是否需要签字',
    '能不能晚点交',
    '为啥',
    '?',
  ])('“%s” is a question', (t) => {
    expect(readsAsQuestion(t)).toBe(true);
  });
  it.each([
    '行政楼302会议室',
    '12人',
    '十几人',
    '张三、李四',
    '上周二',
    '9月20日',
    '全部',
    '李老师出差',
    '哪里都行',
    '谁都没缺席',
    '没什么',
    '图书馆三楼',
    '在线会议（腾讯会议）',
  ])('“%s” is not', (t) => {
    expect(readsAsQuestion(t)).toBe(false);
  });
});
