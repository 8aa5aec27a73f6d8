import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normalizeText } from '../../src/bot/composer.ts';
import { BACK, CANCEL, CONFIRM, DONE, HELP, PROGRESS, RESTART, RESUME, REWRITE, SKIP, USE_DEFAULT } from '../../src/bot/forms/control-words.ts';
import { ManualClock } from '../../src/clock.ts';
import { semesterContent } from '../helpers/content.ts';
import { startTestApp } from '../helpers/test-app.ts';
import { SUMMARY, at, chat } from './form-chat.ts';

/**
 * Issue 13, point 2, as a property through the real encrypted callback: whatever control words and commands a
 * secretary mixes into the answers, in whatever order, none of them ends up as (part of) a value, neither in the
 * draft nor in a saved record.
 */
const CONTROL = [CANCEL, BACK, SKIP, PROGRESS, HELP, RESUME, RESTART, CONFIRM, DONE, USE_DEFAULT, REWRITE].flat();
const COMMANDS = [
  '我的记录',
  '未提交',
  '谁还没交',
  '已提交',
  '统计',
  '导出',
  '提醒未提交',
  '管理页面',
  '菜单',
  '修改记录',
  '修改记录 1',
  '提交记录',
  '修改 3',
  '修改地点',
  '查看',
  '修改这份记录',
  '推送状态',
];
const FORBIDDEN = new Set([...CONTROL, ...COMMANDS].map(normalizeText));
const ANSWERS = [
  '1',
  '9.20',
  '昨天',
  '302会议室',
  '12人：王五、赵六',
  '12个人',
  '赵七（生病）',
  '李老师出差，赵老师病假',
  '无',
  '1、2',
  '全部',
  SUMMARY,
  '赵六',
];
/** A straight path through the form, then a second that meets the record the first saved and amends it. */
const GROUP_CHOICE: Record<string, string[]> = { wangwu: [], zhangsan: ['1'], 'dangban-li': ['3'] };
const path = (user: string) => [
  ...['提交记录', ...GROUP_CHOICE[user]!, '好', '好', '302会议室', '12人：王五、赵六', '赵七（生病）', '好', '1、2', SUMMARY, '完成', '好', '确认'],
  ...['提交记录', ...GROUP_CHOICE[user]!, '好', '修改这份记录', '修改地点', '图书馆', '确认'],
];

/** Every string inside a value, and each line of a multi-line one. */
function strings(v: unknown): string[] {
  if (typeof v === 'string') return [v, ...v.split('\n')];
  if (Array.isArray(v)) return v.flatMap(strings);
  if (v && typeof v === 'object') return Object.values(v).flatMap(strings);
  return [];
}

const noise = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...CONTROL) },
  { weight: 2, arbitrary: fc.constantFrom(...COMMANDS) },
  { weight: 1, arbitrary: fc.constantFrom(...ANSWERS) },
);

describe('control words and commands never become values (property)', () => {
  it('random control words, commands and answers mixed into two runs through the form', async () => {
    const content = await semesterContent();
    let records = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(fc.nat({ max: 30 }), noise), { maxLength: 14 }),
        fc.constantFrom('wangwu', 'zhangsan', 'dangban-li'),
        async (inserts, user) => {
          const script = path(user);
          for (const [pos, word] of [...inserts].sort((x, y) => y[0] - x[0])) script.splice(pos, 0, word);
          const a = await startTestApp({ clock: new ManualClock(at('2016-09-21 10:00')), content });
          try {
            const say = chat(a, user);
            for (const text of script) await say(text);
            const draft = await a.store.forms.get(user);
            const saved = await a.store.submissions.list();
            records += saved.length;
            const values = [...saved.flatMap((s) => [s.fields, ...s.history.map((h) => h.fields)]), ...(draft ? [draft.answers] : [])];
            for (const value of values.flatMap(strings)) expect(FORBIDDEN.has(normalizeText(value)), `“${value}” in ${JSON.stringify(values)}`).toBe(false);
          } finally {
            await a.close();
          }
        },
      ),
      { numRuns: Number(process.env.FORM_PROPERTY_RUNS ?? 40) },
    );
    expect(records).toBeGreaterThan(10); // the runs do get as far as saving
    console.log(`[property] ${records} records saved across the runs`);
  }, 180_000);
});
