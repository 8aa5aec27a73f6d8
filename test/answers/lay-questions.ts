/**
 * Questions on the semester's four documents as members really ask them: lay words, question words, no article
 * numbers. Each carries the unit the answer must show first, in full: its source (book title + article, or the
 * heading a section stands under) and words of its text. Written from what people ask, not from the index: a miss
 * here is a search to fix, not a question to reword (the ones still missed are listed in docs/retrieval.md, not
 * here). Used by test/answers/lay-questions.test.ts.
 */
export const LAW = '《中华人民共和国高等教育法》';
export const EIGHT = '《高等学校深化落实中央八项规定精神的若干规定》';
export const YOUTH = '《青年信用体系建设规划（2016-2020年）》';
export const SOCIAL = '《社会信用体系建设规划纲要（2014—2020年）》';

export interface LayQuestion {
  q: string;
  /** How the best match's source line starts. */
  source: string;
  /** Words of the best match's text. */
  text: string;
}

export const LAY_QUESTIONS: readonly LayQuestion[] = [
  // 高等教育法
  { q: '残疾学生能不能上大学', source: `${LAW}第九条`, text: '不得因其残疾而拒绝招收' },
  { q: '大学能拒收残疾人吗？', source: `${LAW}第九条`, text: '不得因其残疾而拒绝招收' },
  { q: '教师职务有哪几种', source: `${LAW}第四十七条`, text: '高等学校实行教师职务制度' },
  { q: '当教授要什么条件', source: `${LAW}第四十七条`, text: '教授、副教授除应当具备以上基本任职条件外' },
  { q: '上大学要交学费吗', source: `${LAW}第五十四条`, text: '缴纳学费' },
  { q: '大学生课余时间能去打工吗', source: `${LAW}第五十六条`, text: '勤工助学活动' },
  { q: '学生可以在学校里成立社团吗', source: `${LAW}第五十七条`, text: '学生团体' },
  { q: '学校能乱收费吗', source: `${LAW}第六十四条`, text: '收取的学费应当按照国家有关规定管理和使用' },
  { q: '教代会是干什么的', source: `${LAW}第四十三条`, text: '教职工代表大会' },
  { q: '党委是干什么的', source: `${LAW}第三十九条`, text: '基层委员会领导下的校长负责制' },
  { q: '老师结婚能请学生吗', source: `${EIGHT}第七条`, text: '婚丧喜庆' },
  { q: '公车私用', source: `${EIGHT}第七条`, text: '公车' },
  { q: '本科一般读几年', source: `${LAW}第十七条`, text: '本科教育的基本修业年限为四至五年' },
  { q: '学位分哪几种', source: `${LAW}第二十二条`, text: '学位分为学士、硕士和博士' },
  { q: '大学管不管毕业生找工作', source: `${LAW}第五十九条`, text: '就业指导和服务' },
  { q: '外国人可以来中国读大学吗', source: `${LAW}第六十七条`, text: '中国境外个人' },
  { q: '高校能自己设专业吗', source: `${LAW}第三十三条`, text: '自主设置和调整学科、专业' },
  { q: '学校要给老师提供培训吗', source: `${LAW}第五十一条`, text: '为教师参加培训' },
  { q: '公办大学是谁领导的', source: `${LAW}第三十九条`, text: '校长负责制' },
  { q: '学术委员会管哪些事', source: `${LAW}第四十二条`, text: '高等学校设立学术委员会' },
  { q: '教职工怎么参与学校管理', source: `${LAW}第四十三条`, text: '教职工代表大会' },
  { q: '大学招生计划谁来定', source: `${LAW}第三十二条`, text: '制定招生方案' },
  { q: '老师是怎么聘用的', source: `${LAW}第四十八条`, text: '高等学校实行教师聘任制' },
  { q: '自学考试合格了发什么证', source: `${LAW}第二十一条`, text: '高等教育自学考试制度' },
  { q: '大学章程里要写些什么', source: `${LAW}第二十八条`, text: '高等学校的章程应当规定以下事项' },
  { q: '大学算不算法人', source: `${LAW}第三十条`, text: '取得法人资格' },
  { q: '大学老师做研究有自由吗', source: `${LAW}第十条`, text: '科学研究，文学艺术创作和其他文化活动的自由' },
  // 八项规定
  { q: '开会能发纪念品吗', source: `${EIGHT}第六条`, text: '不得发放会议纪念品' },
  { q: '开会的时候能不能请大家吃饭', source: `${EIGHT}第六条`, text: '不得借会议名义组织会餐' },
  { q: '领导能在企业兼职拿工资吗', source: `${EIGHT}第二条`, text: '严格执行兼职取酬管理规定' },
  { q: '领导办婚礼能请下属参加吗', source: `${EIGHT}第七条`, text: '婚丧喜庆' },
  { q: '学校能发购物卡当奖金吗', source: `${EIGHT}第四条`, text: '商业预付卡' },
  { q: '科研成果转化了校长能拿股份吗', source: `${EIGHT}第三条`, text: '股权激励' },
  { q: '领导出国交流要公示吗', source: `${EIGHT}第一条`, text: '未按规定公示的不予核销相关费用' },
  { q: '公务接待可以安排旅游吗', source: `${EIGHT}第五条`, text: '公务接待范围' },
  // 青年信用体系建设规划
  { q: '谈恋爱交友怎么讲诚信', source: YOUTH, text: '4．婚恋交友领域' },
  { q: '志愿者卡是干什么用的', source: YOUTH, text: '2．志愿公益领域' },
  { q: '看病有没有绿色通道', source: YOUTH, text: '7．医疗健康领域' },
  // 社会信用体系建设规划纲要
  { q: '纳税的信用怎么管', source: SOCIAL, text: '税务领域信用建设' },
  { q: '公务员要建诚信档案吗', source: SOCIAL, text: '建立公务员诚信档案' },
  { q: '老师和搞科研的人诚信怎么管', source: SOCIAL, text: '教育、科研领域信用建设' },
];
