import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/clock.ts';
import { loadContent } from '../../src/content/content.ts';
import { signToken } from '../../src/http/signed-token.ts';
import { TEXT_LIMIT_CHARS, UPLOAD_LIMIT_BYTES } from '../../src/http/plan-import-page.ts';
import { freshPostgresStore, freshSchema, postgresAvailable } from '../helpers/postgres.ts';
import { docxOf } from '../helpers/docx.ts';
import { askApp, startTestApp } from '../helpers/test-app.ts';
import { FIXTURE_CONTENT } from '../helpers/content.ts';
import { docxBomb } from '../helpers/zip-bomb.ts';
import { DOCX_LIMITS } from '../../src/content/import/docx-bounds.ts';

/**
 * 导入学习计划 on the status page, through a real socket as a browser posts its forms: pasted text (urlencoded) and a
 * real .docx (multipart), the same report as the chat, a date added, 确认, staff answered at once in chat; the list
 * with its withdraw buttons; refusals with their reasons. On PostgreSQL, a plan imported on one instance's page is
 * answered by another.
 */
const notice = (file: string) => readFileSync(fileURLToPath(new URL(`../fixtures/notices/tuning/${file}`, import.meta.url)), 'utf8');
const at = (day: string) => Date.parse(`${day}T10:00:00+08:00`);
const secret = 'test-status-page-secret-0123456789';

type App = Awaited<ReturnType<typeof startTestApp>>;

async function listening(clock: ManualClock, store?: App['store'], env: Record<string, string> = {}): Promise<{ t: App; base: string }> {
  const t = await startTestApp({
    clock,
    content: await loadContent(FIXTURE_CONTENT),
    env: { STATUS_PAGE_SECRET: secret, ...env },
    ...(store ? { store } : {}),
  });
  const address = await t.app.listen({ port: 0, host: '127.0.0.1' });
  return { t, base: address };
}

/** A browser's side: the admin opens the chat's link (its token used once), then keeps the session cookie. */
async function browse(t: App, base: string, user: string) {
  const link = /http\S+/.exec(await askApp(t, user, '管理页面'))![0];
  const first = await fetch(`${base}/status/import${new URL(link).search}`);
  expect(first.status).toBe(200);
  // The status page's headers hold here too: forms post only to this origin, no framing, nothing kept.
  expect(first.headers.get('content-security-policy')).toContain("form-action 'self'");
  expect(first.headers.get('cache-control')).toBe('no-store');
  expect(first.headers.get('set-cookie')).toMatch(/HttpOnly; SameSite=Strict/);
  const cookie = /status_session=[^;]+/.exec(first.headers.get('set-cookie') ?? '')![0];
  const csrfOf = (html: string) => /name="csrf" value="([^"]+)"/.exec(html)![1]!;
  let csrf = csrfOf(await first.text());
  const post = async (path: string, fields: Record<string, string>, opts: { csrf?: boolean } = {}) => {
    const res = await fetch(`${base}${path}`, {
      method: 'POST',
      headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ ...(opts.csrf === false ? {} : { csrf }), ...fields }).toString(),
    });
    return { status: res.status, html: await res.text() };
  };
  const upload = async (name: string, data: Buffer) => {
    const form = new FormData();
    form.set('csrf', csrf);
    form.set('file', new Blob([data]), name);
    const res = await fetch(`${base}/status/import/upload`, { method: 'POST', headers: { cookie }, body: form });
    return { status: res.status, html: await res.text() };
  };
  const get = async (path: string) => {
    const res = await fetch(`${base}${path}`, { headers: { cookie } });
    const html = await res.text();
    if (/name="csrf"/.test(html)) csrf = csrfOf(html);
    return { status: res.status, html };
  };
  /** The text a preview carries on to 确认, as the browser would send it back. */
  const carried = (html: string) => {
    const v = /name="text" value="([^"]*)"/.exec(html)![1]!;
    return v.replace(/&#(\d+);/g, (_m, n) => String.fromCharCode(Number(n)));
  };
  return { post, upload, get, carried };
}

describe('导入学习计划 on the status page (embedded store, real socket)', () => {
  const clock = new ManualClock(at('2023-03-06'));
  let t: App;
  let base: string;
  beforeAll(async () => {
    ({ t, base } = await listening(clock));
  });
  afterAll(() => t?.close());

  it('refuses without a link, with a bad or expired link, and anyone but an admin, in Chinese', async () => {
    const none = await fetch(`${base}/status/import`);
    expect(none.status).toBe(401);
    expect(await none.text()).toContain('管理页面');
    const bad = await fetch(`${base}/status/import?token=abc.def`);
    expect(bad.status).toBe(403);
    expect(await bad.text()).toContain('链接无效');
    const expired = signToken(secret, { u: 'dangban-wang', exp: clock.now() - 1, k: 'link' });
    const old = await fetch(`${base}/status/import?token=${expired}`);
    expect(old.status).toBe(403);
    expect(await old.text()).toContain('链接已过期');
    const staff = signToken(secret, { u: 'zhangsan', exp: clock.now() + 60_000, k: 'link' });
    const refused = await fetch(`${base}/status/import?token=${staff}`);
    expect(refused.status).toBe(403);
    expect(await refused.text()).toContain('仅限党委办公室的管理员');
    // A post with no session is refused before anything is read.
    const posted = await fetch(`${base}/status/import/confirm`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ text: notice('2023-03-themes-focus-links.txt') }).toString(),
    });
    expect(posted.status).toBe(401);
    expect(await t.store.planImports.list()).toEqual([]);
  });

  it('takes a pasted notice: the chat’s report, a date added, 确认 stores it with who and when, and staff are answered at once', async () => {
    const b = await browse(t, base, 'dangban-wang');
    const text = notice('2023-03-themes-focus-links.txt');
    const shown = await b.post('/status/import/preview', { text });
    expect(shown.status).toBe(200);
    expect(shown.html).toContain('识别结果（尚未导入）');
    expect(shown.html).toContain('通知中没有写明：学习时间');
    expect(b.carried(shown.html)).toBe(text.replace(/\r\n?/g, '\n'));
    const badDate = await b.post('/status/import/preview', { text, dates: '下周四' });
    expect(badDate.status).toBe(400);
    expect(badDate.html).toContain('没有看懂补充的日期');
    const withDate = await b.post('/status/import/preview', { text, dates: '3月16日' });
    expect(withDate.html).toContain('学习时间：2023-03-16');
    // A day that cannot be a session is said, and dropped from the field, as the chat does.
    const far = await b.post('/status/import/preview', { text, dates: '3月16日、2024年3月16日' });
    expect(far.html).toContain('3月16日（2024年）距学习开始（2023年2月27日那一周）超过 30 周，没有导入');
    expect(far.html).toContain('学习时间：2023-03-16');
    expect(far.html).toContain('value="2023年3月16日"');
    expect(await askApp(t, 'zhaoliu', '3月16日学什么')).not.toContain('政治理论学习'); // not before 确认
    // A form without the session's token (another site's post) is refused, and nothing is stored.
    const forged = await b.post('/status/import/confirm', { text, dates: '3月16日' }, { csrf: false });
    expect(forged.status).toBe(403);
    expect(await t.store.planImports.list()).toEqual([]);
    // Over the text limit (the route says so), and over the form's byte limit (Fastify refuses; the page says so).
    const long = await b.post('/status/import/preview', { text: 'a'.repeat(TEXT_LIMIT_CHARS + 10) });
    expect(long.status).toBe(413);
    expect(long.html).toContain('通知太长');
    const huge = await b.post('/status/import/preview', { text: '学'.repeat(TEXT_LIMIT_CHARS + 20_000) });
    expect(huge.status).toBe(413);
    expect(huge.html).toContain('提交的内容太大，没有导入');
    const done = await b.post('/status/import/confirm', { text: b.carried(withDate.html), dates: '3月16日' });
    expect(done.status).toBe(200);
    expect(done.html).toContain('已导入');
    expect(await t.store.planImports.list()).toMatchObject([
      { id: '2023-03', importedBy: 'dangban-wang', importedAt: at('2023-03-06'), dates: ['2023-03-16'] },
    ]);
    expect(await askApp(t, 'zhaoliu', '3月16日学什么')).toContain('3月16日（星期四，第3周） 政治理论学习');
    // The chat sees the page's import as its own.
    expect(await askApp(t, 'dangban-wang', '已导入计划')).toContain('2023-03：dangban-wang 于 3月6日 10:00 导入');
    const again = await b.post('/status/import/confirm', { text, dates: '3月16日' });
    expect(again.status).toBe(409);
    expect(again.html).toContain('已有 id 为“2023-03”的学习计划');
  });

  it('takes a real .docx upload, and refuses a broken one, another kind of file and one too large, storing nothing', async () => {
    clock.set(at('2023-06-19'));
    const b = await browse(t, base, 'dangban-wang');
    const before = await t.store.planImports.list();
    const broken = await b.upload('通知.docx', Buffer.from('PK\u0003\u0004 not really a zip'));
    expect(broken.status).toBe(400);
    expect(broken.html).toContain('无法读取这个 Word 文件');
    const pdf = await b.upload('通知.pdf', Buffer.from('%PDF-1.4'));
    expect(pdf.status).toBe(415);
    expect(pdf.html).toContain('只能上传 .docx 或 .txt 文件');
    const doc = await b.upload('通知.DOC', Buffer.from([0xd0, 0xcf, 0x11, 0xe0]));
    expect(doc.status).toBe(415);
    expect(doc.html).toContain('另存为 .docx');
    const big = await b.upload('通知.txt', Buffer.alloc(UPLOAD_LIMIT_BYTES + 1024, 'a'));
    expect(big.status).toBe(413);
    expect(big.html).toContain('文件太大');
    // A zip bomb: a small .docx whose word/document.xml inflates past the limit (claiming 4 KB) is refused unread.
    const bomb = await docxBomb(DOCX_LIMITS.documentBytes + 4 * 1024 * 1024, 4096);
    expect(bomb.length).toBeLessThan(UPLOAD_LIMIT_BYTES);
    const bombed = await b.upload('通知.docx', bomb);
    expect(bombed.status).toBe(413);
    expect(bombed.html).toContain(`这个 Word 文件解压后超过 ${DOCX_LIMITS.documentBytes / 1024 / 1024} MB`);
    expect(bombed.html).toContain('没有导入任何内容');
    // A .txt in GB18030 (Windows Notepad's "ANSI" on a Chinese system) is read as such, not as mojibake.
    const gbk = await b.upload('通知.txt', Buffer.from(new Uint8Array([0xb9, 0xd8, 0xd3, 0xda, 0xd1, 0xa7, 0xcf, 0xb0, 0xb5, 0xc4, 0xcd, 0xa8, 0xd6, 0xaa]))); // 关于学习的通知
    expect(gbk.status).toBe(200);
    expect(b.carried(gbk.html)).toBe('关于学习的通知');
    const empty = await b.upload('空白.docx', await docxOf('   '));
    expect(empty.status).toBe(400);
    expect(empty.html).toContain('文件中没有文字');
    const utf8 = await b.upload('通知.txt', Buffer.from(`\uFEFF${notice('2024-05-related-requirements.txt')}`));
    expect(utf8.status).toBe(200);
    expect(utf8.html).toContain('识别结果（尚未导入）');
    expect(await t.store.planImports.list()).toEqual(before);

    const june = notice('2023-06-single-date-questions.txt');
    const shown = await b.upload('2023年6月学习通知.docx', await docxOf(june));
    expect(shown.status).toBe(200);
    expect(shown.html).toContain('《关于2023年6月政治理论学习安排的通知》（id：2023-06）');
    expect(shown.html).toContain('学习时间：2023-06-20');
    expect(shown.html).toContain('讨论题 4 道');
    const done = await b.post('/status/import/confirm', { text: b.carried(shown.html) });
    expect(done.html).toContain('已导入《关于2023年6月政治理论学习安排的通知》（2023-06）');
    expect(await askApp(t, 'zhaoliu', '学生讨论题')).toContain('青年学生如何发挥自身优势');
  });

  it('lists the imports and withdraws one, refused once records exist under it', async () => {
    const b = await browse(t, base, 'dangban-wang');
    const list = await b.get('/status/import');
    expect(list.html).toContain('2023-03');
    expect(list.html).toContain('2023-06');
    expect(list.html.match(/撤销导入<\/button>/g)).toHaveLength(2);
    await t.store.submissions.save({
      groupId: t.content.roster.groups[0]!.id,
      session: '2023-06-20',
      submittedBy: 'zhangsan',
      submittedAt: at('2023-06-20'),
      fields: { place: '行政楼' },
      idempotencyKey: 'page-import',
    });
    const refused = await b.post('/status/import/withdraw', { id: '2023-06' });
    expect(refused.status).toBe(409);
    expect(refused.html).toContain('已有提交的学习讨论记录，不能撤销');
    expect(await askApp(t, 'zhaoliu', '2023年3月16日学什么')).toContain('第3周） 政治理论学习');
    const done = await b.post('/status/import/withdraw', { id: '2023-03' });
    expect(done.status).toBe(200);
    expect(done.html).toContain('已撤销导入“2023-03”');
    expect(done.html).toMatch(/于 6月19日 10:00 撤销/);
    expect((await t.store.planImports.list()).find((p) => p.id === '2023-03')).toMatchObject({ withdrawnBy: 'dangban-wang' });
    expect(await askApp(t, 'zhaoliu', '2023年3月16日学什么')).not.toContain('第3周） 政治理论学习');
  });
});

describe('导入学习计划 on the status page with the law library (LAWS_CORPUS)', () => {
  const clock = new ManualClock(at('2023-11-06'));
  let t: App;
  let base: string;
  beforeAll(async () => {
    ({ t, base } = await listening(clock, undefined, { LAWS_CORPUS: fileURLToPath(new URL('../fixtures/laws-sample.tar.gz', import.meta.url)) }));
  });
  afterAll(() => t?.close());

  it('a .docx naming a national law: the preview names the library’s text, and after 确认 its articles are answered', async () => {
    const b = await browse(t, base, 'dangban-wang');
    // The real November notice, naming a law the vendored sample holds instead of the one it named.
    const november = notice('2023-11-odd-weeks-nested.txt').replace('《中华人民共和国网络安全法》', '《中华人民共和国劳动法》');
    const shown = await b.upload('11月学习通知.docx', await docxOf(november));
    expect(shown.status).toBe(200);
    expect(shown.html).toContain('《中华人民共和国劳动法》：全文取自法律法规库 社会法/劳动法(2018-12-29).md（2018-12-29 版本）');
    const done = await b.post('/status/import/confirm', { text: b.carried(shown.html) });
    expect(done.html).toContain('已导入');
    expect(await askApp(t, 'zhaoliu', '劳动法第一条')).toContain('为了保护劳动者的合法权益');
  });
});

describe.skipIf(!postgresAvailable)('导入学习计划 on the status page, PostgreSQL: every instance serves it', () => {
  const clock = new ManualClock(at('2023-06-19'));
  let a: { t: App; base: string };
  let b: { t: App; base: string };
  beforeAll(async () => {
    const schema = freshSchema();
    a = await listening(clock, await freshPostgresStore(schema));
    b = await listening(clock, await freshPostgresStore(schema));
  });
  afterAll(async () => {
    await a?.t.close();
    await b?.t.close();
  });

  it('a .docx imported on one instance’s page is answered by the other within seconds', { timeout: 20_000 }, async () => {
    const page = await browse(a.t, a.base, 'dangban-wang');
    const shown = await page.upload('notice.docx', await docxOf(notice('2023-06-single-date-questions.txt')));
    expect((await page.post('/status/import/confirm', { text: page.carried(shown.html) })).html).toContain('已导入');
    const started = Date.now();
    let answer = '';
    while (Date.now() - started < 10_000) {
      answer = await askApp(b.t, 'zhaoliu', '这周学什么');
      if (answer.includes('6月20日')) break;
      await new Promise((r) => setTimeout(r, 250));
    }
    expect(answer).toContain('6月20日（星期二） 政治理论学习');
    // The other instance's page lists it too.
    expect((await (await browse(b.t, b.base, 'dangban-wang')).get('/status/import')).html).toContain('2023-06');
  });
});
