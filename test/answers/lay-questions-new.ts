import { EIGHT, LAW, SOCIAL, type LayQuestion } from './lay-questions.ts';

/**
 * A newcomer's questions, written from the texts' subjects in plain spoken Chinese before the ranking and the
 * confidence rule were looked at (issue 20). Two parts:
 * - LAY_TUNE: used while choosing the confidence rule (handlers/search-confidence.ts);
 * - LAY_HELD_OUT: never looked at while tuning; only measured (scripts/bench/answers-precision.ts) and tested to
 *   be never wrong (right first, or honestly "没有找到" with the right one among 可能相关, or "没有找到").
 * UNANSWERABLE_*: plausible questions on subjects the four readings do not cover; they must never get a quoted
 * article presented as the answer.
 */
export const LAY_TUNE: readonly LayQuestion[] = [
  { q: '当高校老师要什么条件', source: `${LAW}第四十六条`, text: '教师资格制度' },
  { q: '过年能发购物卡吗', source: `${EIGHT}第四条`, text: '商业预付卡' },
  { q: '大专要读几年', source: `${LAW}第十七条`, text: '专科教育的基本修业年限为二至三年' },
  { q: '校长管哪些事', source: `${LAW}第四十一条`, text: '全面负责本学校的教学' },
  { q: '少数民族上大学有照顾吗', source: `${LAW}第八条`, text: '少数民族' },
  { q: '学校能自己编教材吗', source: `${LAW}第三十四条`, text: '选编教材' },
  { q: '出国开会能顺便旅游吗', source: `${EIGHT}第一条`, text: '旅游' },
  { q: '父母去世能大办丧事吗', source: `${EIGHT}第七条`, text: '婚丧喜庆' },
  { q: '上级来检查能请吃大餐吗', source: `${EIGHT}第五条`, text: '公务接待' },
  { q: '失信的人会受什么惩罚', source: SOCIAL, text: '失信惩戒' },
];

export const LAY_HELD_OUT: readonly LayQuestion[] = [
  { q: '没有本科学历能当大学老师吗', source: `${LAW}第四十六条`, text: '教师资格' },
  { q: '高校老师分几个级别', source: `${LAW}第四十七条`, text: '助教、讲师、副教授、教授' },
  { q: '大学校长谁来任免', source: `${LAW}第四十条`, text: '任免' },
  { q: '研究生要读几年', source: `${LAW}第十七条`, text: '修业年限' },
  { q: '成绩好有奖学金拿吗', source: `${LAW}第五十五条`, text: '奖学金' },
  { q: '学校收的学费能随便花吗', source: `${LAW}第六十四条`, text: '学费' },
  { q: '大学能跟国外的学校搞交流吗', source: `${LAW}第三十六条`, text: '境外高等学校' },
  { q: '学校的管理人员实行什么制度', source: `${LAW}第四十九条`, text: '教育职员制度' },
  { q: '老师想进修学校给不给支持', source: `${LAW}第五十一条`, text: '培训' },
  { q: '领导能在外面公司挂职拿钱吗', source: `${EIGHT}第二条`, text: '兼职' },
  { q: '开会能住豪华酒店吗', source: `${EIGHT}第六条`, text: '会议' },
  { q: '逢年过节能发补贴吗', source: `${EIGHT}第四条`, text: '津贴补贴' },
  { q: '领导参加毕业典礼能拿劳务费吗', source: `${EIGHT}第四条`, text: '劳务报酬' },
  { q: '学历证书是谁发的', source: `${LAW}第二十条`, text: '学历证书' },
  { q: '征信机构怎么管', source: SOCIAL, text: '征信' },
];

export const UNANSWERABLE_TUNE: readonly string[] = [
  '民办大学归谁管',
  '教师退休年龄是多少',
  '出差住宿标准是多少钱一晚',
  '入党要什么条件',
  '学生宿舍能用电饭锅吗',
  '加班费怎么算',
  '评职称要发几篇论文',
  '产假有多少天',
  '学生挂科了能补考吗',
  '房贷利率是多少',
];

export const UNANSWERABLE_HELD_OUT: readonly string[] = [
  '研究生补助一个月多少钱',
  '考公务员有年龄限制吗',
  '党费怎么交',
  '年假有几天',
  '工会会费怎么收',
  '公积金能提取吗',
  '职工体检一年几次',
  '怎么申请转专业',
  '驾照扣分怎么查',
  '食堂饭菜涨价合理吗',
];
