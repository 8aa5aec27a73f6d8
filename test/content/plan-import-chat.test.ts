import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IMPORT_NOT_ADMIN } from '../../handlers/plan-import.ts';
import { ManualClock } from '../../src/clock.ts';
import { loadContent } from '../../src/content/content.ts';
import { freshPostgresStore, freshSchema, postgresAvailable } from '../helpers/postgres.ts';
import { askApp, startTestApp } from '../helpers/test-app.ts';
import { FIXTURE_CONTENT } from '../helpers/content.ts';

/**
 * The office brings a real notice in through the chat (encrypted callback, real handlers): pasted over several
 * messages, previewed, a missing date added, confirmed; staff are answered from it at once; it is withdrawn. On
 * PostgreSQL, a plan imported through one instance is answered by another within seconds.
 */
const notice = (file: string) => readFileSync(fileURLToPath(new URL(`../fixtures/notices/tuning/${file}`, import.meta.url)), 'utf8');
const june = notice('2023-06-single-date-questions.txt');
const at = (day: string) => Date.parse(`${day}T10:00:00+08:00`);

describe('导入学习计划 in chat (embedded store)', () => {
  const clock = new ManualClock(at('2023-06-19'));
  let app: Awaited<ReturnType<typeof startTestApp>>;
  beforeAll(async () => {
    app = await startTestApp({ clock, content: await loadContent(FIXTURE_CONTENT) });
  });
  afterAll(() => app?.close());
  const say = (user: string, text: string) => askApp(app, user, text);

  it('refuses anyone but an admin', async () => {
    expect(await say('zhangsan', '导入学习计划')).toBe(IMPORT_NOT_ADMIN);
    expect(await say('zhaoliu', '撤销导入 2023-06')).toBe(IMPORT_NOT_ADMIN);
  });

  it('takes a notice pasted in parts, shows what it recognised, stores it on 确认, and staff are answered from it at once', async () => {
    expect(await say('zhaoliu', '这周学什么')).toContain('不在任何学习计划的时间内');
    expect(await say('dangban-wang', '导入学习计划')).toContain('请粘贴');
    const cut = june.indexOf('三、学习要求');
    expect(await say('dangban-wang', june.slice(0, cut))).toContain('已收到第 1 段');
    expect(await say('dangban-wang', june.slice(cut))).toContain('已收到第 2 段');
    const shown = await say('dangban-wang', '完成');
    expect(shown).toContain('识别结果（尚未导入）：《关于2023年6月政治理论学习安排的通知》（id：2023-06）');
    expect(shown).toContain('学习时间：2023-06-20');
    expect(shown).toContain('讨论题 4 道');
    expect(await say('zhaoliu', '这周学什么')).toContain('不在任何学习计划的时间内'); // not before 确认
    expect(await say('dangban-wang', '确认')).toContain('已导入《关于2023年6月政治理论学习安排的通知》（2023-06）');
    expect(await say('zhaoliu', '这周学什么')).toContain('6月20日（星期二） 政治理论学习');
    expect(await say('zhaoliu', '学生讨论题')).toContain('青年学生如何发挥自身优势');
    const [kept] = await app.store.planImports.list();
    expect(kept).toMatchObject({ id: '2023-06', importedBy: 'dangban-wang', importedAt: at('2023-06-19') });
    expect(await say('dangban-wang', '已导入计划')).toContain('2023-06：dangban-wang 于 6月19日 10:00 导入');
  });

  it('lets the admin add a date the notice lacks, and withdraw an import', async () => {
    clock.set(at('2023-03-06'));
    await say('dangban-wang', '导入学习计划');
    await say('dangban-wang', notice('2023-03-themes-focus-links.txt'));
    expect(await say('dangban-wang', '完成')).toContain('通知中没有写明：学习时间');
    expect(await say('dangban-wang', '补充日期 3月16日')).toContain('学习时间：2023-03-16');
    expect(await say('dangban-wang', '确认')).toContain('已导入');
    expect(await say('zhaoliu', '3月16日学什么')).toContain('3月16日（星期四');
    expect(await say('dangban-wang', '撤销导入 2023-03')).toBe('已撤销导入“2023-03”。');
    expect(await say('zhaoliu', '3月16日学什么')).toContain('不在任何学习计划的时间内');
    expect(await say('dangban-wang', '已导入计划')).toMatch(/2023-03：dangban-wang 于 3月6日 10:00 导入，dangban-wang 于 3月6日 10:00 撤销/);
  });
});

describe.skipIf(!postgresAvailable)('导入学习计划 on PostgreSQL: every instance serves it', () => {
  const clock = new ManualClock(at('2023-06-19'));
  let a: Awaited<ReturnType<typeof startTestApp>>;
  let b: Awaited<ReturnType<typeof startTestApp>>;
  beforeAll(async () => {
    const schema = freshSchema();
    a = await startTestApp({ clock, content: await loadContent(FIXTURE_CONTENT), store: await freshPostgresStore(schema) });
    b = await startTestApp({ clock, content: await loadContent(FIXTURE_CONTENT), store: await freshPostgresStore(schema) });
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
  });

  it('a plan imported through one instance is answered by the other within seconds', { timeout: 20_000 }, async () => {
    await askApp(a, 'dangban-wang', '导入学习计划');
    await askApp(a, 'dangban-wang', june);
    await askApp(a, 'dangban-wang', '完成');
    expect(await askApp(a, 'dangban-wang', '确认')).toContain('已导入');
    const started = Date.now();
    let answer = '';
    while (Date.now() - started < 10_000) {
      answer = await askApp(b, 'zhaoliu', '这周学什么');
      if (answer.includes('6月20日')) break;
      await new Promise((r) => setTimeout(r, 250));
    }
    expect(answer).toContain('6月20日（星期二） 政治理论学习');
  });
});

describe('导入学习计划 in chat with the law library (LAWS_CORPUS)', () => {
  const clock = new ManualClock(at('2023-11-06'));
  let app: Awaited<ReturnType<typeof startTestApp>>;
  beforeAll(async () => {
    // The vendored sample of the LawRefBook collection: it holds 劳动法 but not 数据安全法.
    const laws = fileURLToPath(new URL('../fixtures/laws-sample.tar.gz', import.meta.url));
    app = await startTestApp({ clock, content: await loadContent(FIXTURE_CONTENT), env: { LAWS_CORPUS: laws } });
  });
  afterAll(() => app?.close());
  const say = (user: string, text: string) => askApp(app, user, text);

  it('a national law named in the notice gets the library’s text on 确认, and its articles are answered; withdrawn, they are gone', async () => {
    // The real November notice, naming a law the sample library holds instead of the one it named.
    const november = notice('2023-11-odd-weeks-nested.txt').replace('《中华人民共和国网络安全法》', '《中华人民共和国劳动法》');
    expect(await say('zhaoliu', '劳动法第一条')).not.toContain('为了保护劳动者的合法权益');
    await say('dangban-wang', '导入学习计划');
    await say('dangban-wang', november);
    const shown = await say('dangban-wang', '完成');
    expect(shown).toContain('《中华人民共和国劳动法》：全文取自法律法规库 社会法/劳动法(2018-12-29).md（2018-12-29 版本）');
    expect(await say('dangban-wang', '确认')).toContain('已导入');
    const first = await say('zhaoliu', '劳动法第一条');
    expect(first).toContain('第一条');
    expect(first).toContain('为了保护劳动者的合法权益');
    // A law the library lacks stays a title: answered with its title and plan, never another document's text.
    const missing = await say('zhaoliu', '数据安全法第一条');
    expect(missing).toContain('中华人民共和国数据安全法');
    expect(missing).not.toContain('为了保护劳动者的合法权益');
    expect(await say('dangban-wang', '撤销导入 2023-11')).toBe('已撤销导入“2023-11”。');
    expect(await say('zhaoliu', '劳动法第一条')).not.toContain('为了保护劳动者的合法权益');
  });
});
