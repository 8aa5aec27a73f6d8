import { EIGHT, LAW, YOUTH, type LayQuestion } from './lay-questions.ts';

/**
 * A third, independent set of lay questions (written from the readings, before the confidence rule was loosened):
 * short, everyday words where the article uses formal ones (职称 for 教师职务, 社团 for 学生团体). THIRD_TUNE chose
 * the rule in handlers/search-confidence.ts; THIRD_HELD_OUT and THIRD_UNANSWERABLE_HELD_OUT were only measured
 * (npm run bench:answers-precision).
 */
export const THIRD_TUNE: readonly LayQuestion[] = [
  { q: '大学老师评职称有哪几级', source: `${LAW}第四十七条`, text: '助教、讲师、副教授、教授' },
  { q: '学生能自己搞协会吗', source: `${LAW}第五十七条`, text: '学生团体' },
  { q: '专科学校也算高校吗', source: `${LAW}第六十八条`, text: '高等专科学校' },
  { q: '作弊会被记入信用吗', source: YOUTH, text: '考试作弊' },
  { q: '怎样才能拿到毕业证', source: `${LAW}第五十八条`, text: '准予毕业' },
  { q: '没上过高中能考大学吗', source: `${LAW}第十九条`, text: '同等学力' },
  { q: '自考的文凭国家承认吗', source: `${LAW}第二十一条`, text: '自学考试' },
  { q: '学校的法人是谁', source: `${LAW}第三十条`, text: '法定代表人' },
  { q: '高教法什么时候开始实施的', source: `${LAW}第六十九条`, text: '1999年1月1日' },
  { q: '老师是终身制还是合同制', source: `${LAW}第四十八条`, text: '聘任制' },
  { q: '家里穷上不起大学怎么办', source: `${LAW}第五十五条`, text: '助学金' },
  { q: '领导出国玩要审批吗', source: `${EIGHT}第一条`, text: '出国' },
  { q: '评上专利的成果转化能拿奖励吗', source: `${EIGHT}第三条`, text: '科技成果转化' },
  { q: '学校能借开会的名义聚餐吗', source: `${EIGHT}第六条`, text: '会餐' },
  { q: '领导孩子办升学宴能收礼吗', source: `${EIGHT}第七条`, text: '婚丧喜庆' },
  { q: '学术造假会影响信用吗', source: YOUTH, text: '学术不端' },
  { q: '照顾老人能攒时间吗', source: YOUTH, text: '时间银行' },
  { q: '守信用的年轻人有什么好处', source: YOUTH, text: '守信联合激励' },
  { q: '信用不好了还能恢复吗', source: YOUTH, text: '失信修复' },
  { q: '年轻人贷款看不看信用', source: YOUTH, text: '信贷' },
];

export const THIRD_HELD_OUT: readonly LayQuestion[] = [
  { q: '讲师往上是什么职称', source: `${LAW}第四十七条`, text: '副教授' },
  { q: '在学校组社团要批准吗', source: `${LAW}第五十七条`, text: '学生团体' },
  { q: '独立学院算不算大学', source: `${LAW}第六十八条`, text: '独立设置的学院' },
  { q: '考试抄袭会不会进信用档案', source: YOUTH, text: '考试作弊' },
  { q: '学位证是谁颁发的', source: `${LAW}第二十二条`, text: '学位' },
  { q: '谁来当大学校长', source: `${LAW}第四十条`, text: '校长' },
  { q: '学术委员会管什么', source: `${LAW}第四十二条`, text: '学术委员会' },
  { q: '领导能在外兼职吗', source: `${EIGHT}第二条`, text: '兼职' },
  { q: '年轻人找工作讲不讲诚信', source: YOUTH, text: '就业创业' },
  { q: '守信的年轻人逛博物馆有优惠吗', source: YOUTH, text: '博物馆' },
];

/** Questions the readings do not answer: none may be presented as answered. */
export const THIRD_UNANSWERABLE_TUNE: readonly string[] = [
  '评副教授要几年',
  '学生会主席怎么选',
  '信用卡逾期了怎么办',
  '校长工资多少',
  '请假扣多少钱',
  '出国留学要多少钱',
  '学生能在宿舍养猫吗',
  '党费怎么交',
  '食堂饭菜涨价谁管',
  '教师节放假吗',
];

export const THIRD_UNANSWERABLE_HELD_OUT: readonly string[] = [
  '辅导员一个月工资多少',
  '考研报名什么时候开始',
  '学校停车收费吗',
  '四六级没过能毕业吗',
  '公积金怎么提取',
];
