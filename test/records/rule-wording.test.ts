import { describe, expect, it } from 'vitest';
import { at, chat, formApp } from '../forms/form-chat.ts';

/**
 * 记录什么时候交 (issue 21): each asker hears their own audience's rule and the sessions their groups owe, and the
 * closing day, which is the office's configuration (closeAfterMonthEndDays) and not the plan's, is labelled so.
 */
const WED = at('2016-09-21 10:00');
const STAFF_RULE = '按月将《政治理论学习记录本》交到机关党工委和各党总支检查';
/** The plan's own sentence for the student groups (content/plan.yaml requirements). */
const STUDENT_RULE = '学生各学习组也要联系实际组织学习讨论，并做好每次学习讨论记录，以备检查考核。';
const OFFICE_LABEL = '截止到当月月底后 5 天（截止日期是党委办公室的规定；学习计划要求按月上交）';

describe('the answer to 记录什么时候交', () => {
  it('a student group’s secretary gets the student rule and the student sessions only', async () => {
    const a = await formApp({ now: WED });
    const answer = await chat(a, 'wangwu')('记录什么时候交');
    expect(answer).toContain('【学习讨论记录什么时候交】');
    expect(answer).toContain(`学习要求中关于记录本的规定：${STUDENT_RULE}`);
    expect(answer).not.toContain(STAFF_RULE);
    expect(answer).not.toContain('学期末统一交到党委宣传部');
    // 业务学习活动 (9月6日, 9月27日) is the staff groups': not a student deadline.
    expect(answer).toContain('· 9月的记录（9月20日）：10月5日截止');
    expect(answer).not.toContain('9月6日');
    expect(answer).toContain(OFFICE_LABEL);
  });

  it('a staff secretary gets the plan’s own requirement and every staff session, never the student rule', async () => {
    const a = await formApp({ now: WED });
    for (const ask of ['记录什么时候交', '讨论记录交到哪里', '学习记录怎么提交']) {
      const answer = await chat(a, 'lisi')(ask);
      expect(answer, ask).toContain(STAFF_RULE);
      expect(answer, ask).toContain('学期末统一交到党委宣传部');
      expect(answer, ask).not.toContain('以备检查考核');
      expect(answer, ask).toContain('9月的记录（9月6日、9月20日、9月27日）：10月5日截止');
      expect(answer, ask).toContain(OFFICE_LABEL);
    }
  });

  it('an admin, or someone the roster does not name, gets each kind’s rule, labelled', async () => {
    const a = await formApp({ now: WED });
    for (const user of ['dangban-wang', 'zhaoliu']) {
      const answer = await chat(a, user)('记录什么时候交');
      expect(answer, user).toContain('· 教职工学习组：');
      expect(answer, user).toContain(`· 学生学习组：${STUDENT_RULE}`);
      expect(answer, user).toContain(STAFF_RULE);
    }
  });
});
