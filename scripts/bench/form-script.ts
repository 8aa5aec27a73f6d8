/**
 * One secretary's whole record form, answer by answer, as the benches send it: the group (the suggestion), the session
 * and date (好), a place, attendance, no absentees, the topic, the questions, a summary, 完成, the recorder, 确认.
 */
export const FORM_SCRIPT: readonly string[] = [
  '提交记录',
  '好',
  '好',
  '会议室',
  '12人',
  '无',
  '好',
  '1',
  '大家结合工作实际，围绕落实中央八项规定精神和建设诚信职院展开讨论，提出了改进作风的具体措施。',
  '完成',
  '好',
  '确认',
];
