import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/clock.ts';
import { loadContent, type Content } from '../../src/content/content.ts';
import { importPlanText } from '../../src/content/import/plan-text.ts';
import { buildAgenda } from '../../src/jobs/agenda.ts';
import { askApp, startTestApp } from '../helpers/test-app.ts';

/**
 * A 2017 notice imported beside the 2016 seed plan (as a tester did): its sessions name no organiser and it has its
 * own rule on the records (交到所属党总支, the students' 交到所属学院团委). The push, the day answers and the list of
 * plans must speak of the plan concerned, never of the seed's weeks or the roster's notice written for the seed.
 */
const FIXTURE = fileURLToPath(new URL('../fixtures/written-notices/2017-spring-sessions.txt', import.meta.url));
const SEED = fileURLToPath(new URL('../fixtures/content', import.meta.url));

let dir: string;
let content: Content;
let app: Awaited<ReturnType<typeof startTestApp>>;
const clock = new ManualClock(0);
let n = 0;
/** Asks on a day (Beijing 10:00), as `user` (a new one by default). */
const ask = (day: string, text: string, user = `spring${++n}`) => {
  clock.set(Date.parse(`${day}T10:00:00+08:00`));
  return askApp(app, user, text);
};
const textOf = (m: ReturnType<typeof buildAgenda>[number] | undefined) => (m?.msgtype === 'markdown' ? m.markdown.content : (m?.text.content ?? ''));

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'spring-'));
  cpSync(SEED, dir, { recursive: true });
  const result = importPlanText(readFileSync(FIXTURE, 'utf8'), { id: '2017-spring' });
  for (const [rel, text] of result.files) {
    mkdirSync(path.dirname(path.join(dir, 'plans', '2017-spring', rel)), { recursive: true });
    writeFileSync(path.join(dir, 'plans', '2017-spring', rel), text);
  }
  content = await loadContent(dir);
  app = await startTestApp({ clock, content });
});
afterAll(async () => {
  await app?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('the weekly push of a plan with no organisers and its own record rule', () => {
  it('previews this week without an empty 组织者 line, quoting the plan’s own rule per audience', async () => {
    const preview = await ask('2017-04-11', '预览本周推送', 'dangban-wang');
    expect(preview).toContain('4月13日 星期四');
    expect(preview).not.toMatch(/组织者：\s*(\n|$)/);
    expect(preview).not.toContain('组织者');
    expect(preview).toContain('交到所属党总支');
    expect(preview).toContain('交到所属学院团委');
    expect(preview).not.toContain('交到机关党工委和各党总支检查');
    expect(preview).not.toContain('以备检查考核');
  });

  it('gives each audience only its own sentence, and keeps the seed plan’s organisers', () => {
    const plan = content.planForWeek('2017-04-10')!;
    expect(plan.plan.id).toBe('2017-spring');
    const week = plan.weekOf('2017-04-10');
    for (const target of content.broadcast.targets) {
      const text = buildAgenda(plan, week, target).map(textOf).join('\n');
      if (target.audience === 'student') {
        expect(text).toContain('学期末交到所属学院团委');
        expect(text).not.toContain('交到所属党总支');
      } else if (target.audience === 'staff') {
        expect(text).toContain('按月将《记录本》交到所属党总支');
        expect(text).not.toContain('团委');
      }
      expect(text).not.toContain('组织者');
    }
    // The seed plan's weeks still name their organisers.
    const seed = buildAgenda(content, 3, content.broadcast.targets[0]!).map(textOf).join('\n');
    expect(seed).toMatch(/组织者：\S/);
  });
});

describe('day questions in the year of the second plan', () => {
  it('reads 去年/前年/今年/明年 before a date as that year', async () => {
    const lastYear = await ask('2017-04-11', '去年9月20号学的啥');
    expect(lastYear).toContain('9月20日（星期二，第3周） 政治理论学习');
    expect(lastYear).not.toContain('不在任何学习计划');
  });

  it('says a covered day without a session in the words of its own plan, never the seed’s weeks', async () => {
    const answer = await ask('2017-04-11', '3月7号学了啥');
    expect(answer).toContain('3月7日（星期二）没有安排学习活动');
    expect(answer).not.toContain('第1—4周');
    expect(answer).toContain('3月2日');
    expect(answer).toContain('3月16日');
    // Another covered day, another phrasing: the same plan's dates, never the seed's weeks.
    const later = await ask('2017-04-11', '4月20号有什么安排');
    expect(later).toContain('4月20日（星期四）没有安排学习活动');
    expect(later).toContain('4月27日');
    expect(later).toContain('《关于2017年春季学期教职工政治理论学习安排的通知》');
    expect(later).not.toMatch(/第1—4周|9月\d+日/);
  });
});

describe('the list of plans', () => {
  for (const question of ['学习计划有哪些', '有几个学习计划', '导入了哪些学习通知', '所有学习计划']) {
    it(`${question} lists every plan loaded with its period, the current one marked`, async () => {
      const answer = await ask('2017-04-11', question);
      expect(answer).toContain('共有 2 个学习计划');
      expect(answer).toContain('《关于2017年春季学期教职工政治理论学习安排的通知》：2017年3月2日至4月27日（当前）');
      expect(answer).toMatch(new RegExp(`《${content.plan.title}》：2016年9月5日至[^\n（]*\n`));
      expect(answer.match(/（当前）/g)).toHaveLength(1);
    });
  }

  it('marks the plan of the day asked on, and none outside them all', async () => {
    const autumn = await ask('2016-09-20', '有哪些学习计划');
    expect(autumn).toContain(`《${content.plan.title}》：2016年9月5日至2017年3月1日（当前）`);
    expect(autumn).not.toContain('4月27日（当前）');
    const later = await ask('2018-01-08', '学习计划有几个');
    expect(later).not.toContain('（当前）');
    expect(later).toContain('今天不在任何学习计划的时间内');
  });

  it('still answers one plan’s content and schedule to 学习计划 and 学习安排有哪些', async () => {
    expect(await ask('2017-04-11', '学习安排有哪些')).not.toContain('共有 2 个学习计划');
    expect(await ask('2017-04-11', '这学期的学习计划')).not.toContain('共有 2 个学习计划');
  });
});
