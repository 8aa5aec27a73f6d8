import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/clock.ts';
import { loadContent, type Content } from '../../src/content/content.ts';
import { importPlanText } from '../../src/content/import/plan-text.ts';
import { agendaJob, buildAgenda } from '../../src/jobs/agenda.ts';
import { askApp, startTestApp } from '../helpers/test-app.ts';

/**
 * Several plans in one content folder: the seed (a 2016 semester table) and real notices of other colleges
 * imported as plans/<id>/ (test/fixtures/notices/tuning). Questions go through the encrypted callback with the
 * clock set to the day they are asked on, and are answered from the plan covering the day they are about.
 */
const NOTICES = fileURLToPath(new URL('../fixtures/notices/tuning/', import.meta.url));
const SEED = fileURLToPath(new URL('../fixtures/content', import.meta.url));
const IMPORTS: Array<[file: string, id: string, options?: { year?: number }]> = [
  ['2023-03-themes-focus-links.txt', '2023-03'],
  ['2023-06-single-date-questions.txt', '2023-06'],
  ['2023-11-odd-weeks-nested.txt', '2023-11'],
  ['march-no-year-by-month-end.txt', '2024-03', { year: 2024 }],
];

let dir: string;
let content: Content;
let app: Awaited<ReturnType<typeof startTestApp>>;
const clock = new ManualClock(0);
let n = 0;
/** Asks on a day (Beijing 10:00), as a new user. */
const ask = (day: string, text: string) => {
  clock.set(Date.parse(`${day}T10:00:00+08:00`));
  return askApp(app, `plans${++n}`, text);
};

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'plans-'));
  cpSync(SEED, dir, { recursive: true });
  for (const [file, id, options] of IMPORTS) {
    const result = importPlanText(readFileSync(path.join(NOTICES, file), 'utf8'), { id, ...options });
    for (const [rel, text] of result.files) {
      mkdirSync(path.dirname(path.join(dir, 'plans', id, rel)), { recursive: true });
      writeFileSync(path.join(dir, 'plans', id, rel), text);
    }
  }
  content = await loadContent(dir);
  app = await startTestApp({ clock, content });
});
afterAll(async () => {
  await app?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('a content folder with several plans', () => {
  it('loads every plan, each covering its own days', () => {
    expect(content.plans.map((p) => p.plan.id ?? 'seed')).toEqual(['seed', '2023-03', '2023-06', '2023-11', '2024-03']);
    expect(content.planOn('2016-09-20')?.plan.id).toBeUndefined();
    expect(content.planOn('2016-09-20')).toBe(content);
    expect(content.planOn('2023-06-20')?.plan.id).toBe('2023-06');
    expect(content.planOn('2020-01-01')).toBeUndefined();
  });

  it('answers 这周学什么 from this month’s notice, with its one date', async () => {
    const answer = await ask('2023-06-19', '这周学什么');
    expect(answer).toContain('6月20日（星期二） 政治理论学习');
    expect(answer).not.toContain('升旗仪式');
  });

  it('answers a day of the archive from its own plan', async () => {
    const answer = await ask('2023-06-19', '2016年9月20日学什么');
    expect(answer).toContain('9月20日（星期二，第3周） 政治理论学习');
    expect(answer).toContain('各学习组');
  });

  it('says what a rule over the weeks means when week 1 is not known, and lists the readings', async () => {
    const answer = await ask('2023-11-15', '这周学什么');
    expect(answer).toContain('2023年11月');
    expect(answer).toContain('单周周四下午');
    expect(answer).toContain('无法确定哪几周是单周');
    expect(answer).toContain('（1）习近平在中共中央政治局第九次集体学习时的重要讲话精神');
    expect(answer).toContain('共 11 项');
    expect(await ask('2023-11-15', '学习资料')).toContain('【有关网络安全法律法规学习】\n（9）《中华人民共和国网络安全法》');
  });

  it('answers the plan’s topics on a day inside it, and says what its notice lacks', async () => {
    expect(await ask('2023-06-19', '教师讨论题')).toContain('结合我校发展,如何发挥职业教育特色');
    expect(await ask('2023-11-15', '教师讨论题')).toContain('没有列出教师讨论题');
    const themes = await ask('2023-03-10', '学习主题');
    expect(themes).toContain('主题一:学习习近平总书记对深入开展学雷锋活动作出的重要指示');
    expect(themes).toContain('学习重点：');
    expect(themes).toContain('http://www.news.cn/politics/leaders/2023-02/23/c_1129390565.htm');
    expect(await ask('2023-03-10', '什么时候学习')).toContain('通知没有写明具体的学习日期');
    expect(await ask('2024-03-05', '什么时候学习')).toContain('2024年3月31日（星期日）之前完成学习');
  });

  it('answers a reading known only by its title with the notice’s words, never another document’s text', async () => {
    const law = await ask('2023-11-15', '网络安全法第一条');
    expect(law).toContain('《中华人民共和国网络安全法》：《2023年11月政治理论学习安排》');
    expect(law).toContain('学习助手没有收录它的全文');
    expect(law).not.toMatch(/第一条\s*\S/);
    const theme = await ask('2023-03-10', '雷锋精神');
    expect(theme).toContain('学习重点：');
    expect(theme).toContain('参考资料：http://www.news.cn/politics/leaders/2023-02/23/c_1129390565.htm');
    expect(theme).not.toContain('最相关的内容');
  });

  it('answers a question about the notice in its own words from the plan of the day, never from another plan', async () => {
    const june = content.planById('2023-06')!.plan;
    const asked = june.questions.staff.find((s) => s.includes('师德'))!;
    const answer = await ask('2023-06-20', '通知里提到师德师风建设的是哪一道题');
    expect(answer, answer).toContain(asked);
    for (const other of content.plan.questions.staff) expect(answer).not.toContain(other);
  });

  it('outside every plan says when the next begins, or names the latest', async () => {
    const between = await ask('2020-01-06', '这周学什么');
    expect(between).toContain('不在任何学习计划的时间内');
    expect(between).toContain('下一个学习计划是《关于开展2023年3月份教职工政治理论学习的通知》，从2023年3月1日（星期三）开始');
    const after = await ask('2025-01-06', '这周学什么');
    expect(after).toContain('之后的学习计划还没有导入');
    expect(after).toContain('《关于组织3月份教职工政治理论学习的通知》');
  });

  it('offers in the menu only what the plan of the day can answer', async () => {
    const menu = await ask('2023-06-19', '帮助');
    expect(menu).toContain('6月20日学什么');
    expect(menu).toContain('教师讨论题');
    expect(menu).not.toMatch(/升旗仪式|第三十五条|学习主题/);
    // Every schedule and topic example of that menu gets an answer, not the fallback.
    for (const example of ['6月20日学什么', '本周安排', '6月份有哪些活动', '学习安排', '学生讨论题', '学习要求', '学习资料']) {
      expect(menu).toContain(example);
      expect(await ask('2023-06-19', example), example).not.toMatch(/没有找到与|不在任何学习计划/);
    }
  });

  it('pushes on Monday the agenda of the plan covering that week, under that plan’s own job', () => {
    const plan = content.planForWeek('2023-06-19')!;
    expect(plan.plan.id).toBe('2023-06');
    const target = content.broadcast.targets[0]!;
    const [msg] = buildAgenda(plan, plan.weekOf('2023-06-19'), target);
    const text = msg?.msgtype === 'markdown' ? msg.markdown.content : msg?.text.content;
    expect(text).toContain('6月20日 星期二');
    expect(agendaJob(plan, plan.weekOf('2023-06-19'))).not.toBe(agendaJob(content, plan.weekOf('2023-06-19')));
    // A week no plan covers pushes nothing.
    expect(content.planForWeek('2020-01-06')).toBeUndefined();
  });
});
