import { EIGHT, LAW, SOCIAL, YOUTH, type LayQuestion } from './lay-questions.ts';

/**
 * A fourth set (issue 20, brief B point 4), written from the readings before the confidence rule of
 * handlers/search-confidence.ts was changed, and only ever measured (npm run bench:answers-precision): a held-out row
 * nobody tunes on. Everyday words where the texts use formal ones, across the four documents, none a rewording of the
 * earlier sets. Each names the unit a right answer shows first (its source and words of its text).
 */
export const FOURTH_HELD_OUT: readonly LayQuestion[] = [
  // 高等教育法
  { q: '大学能自己定招多少学生吗', source: `${LAW}第三十二条`, text: '招生方案' },
  { q: '本科一般要读几年', source: `${LAW}第十七条`, text: '四至五年' },
  { q: '读博士要几年', source: `${LAW}第十七条`, text: '博士研究生教育的基本修业年限' },
  { q: '学位分几种', source: `${LAW}第二十二条`, text: '学士、硕士和博士' },
  { q: '开一所本科院校要谁批准', source: `${LAW}第二十九条`, text: '国务院教育行政部门审批' },
  { q: '学校章程里要写哪些东西', source: `${LAW}第二十八条`, text: '章程' },
  { q: '外国人能来中国的大学念书吗', source: `${LAW}第六十七条`, text: '中国境外个人' },
  { q: '国家帮不帮少数民族地区办大学', source: `${LAW}第八条`, text: '少数民族' },
  { q: '老师上课的教材学校能自己选吗', source: `${LAW}第三十四条`, text: '选编教材' },
  { q: '学校能自己开新专业吗', source: `${LAW}第三十三条`, text: '学科、专业' },
  { q: '大学里党委和校长谁说了算', source: `${LAW}第三十九条`, text: '校长负责制' },
  { q: '教职工怎么参加学校的民主管理', source: `${LAW}第四十三条`, text: '教职工代表大会' },
  { q: '毕业生找工作学校管不管', source: `${LAW}第五十九条`, text: '就业指导' },
  { q: '别人捐给学校的钱谁来管', source: `${LAW}第三十八条`, text: '受捐赠财产' },
  { q: '学校的财务怎么管', source: `${LAW}第六十五条`, text: '财务管理制度' },
  { q: '大学生在学校要守哪些规矩', source: `${LAW}第五十三条`, text: '学生行为规范' },
  { q: '学校办的工厂有税收优惠吗', source: `${LAW}第六十三条`, text: '校办产业' },
  { q: '大学的教学质量谁来评', source: `${LAW}第四十四条`, text: '评价制度' },
  { q: '在大学搞文艺创作自由吗', source: `${LAW}第十条`, text: '文学艺术创作' },
  { q: '大学的名字能随便起吗', source: `${LAW}第二十六条`, text: '名称' },
  { q: '办学的人能把投的钱撤回去吗', source: `${LAW}第六十一条`, text: '不得抽回' },
  { q: '大学校长要什么资格', source: `${LAW}第四十条`, text: '任职条件' },
  // 八项规定
  { q: '领导拿普通护照能出国吗', source: `${EIGHT}第一条`, text: '普通护照' },
  { q: '单位发加油卡当奖金行不行', source: `${EIGHT}第四条`, text: '商业预付卡' },
  { q: '校领导出席校友会能领补贴吗', source: `${EIGHT}第四条`, text: '校友活动' },
  { q: '探亲的费用能算公务接待吗', source: `${EIGHT}第五条`, text: '探亲' },
  { q: '开会能顺便组织去旅游吗', source: `${EIGHT}第六条`, text: '观光旅游' },
  { q: '领导结婚能请下属来吃酒吗', source: `${EIGHT}第七条`, text: '直接领导关系' },
  { q: '院长兼职拿的报酬归谁', source: `${EIGHT}第二条`, text: '全额上缴学校' },
  { q: '校长的科研成果能拿股份吗', source: `${EIGHT}第三条`, text: '股权激励' },
  // 社会信用体系建设规划纲要
  { q: '政府说话不算数怎么办', source: SOCIAL, text: '守信践诺' },
  { q: '网上的诚信谁来管', source: SOCIAL, text: '网络诚信' },
  { q: '医院的诚信怎么抓', source: SOCIAL, text: '医药卫生和计划生育领域信用建设' },
  { q: '法院判案公开吗', source: SOCIAL, text: '法院公信建设' },
  { q: '举报失信的人有奖励吗', source: SOCIAL, text: '有奖举报' },
  { q: '农民的信用怎么建', source: SOCIAL, text: '农村信用体系建设工程' },
  { q: '小企业的信用体系怎么搞', source: SOCIAL, text: '小微企业信用体系建设工程' },
  { q: '每个单位都有统一的信用代码吗', source: SOCIAL, text: '统一社会信用代码' },
  { q: '欠工人工资的老板会记入信用吗', source: SOCIAL, text: '劳动用工领域信用建设' },
  { q: '排污的企业会不会被记失信', source: SOCIAL, text: '环境保护和能源节约领域信用建设' },
  { q: '我的信用信息被侵权了谁负责', source: SOCIAL, text: '建立信用信息侵权责任追究机制' },
  // 青年信用体系建设规划
  { q: '做志愿者的记录在哪个系统里', source: YOUTH, text: '完善“志愿中国”信息系统' },
  { q: '相亲能查对方的信用吗', source: YOUTH, text: '婚恋交友领域' },
  { q: '守信用的年轻人看病有照顾吗', source: YOUTH, text: '医疗健康领域' },
  { q: '青年诚信活动周是干什么的', source: YOUTH, text: '青年诚信活动周' },
  { q: '年轻人租房子看不看信用', source: YOUTH, text: '信贷租赁领域' },
];

/** Questions about campus and work life that the readings do not answer: none may be presented as answered. */
export const FOURTH_UNANSWERABLE_HELD_OUT: readonly string[] = [
  '考试成绩出了吗',
  '图书馆几点关门',
  '食堂今天吃什么',
  '校园网怎么连',
  '宿舍几点熄灯',
  '怎么申请入党',
  '党员每月交多少党费',
  '寒假什么时候放',
  '停车证怎么办',
  '体检在哪里做',
  '四六级什么时候报名',
  '下午会议室有人用吗',
  '快递站在哪',
  '教务处电话多少',
  '明天会下雨吗',
  '职工医保报销比例多少',
  '班车几点发车',
  '打印机坏了找谁',
  '年终奖什么时候发',
  '医保卡丢了怎么补办',
  '辅导员办公室在几楼',
];
