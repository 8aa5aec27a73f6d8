import { describe, expect, it } from 'vitest';
import {
  absenceConflict,
  attendanceProblem,
  meansNobody,
  parseAbsentees,
  parseAttendance,
  parseCount,
  parseHeadcount,
  parseNames,
} from '../../src/bot/forms/attendance.ts';
import { matchChoice, parseChoices, parseDateAnswer, parseListChoice, parseWeekAnswer } from '../../src/bot/forms/parsers.ts';
import { addDays } from '../../src/content/dates.ts';

/** The field readers on their own, over what secretaries type (the transcripts in minutes-*.test.ts use them end to end). */
const WED = '2016-09-21'; // a Wednesday

describe('dates relative to today (Asia/Shanghai)', () => {
  it.each([
    ['今天', '2016-09-21'],
    ['昨天', '2016-09-20'],
    ['前天', '2016-09-19'],
    ['大前天', '2016-09-18'],
    ['周二', '2016-09-20'],
    ['星期三', '2016-09-21'],
    ['周四', '2016-09-15'], // the latest Thursday on or before today
    ['礼拜天', '2016-09-18'],
    ['上周二', '2016-09-13'],
    ['上星期五', '2016-09-16'],
    ['上上周二', '2016-09-06'],
    ['本周一', '2016-09-19'],
    ['这周二', '2016-09-20'],
    ['9.20', '2016-09-20'],
    ['9/20', '2016-09-20'],
    ['9月20日', '2016-09-20'],
    ['9月20号', '2016-09-20'],
    ['九月二十日', '2016-09-20'],
    ['９月２０日', '2016-09-20'],
    ['20号', '2016-09-20'],
    ['2016年9月20日', '2016-09-20'],
    ['2016-09-20', '2016-09-20'],
    ['是上周二', '2016-09-13'],
    ['9月20日那天', '2016-09-20'],
    ['12月30日', '2015-12-30'], // a month well after this one: last year
    ['9月20日（周二）', '2016-09-20'],
    ['周二下午', '2016-09-20'],
    ['昨天下午3点', '2016-09-20'],
    ['2016.9.20', '2016-09-20'],
    // A session named by its day, the ways people point at the meeting on it.
    ['9月6号那次', '2016-09-06'],
    ['6号那次', '2016-09-06'],
    ['九月六号那天', '2016-09-06'],
    ['9月6日的那场学习', '2016-09-06'],
    ['9.6那次的记录', '2016-09-06'],
    ['就是9月6号那次', '2016-09-06'],
    ['选9月6日', '2016-09-06'],
    ['9月6日周二', '2016-09-06'],
    ['9月6日星期二那次', '2016-09-06'],
    ['上上周二那次', '2016-09-06'],
  ])('%s → %s', (text, date) => expect(parseDateAnswer(text, WED)).toBe(date));

  it.each([
    ['上周那次', '2016-09-12'],
    ['这周的', '2016-09-19'],
    ['上上周', '2016-09-05'],
  ])('the week of “%s” starts %s', (text, from) => expect(parseWeekAnswer(text, WED)).toEqual({ from, to: addDays(from, 6) }));

  it.each(['上周二学什么', '随便', '9月31日', '周八', '第3周', '', '那次', '周二9月6日'])('%s is not a date', (text) =>
    expect(parseDateAnswer(text, WED)).toBeUndefined(),
  );
});

describe('counts', () => {
  it.each([
    ['12', 12],
    ['12人', 12],
    ['12个人', 12],
    ['１２人', 12],
    ['十二人', 12],
    ['到会12人', 12],
    ['实到12人', 12],
    ['全体15人', 15],
    ['共12人', 12],
    ['12人参加', 12],
    ['12位同志', 12],
    ['应到15实到12', 12],
    ['应到15人，实到12人', 12],
    ['参加人数为12', 12],
  ])('%s → %d', (text, n) => expect(parseCount(text)).toBe(n));

  it.each(['好', '张三', '12人：张三', '全到了', '几个人'])('%s is not a count', (text) => expect(parseCount(text)).toBeUndefined());
});

describe('head counts with how many should have come (应到) kept beside how many came (实到)', () => {
  it.each([
    ['应到15实到12', { count: 12, expected: 15 }],
    ['应到15人，实到12人', { count: 12, expected: 15 }],
    ['应到15人，实到12人，缺3人', { count: 12, expected: 15 }],
    ['应到十五人 实到十二人 缺席三人', { count: 12, expected: 15 }],
    ['应出席15人，实际出席12人', { count: 12, expected: 15 }],
    ['实到12人，3人请假', { count: 12, expected: 15 }],
    ['应到15人，缺3人', { count: 12, expected: 15 }],
    ['共15人，到会12人', { count: 12, expected: 15 }],
    ['到会12人（应到15人）', { count: 12, expected: 15 }],
    ['15人应到，12人实到', { count: 12, expected: 15 }],
    ['全体15人', { count: 15 }],
    ['12人', { count: 12 }],
  ])('%s', (text, value) => expect(parseHeadcount(text)).toEqual(value));

  it.each([
    ['应到15人，实到12人，缺2人', '缺席应为 3 人，而不是 2 人'],
    ['实到16人，应到15人', '实到 16 人多于应到 15 人'],
    ['应到15人', '请再写实到人数'],
  ])('%s does not add up', (text, error) => expect((parseHeadcount(text) as { error: string }).error).toContain(error));

  it.each(['缺3人', '12人，3人', '实到12到会12'])('%s is not a head count', (text) => expect(parseHeadcount(text)).toBeUndefined());

  it('with names', () => expect(parseAttendance('应到15实到12：张三、李四')).toEqual({ count: 12, expected: 15, names: ['张三', '李四'] }));

  it('absentees that contradict the head count', () => {
    const att = { count: 12, expected: 15, names: ['王五'] };
    expect(absenceConflict(att, [])).toContain('有 3 人缺席');
    expect(absenceConflict(att, [{ name: '王五', reason: '病假' }])).toContain('“王五”同时在参加名单和缺席名单中');
    expect(
      absenceConflict(
        att,
        ['甲甲', '乙乙', '丙丙', '丁丁'].map((name) => ({ name, reason: '出差' })),
      ),
    ).toContain('这里列出了 4 人');
    expect(absenceConflict(att, [{ name: '甲甲', reason: '出差' }])).toBeUndefined();
    expect(absenceConflict({ count: 15, expected: 15, names: [] }, [{ name: '甲甲', reason: '出差' }])).toContain('没有人缺席');
    expect(absenceConflict({ count: 12, names: [] }, [])).toBeUndefined();
  });
});

describe('attendance: a count, names, or both', () => {
  it.each([
    ['12人', { count: 12, names: [] }],
    ['张三、李四、王五', { count: 3, names: ['张三', '李四', '王五'] }],
    ['张三 李四  王五', { count: 3, names: ['张三', '李四', '王五'] }],
    ['张三，李四和王五', { count: 3, names: ['张三', '李四', '王五'] }],
    ['12人：王五、赵六', { count: 12, names: ['王五', '赵六'] }],
    ['到会12人（王五、赵六）', { count: 12, names: ['王五', '赵六'] }],
    ['王五、赵六等12人', { count: 12, names: ['王五', '赵六'] }],
    ['欧阳小明、Li Lei', { count: 2, names: ['欧阳小明', 'Li Lei'] }],
  ])('%s', (text, value) => expect(parseAttendance(text)).toEqual(value));

  it('a name with a reason is not a name: 12人（张三请假）', () => expect(parseAttendance('12人（张三请假）')).toBeUndefined());

  it.each(['好', '确认', '12a人', '张三、3', '第四十七条是什么意思呢大家说说'])('%s is refused', (text) => expect(parseAttendance(text)).toBeUndefined());

  it('names are deduplicated', () => expect(parseNames('张三、张三')).toEqual(['张三']));
});

describe('absentees with reasons', () => {
  it.each([
    [
      '李老师出差，赵老师病假',
      [
        { name: '李老师', reason: '出差' },
        { name: '赵老师', reason: '病假' },
      ],
    ],
    ['李老师因出差请假', [{ name: '李老师', reason: '出差' }]],
    ['赵老师（病假）', [{ name: '赵老师', reason: '病假' }]],
    ['赵老师(病假)', [{ name: '赵老师', reason: '病假' }]],
    [
      '赵七（生病）、钱八 实习',
      [
        { name: '赵七', reason: '生病' },
        { name: '钱八', reason: '实习' },
      ],
    ],
    [
      '张三请假；李四生病',
      [
        { name: '张三', reason: '请假' },
        { name: '李四', reason: '生病' },
      ],
    ],
    [
      '李老师出差和赵老师病假',
      [
        { name: '李老师', reason: '出差' },
        { name: '赵老师', reason: '病假' },
      ],
    ],
    [
      '张三、李四出差',
      [
        { name: '张三', reason: '出差' },
        { name: '李四', reason: '出差' },
      ],
    ],
    ['王五因病', [{ name: '王五', reason: '生病' }]],
    [
      '赵七（生病）钱八（实习）',
      [
        { name: '赵七', reason: '生病' },
        { name: '钱八', reason: '实习' },
      ],
    ],
    ['无', []],
    ['全到了', []],
  ])('%s', (text, value) => expect(parseAbsentees(text)).toEqual({ value }));

  it('a name without a reason is asked about', () => {
    expect(parseAbsentees('张三')).toEqual({ error: '“张三”缺少缺席原因。' });
    expect(parseAbsentees('李老师出差，赵老师')).toEqual({ error: '“赵老师”缺少缺席原因。' });
  });

  it.each(['无', '没有', '全到了', '无人缺席', '0人', '都到了'])('%s means nobody', (t) => expect(meansNobody(t)).toBe(true));
});

describe('which questions', () => {
  it.each([
    ['1', [0]],
    ['1、2', [0, 1]],
    ['1和2', [0, 1]],
    ['1,2', [0, 1]],
    ['12', [0, 1]],
    ['第一题和第二题', [0, 1]],
    ['第1、2题', [0, 1]],
    ['第二题', [1]],
    ['一二', [0, 1]],
    ['两题都讨论了', [0, 1]],
    ['都讨论了', [0, 1]],
    ['全部', [0, 1]],
    ['所有题目', [0, 1]],
    ['1-2', [0, 1]],
    ['前两题', [0, 1]],
    ['只讨论了第一题', [0]],
    ['讨论了第2题', [1]],
  ])('%s', (text, value) => expect(parseChoices(text, 2)).toEqual(value));

  it.each(['3', '第三题', '三题都讨论了', '都没讨论', '好', '随便'])('%s is refused for two questions', (text) =>
    expect(parseChoices(text, 2)).toBeUndefined(),
  );
});

describe('one choice by a part of its name', () => {
  const groups = ['院办党支部学习组', '教学系部学习组', '会计专业学生学习组'];
  it.each([
    ['院办那个', '院办党支部学习组'],
    ['教学那组', '教学系部学习组'],
    ['会计的', '会计专业学生学习组'],
    ['会计学生组', '会计专业学生学习组'],
    ['我们是院办党支部的', '院办党支部学习组'],
    ['2', '教学系部学习组'],
    ['第三个', '会计专业学生学习组'],
  ])('%s → %s', (text, name) => expect(matchChoice(text, groups, (g) => g)).toEqual({ item: name }));

  it('several fit: ambiguous', () => expect(matchChoice('学习组', groups, (g) => g)).toEqual({ ambiguous: groups }));
  it.each(['教学楼在哪', '教', '4', '好的'])('%s fits none', (text) => expect(matchChoice(text, groups, (g) => g)).toBeUndefined());
});

describe("parseListChoice (the plan's themes at the topic step)", () => {
  it.each([
    ['专题一', [0]],
    ['专题2', [1]],
    ['第一个专题', [0]],
    ['学习专题二', [1]],
    ['第二个', [1]],
    ['二', [1]],
    ['1、2', [0, 1]],
    ['全部', [0, 1]],
    ['两个都有', [0, 1]],
    ['两个专题都学了', [0, 1]],
  ])('%s → %j', (text, picks) => expect(parseListChoice(text, 2)).toEqual(picks));
  it.each(['专题三', '3'])('%s is out of range', (text) => expect(parseListChoice(text, 2)).toEqual({ outOfRange: true }));
  it.each(['人人都讲诚信', '诚信教育', '专题一是什么', '为什么要讲诚信'])('%s is free text', (text) => expect(parseListChoice(text, 2)).toBeUndefined());
});

describe('attendees that are no attendance', () => {
  it.each(['没有', '不清楚', '全体党员', '全员参加', '大概十来个', '约12人', '12人左右', '随便'])('%s is neither a count nor names', (text) =>
    expect(parseAttendance(text)).toBeUndefined(),
  );
  it.each(['没有', '不清楚', '全体党员', '全员参加', '大概十来个', '约12人'])('%s gets a reason', (text) => expect(attendanceProblem(text)).toBeDefined());
  it('明天 is read (for the date step to refuse as not come yet)', () => expect(parseDateAnswer('明天', '2016-09-21')).toBe('2016-09-22'));
});
