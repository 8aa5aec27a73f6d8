import { mkdtempSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.ts';
import { ManualClock, systemClock } from '../../src/clock.ts';
import { loadConfig } from '../../src/config.ts';
import { statusLink } from '../../src/http/status-page.ts';
import { createLogger } from '../../src/logger.ts';
import { LowdbStore } from '../../src/storage/lowdb-store.ts';
import { WeComSimulator } from '../../src/wecom/simulator.ts';
import { semesterContent } from '../helpers/content.ts';
import { startTestApp } from '../helpers/test-app.ts';

/** HTTP hardening (issue 14): what a hostile or broken client may send, and what it gets. */
const secret = 'test-status-page-secret-0123456789';
const WED = Date.parse('2016-09-21T02:00:00Z');
let closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of closers) await c();
  closers = [];
});

async function statusApp() {
  const t = await startTestApp({
    clock: new ManualClock(WED),
    content: await semesterContent(),
    env: { STATUS_PAGE_SECRET: secret, PUBLIC_BASE_URL: 'http://bot.example' },
  });
  closers.push(t.close);
  const link = () => statusLink('http://bot.example', secret, 'dangban-wang', t.clock.now()).replace('http://bot.example', '');
  const get = (url: string, cookie?: string) => t.app.inject({ method: 'GET', url, ...(cookie ? { headers: { cookie } } : {}) });
  return { t, link, get };
}

describe('status page', () => {
  it('a repeated query parameter gets a 400 with a reason, never a 500', async () => {
    const { get, link } = await statusApp();
    const token = new URL(`http://x${link()}`).searchParams.get('token')!;
    for (const url of [
      '/status?token=a&token=b',
      `/status?token=${token}&token=${token}`,
      '/status?month=9&month=10',
      '/wecom/callback?msg_signature=a&msg_signature=b',
    ]) {
      const r = await get(url);
      expect(r.statusCode, url).toBe(400);
      expect(r.json()).toMatchObject({ error: 'repeated_parameter' });
    }
  });

  it('tokens are parsed strictly: appended junk and non-canonical base64url are refused', async () => {
    const { get, link } = await statusApp();
    const good = new URL(`http://x${link()}`).searchParams.get('token')!;
    const [payload, mac] = good.split('.') as [string, string];
    // The last character of a 32-byte MAC carries 4 unused bits: another letter can decode to the same bytes.
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const last = alphabet.indexOf(mac.at(-1)!);
    const twin = mac.slice(0, -1) + alphabet[(last & ~3) | ((last + 1) & 3)];
    expect(Buffer.from(twin, 'base64url').equals(Buffer.from(mac, 'base64url'))).toBe(true);
    for (const bad of [`${good}.x`, `${good}x`, `${good}=`, `${payload}.${mac}!`, `${payload}.${twin}`, `${payload}=.${mac}`, `.${good}`]) {
      const r = await get(`/status?token=${encodeURIComponent(bad)}`);
      expect(r.statusCode, bad).toBe(403);
      expect(r.body).toContain('链接无效');
    }
    expect((await get(`/status?token=${good}`)).statusCode).toBe(200);
  });

  it('a link opens one session; a second use says so; 退出 ends the session', async () => {
    const { get, link } = await statusApp();
    const url = link();
    const first = await get(url);
    expect(first.statusCode).toBe(200);
    const cookie = String(first.headers['set-cookie']).split(';')[0]!;
    expect(first.body).toContain('href="/status/logout"');

    const replay = await get(url);
    expect(replay.statusCode).toBe(403);
    expect(replay.body).toContain('此链接已使用过');
    expect(replay.headers['set-cookie']).toBeUndefined();

    expect((await get('/status', cookie)).statusCode).toBe(200);
    const out = await get('/status/logout', cookie);
    expect(out.statusCode).toBe(200);
    expect(out.body).toContain('已退出');
    expect(String(out.headers['set-cookie'])).toMatch(/status_session=;.*Max-Age=0/);
    const after = await get('/status', cookie); // the old cookie, kept by someone
    expect(after.statusCode).toBe(401);
    expect(after.body).toContain('您已退出');
  });

  it('has a Content-Security-Policy and no inline script', async () => {
    const { get, link } = await statusApp();
    const r = await get(link());
    expect(r.headers['content-security-policy']).toMatch(/script-src 'self'/);
    expect(r.headers['content-security-policy']).not.toMatch(/unsafe-inline[^;]*;?\s*$|script-src[^;]*unsafe/);
    expect(r.body).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    expect(r.body).toContain('<script src="/status/page.js"></script>');
    const js = await get('/status/page.js');
    expect(js.statusCode).toBe(200);
    expect(js.headers['content-type']).toMatch(/javascript/);
    expect(js.body).toContain("searchParams.delete('token')");
  });
});

describe('timeouts', () => {
  it('a body trickled a byte at a time is cut off by HTTP_REQUEST_TIMEOUT_MS', { timeout: 60_000 }, async () => {
    const t = await startTestApp({ env: { HTTP_REQUEST_TIMEOUT_MS: '1000', HTTP_HEADERS_TIMEOUT_MS: '1000', HTTP_IDLE_TIMEOUT_MS: '5000' } });
    closers.push(t.close);
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = t.app.server.address() as { port: number };
    const total = 80;
    const result = await new Promise<{ sent: number; answer: string }>((resolve) => {
      const socket = connect(port, '127.0.0.1');
      let sent = 0;
      let answer = '';
      let timer: NodeJS.Timeout | undefined;
      socket.on('data', (b) => (answer += b));
      socket.on('close', () => {
        clearInterval(timer);
        resolve({ sent, answer });
      });
      socket.on('error', () => {});
      socket.on('connect', () => {
        socket.write(
          `POST /wecom/callback?msg_signature=a&timestamp=1&nonce=n HTTP/1.1\r\nHost: x\r\nContent-Type: text/xml\r\nContent-Length: ${total}\r\n\r\n`,
        );
        timer = setInterval(() => {
          if (sent < total) {
            socket.write('x');
            sent++;
          } else {
            clearInterval(timer);
            socket.end();
          }
        }, 200);
      });
    });
    // Cut off long before the trickle could finish (80 bytes at one per 200 ms).
    expect(result.sent).toBeLessThan(total);
    expect(result.answer).toMatch(/^HTTP\/1\.1 408|^$/);
  });
});

describe('local mode', () => {
  async function localApp() {
    const config = loadConfig({ DATA_DIR: mkdtempSync(path.join(tmpdir(), 'local-')), LOG_LEVEL: 'silent' });
    const simulator = new WeComSimulator({ ...config.wecom, clock: systemClock });
    await simulator.start();
    const built = await buildApp(config, { simulator, logger: createLogger('silent'), content: await semesterContent(), store: await LowdbStore.memory() });
    closers.push(async () => {
      await built.app.close();
      await simulator.stop();
    });
    return built.app;
  }

  it("/dev/chat/send takes JSON, or its own page's plain form, from its own page only", async () => {
    const app = await localApp();
    const send = (headers: Record<string, string>, payload: string) =>
      app.inject({ method: 'POST', url: '/dev/chat/send', headers: { host: '127.0.0.1:3000', ...headers }, payload });
    const formType = { 'content-type': 'application/x-www-form-urlencoded' };
    // A form that does not prove where it comes from could be any site's.
    expect((await send(formType, 'user=zhangsan&text=%E5%B8%AE%E5%8A%A9')).statusCode).toBe(403);
    expect((await send({ ...formType, origin: 'http://evil.example' }, 'user=zhangsan&text=%E5%B8%AE%E5%8A%A9')).statusCode).toBe(403);
    expect((await send({ ...formType, 'sec-fetch-site': 'cross-site' }, 'user=zhangsan&text=%E5%B8%AE%E5%8A%A9')).statusCode).toBe(403);
    // The page's own form (parsed by @fastify/formbody) gets a page with the reply.
    const form = await send({ ...formType, origin: 'http://127.0.0.1:3000' }, 'user=zhangsan&text=%E5%B8%AE%E5%8A%A9');
    expect(form.statusCode).toBe(200);
    expect(form.headers['content-type']).toMatch(/^text\/html/);
    expect(form.body).toContain('发送“帮助”或“菜单”');
    const badForm = await send({ ...formType, 'sec-fetch-site': 'same-origin' }, 'user=..&text=x');
    expect([badForm.statusCode, badForm.body.includes('用户 ID')]).toEqual([400, true]);
    // Only /send takes a form; the other endpoints take JSON.
    const groupForm = await app.inject({
      method: 'POST',
      url: '/dev/chat/event',
      headers: { host: '127.0.0.1:3000', ...formType, origin: 'http://127.0.0.1:3000' },
      payload: 'user=zhangsan&event=enter_agent',
    });
    expect(groupForm.statusCode).toBe(415);
    const text = await send({ 'content-type': 'text/plain' }, 'hi');
    expect(text.statusCode).toBe(415);
    const foreign = await send({ 'content-type': 'application/json', origin: 'http://evil.example' }, JSON.stringify({ user: 'zhangsan', text: '帮助' }));
    expect(foreign.statusCode).toBe(403);
    const crossSite = await send({ 'content-type': 'application/json', 'sec-fetch-site': 'cross-site' }, JSON.stringify({ user: 'zhangsan', text: '帮助' }));
    expect(crossSite.statusCode).toBe(403);
    const own = await send(
      { 'content-type': 'application/json', origin: 'http://127.0.0.1:3000', 'sec-fetch-site': 'same-origin' },
      JSON.stringify({ user: 'zhangsan', text: '帮助' }),
    );
    expect(own.statusCode).toBe(200);
  });

  it('a user id that would be a path is refused', async () => {
    const app = await localApp();
    for (const user of ['..', '.', '../x', 'a/b']) {
      const r = await app.inject({
        method: 'POST',
        url: '/dev/chat/send',
        headers: { 'content-type': 'application/json' },
        payload: JSON.stringify({ user, text: '提交记录' }),
      });
      expect(r.statusCode, user).toBe(400);
    }
  });

  it('the chat page has a Content-Security-Policy and its script in a file', async () => {
    const app = await localApp();
    const page = await app.inject({ method: 'GET', url: '/dev/chat' });
    expect(page.headers['content-security-policy']).toMatch(/script-src 'self'/);
    expect(page.body).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    const js = await app.inject({ method: 'GET', url: '/dev/chat/chat.js' });
    expect(js.statusCode).toBe(200);
    expect(js.body).toContain("fetch('/dev/chat/deliveries?' + q)");
  });
});
