import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/clock.ts';
import { semesterContent } from '../helpers/content.ts';
import { startTestApp } from '../helpers/test-app.ts';

/**
 * The question set: real-looking questions in every form the bot answers, with messy spacing and punctuation,
 * each sent through the real encrypted callback; the answer (passive reply and API messages) must contain the
 * expected text, with its source, and must not contain what would be wrong.
 * "Today" is Wednesday 14 September 2016, 10:00 in Shanghai (week 2 of the semester).
 */
type Case = [question: string, includes: string[], excludes?: string[]];

const LAW = '《中华人民共和国高等教育法》';
const A47 = [`${LAW}第四十七条（第五章 高等学校教师和其他教育工作者）`, '高等学校实行教师职务制度', '教授、副教授除应当具备以上基本任职条件外'];
const EIGHT = '《高等学校深化落实中央八项规定精神的若干规定》';
const SEP20 = ['9月20日（星期二，第3周） 政治理论学习', '组织者：各学习组', '需做好学习讨论记录'];
const ALL = ['9月6日', '9月12日', '9月13日', '9月20日', '9月27日', '共 5 项'];

const cases: Case[] = [
  // Articles of the law, every form
  ['第四十七条是什么', A47],
  ['第47条', A47],
  ['47条', A47],
  ['第４７条', A47],
  ['Article 47', A47],
  ['what is Article 47', A47],
  ['What is article 47?', A47],
  ['Art. 47', A47],
  ['art.47', A47],
  ['高等教育法第四十七条', A47],
  ['高教法第47条', A47],
  ['《中华人民共和国高等教育法》第四十七条', A47],
  ['中华人民共和国高等教育法 第 47 条', A47],
  ['第 四十七 条', A47],
  ['  第四十七条？？ ', A47],
  ['请问第四十七条的内容是什么？', A47],
  ['查一下第47条', A47],
  ['高教法第四十七条讲了什么', A47],
  ['第一条', [`${LAW}第一条（第一章　总则）`, '为了发展高等教育事业，实施科教兴国战略']],
  ['第十条', [`${LAW}第十条`, '国家依法保障高等学校中的科学研究，文学艺术创作和其他文化活动的自由。', '在高等学校中从事科学研究']],
  ['第四条', [`${LAW}第四条`, '第四条高等教育必须贯彻国家的教育方针']],
  ['第十二条', [`${LAW}第十二条`, '国家鼓励和支持高等教育事业的国际交流与合作']],
  ['第二十八条', [`${LAW}第二十八条（第三章 高等学校的设立）`, '(一)学校名称、校址；', '(十)其他必须由章程规定的事项。']],
  ['第四十二条', [`${LAW}第四十二条`, '高等学校设立学术委员会']],
  ['第六十六条', [`${LAW}第六十六条（第八章　附则）`, '依照教育法的有关规定给予处罚']],
  ['第六十九条', [`${LAW}第六十九条`, '本法自1999年1月1日起施行。']],
  ['第七十条', [`${LAW}共六十九条，没有第七十条。`], ['第六十九条　本法']],
  ['高等教育法第一百条', [`${LAW}共六十九条，没有第一百条。`]],
  ['第0条', ['共六十九条，没有第零条。']],
  ['第46-48条', [`${LAW}第四十六条`, `${LAW}第四十七条`, `${LAW}第四十八条`], ['第四十九条']],
  ['第四十六条至第四十八条', [`${LAW}第四十六条`, `${LAW}第四十七条`, `${LAW}第四十八条`]],
  ['第46到48条', [`${LAW}第四十六条`, `${LAW}第四十八条`]],
  ['第六十八条-第七十条', [`${LAW}第六十八条`, `${LAW}第六十九条`, '共六十九条，没有第七十条。']],
  ['第四十七条第二款', [`${LAW}第四十七条第二款`, '高等学校的教师取得前款规定的职务应当具备下列基本条件', '(四)承担相应职务的课程'], ['教授、副教授']],
  ['第四十七条第一款', ['第四十七条第一款', '高等学校实行教师职务制度'], ['前款规定']],
  ['第四十七条第五款', ['第四十七条', '共四款，没有第五款。']],
  ['第1-20条', ['一次最多查 10 条']],
  // The eight-point regulation's points
  ['八项规定第三条', [`${EIGHT}第三条`, '三、严格执行科技成果转化取酬有关规定。']],
  ['八项规定第一条是什么', [`${EIGHT}第一条`, '一、严格执行出国（境）管理规定。']],
  ['中央八项规定第七条', [`${EIGHT}第七条`, '七、严格执行婚丧喜庆事宜有关规定。']],
  ['若干规定第六条', [`${EIGHT}第六条`, '六、严格执行会议管理等有关规定。']],
  ['八项规定第3条', [`${EIGHT}第三条`]],
  ['八项规定第八条', [`${EIGHT}共七条，没有第八条。`]],
  ['《高等学校深化落实中央八项规定精神的若干规定》第五条', [`${EIGHT}第五条`, '五、严格执行公务接待管理规定。']],
  ['青年信用规划第三条', ['《青年信用体系建设规划（2016-2020年）》没有按“第几条”编号']],
  // Schedule by date
  ['9月20日学什么', SEP20],
  ['9月20号学什么？', SEP20],
  ['9.20学什么', SEP20],
  ['9/20 有什么安排', SEP20],
  ['20号学什么', SEP20],
  ['9月20日', SEP20],
  ['９月２０日有什么活动', SEP20],
  ['9月6日学什么', ['9月6日（星期二，第1周） 业务学习活动', '组织者：各部门']],
  ['9月21日学什么', ['9月21日（星期三）没有安排学习活动。', '之后最近的安排', '9月27日']],
  ['10月8日有什么活动', ['10月8日（星期六）没有安排学习活动。', '第1—4周']],
  ['今天有什么安排', ['9月14日（星期三）没有安排学习活动', '9月20日']],
  ['明天学什么', ['9月15日（星期四）没有安排学习活动']],
  ['下周二学什么', SEP20],
  ['本周二有什么活动', ['9月13日（星期二，第2周） 党员学习（见组织部通知）', '各二级党组织']],
  // Schedule by week
  ['第2周', ['第2周，9月12日—9月18日的安排', '升旗仪式', '党员学习']],
  ['第3周有什么安排', ['第3周', '政治理论学习']],
  ['第二周的安排', ['第2周', '升旗仪式']],
  ['本周安排', ['本周（第2周），9月12日—9月18日的安排', '升旗仪式', '外语与旅游学院、党委宣传部']],
  ['这周有什么活动？', ['本周', '第2周', '升旗仪式']],
  ['下周学什么', ['下周（第3周）', '政治理论学习']],
  ['上周有什么安排', ['上周（第1周）', '业务学习活动']],
  ['第10周', ['第10周，11月7日—11月13日没有安排学习活动。', '第1—4周']],
  // Schedule by activity and organiser
  ['升旗仪式是哪天', ['升旗仪式：', '9月12日（星期一，第2周） 升旗仪式', '外语与旅游学院、党委宣传部']],
  ['升旗是什么时候？', ['9月12日（星期一，第2周）']],
  ['下次政治理论学习', ['下一次政治理论学习', ...SEP20]],
  ['政治理论学习什么时候', SEP20],
  ['业务学习活动是哪天', ['业务学习活动共 2 次', '9月6日', '9月27日']],
  ['下次业务学习是什么时候', ['下一次业务学习活动', '9月27日（星期二，第4周）']],
  ['党员学习是哪天', ['9月13日（星期二，第2周） 党员学习（见组织部通知）']],
  ['党委宣传部组织什么活动', ['党委宣传部组织的活动', '升旗仪式'], ['政治理论学习']],
  ['各学习组有什么安排', ['各学习组组织的活动', '政治理论学习']],
  // The whole schedule
  ['学习安排', ALL],
  ['时间安排', ALL],
  ['本学期的学习安排', ALL],
  ['全部安排', ALL],
  // Plan topics
  ['学习主题', ['2016年秋季学期学习主题', '专题一：深化贯彻落实教育部“七项规定” 做守法诚信的合格教师', '专题二：加强信用体系建设']],
  ['本学期的学习主题是什么？', ['专题一', '专题二']],
  ['学习资料', ['学习资料：', LAW, EIGHT, '《青年信用体系建设规划（2016-2020年）》', '《社会信用体系建设规划纲要（2014—2020年）》']],
  ['学习内容有哪些', ['学习资料：', LAW]],
  ['教师讨论题', ['教师讨论题：', '（1）广大教职员工如何践行“中央八项规定”和教育部“七项规定”？'], ['学生讨论题']],
  ['教职工讨论题是什么', ['教师讨论题：', '法治职院']],
  ['学生讨论题', ['学生讨论题：', '社会主义核心价值观（诚信）', '青年信用体系建设作为引领'], ['教师讨论题']],
  ['讨论题', ['教师讨论题：', '学生讨论题：']],
  ['学习要求', ['学习要求：', '教职工以自学为主', '《政治理论学习记录本》']],
  ['有什么要求？', ['学习要求：']],
  // Keyword questions
  ['教师资格有什么规定', [`${LAW}第四十六条`, '高等学校实行教师资格制度']],
  ['学术委员会的职责', [`${LAW}第四十二条`, '履行下列职责']],
  ['时间银行', ['《青年信用体系建设规划（2016-2020年）》 三、主要任务 › （二）加强重点领域青年诚信建设', '6．抚养赡养领域。探索建立“时间银行”制度']],
  ['兼职取酬有什么规定？', [`${EIGHT}第二条`, '二、严格执行兼职取酬管理规定']],
  ['公务接待', [`${EIGHT}第五条`]],
  ['婚丧喜庆', [`${EIGHT}第七条`]],
  ['校长的职权', [`${LAW}第四十一条`, '高等学校的校长全面负责本学校的教学、科学研究和其他行政管理工作']],
  ['征信系统', ['《社会信用体系建设规划纲要（2014—2020年）》']],
  ['请问关于学位制度有什么规定', [`${LAW}第二十二条`, '国家实行学位制度']],
  // Fallback
  ['今天天气怎么样', ['抱歉，学习资料中没有找到与“今天天气怎么样”有关的内容', '发送“帮助”查看全部用法']],
  ['asdfghjkl', ['抱歉，学习资料中没有找到']],
  ['菜单', ['【查条文】', '【查安排】', '【查内容】', '【搜关键词】']],
];

describe(`question set (${cases.length} questions) through the real callback`, () => {
  let t: Awaited<ReturnType<typeof startTestApp>>;
  let n = 0;
  beforeAll(async () => {
    t = await startTestApp({ clock: new ManualClock(Date.parse('2016-09-14T02:00:00Z')), content: await semesterContent() });
  });
  afterAll(() => t.close());

  const ask = async (user: string, text: string) => {
    const before = t.sim.deliveries.length;
    const r = await t.wecomSide.sendText(user, text);
    await t.bot.idle();
    const viaApi = t.sim.deliveries.slice(before).filter((d) => d.to === user);
    return [...(r.passiveReply !== undefined ? [r.passiveReply] : []), ...viaApi.map((d) => d.text)].join('\n');
  };

  it('has at least 80 questions', () => expect(cases.length).toBeGreaterThanOrEqual(80));

  for (const [question, includes, excludes = []] of cases) {
    it(question, async () => {
      const answer = await ask(`user${++n}`, question);
      for (const s of includes) expect(answer, answer).toContain(s);
      for (const s of excludes) expect(answer, answer).not.toContain(s);
    });
  }

  it('answers a bare number from the document the user was just asking about, and says which', async () => {
    expect(await ask('ctx1', '八项规定第二条')).toContain(`${EIGHT}第二条`);
    expect(await ask('ctx1', '第五条')).toContain(`${EIGHT}第五条`);
    expect(await ask('ctx1', '高教法第五条')).toContain(`${LAW}第五条`);
    expect(await ask('ctx1', '第六条')).toContain(`${LAW}第六条`);
    // Without context, the law.
    expect(await ask('ctx2', '第五条')).toContain(`${LAW}第五条`);
  });

  it('quotes long articles whole, split only between sentences', async () => {
    const answer = await ask('long1', '第46-48条');
    const a = (await semesterContent()).article('higher-education-law', 47)!;
    for (const p of a.paragraphs) expect(answer).toContain(p);
  });
});
