import { afterEach, describe, expect, it } from 'vitest';
import { HELP_TEXT } from '../../handlers/help.ts';
import { spawnService, type RunningService } from '../helpers/spawn-service.ts';
import { semesterContent } from '../helpers/content.ts';

let svc: RunningService | undefined;
afterEach(async () => {
  if (svc && svc.child.exitCode === null) await svc.stop('SIGKILL');
  svc = undefined;
});

describe('npm start without credentials (local mode), end to end', () => {
  it('starts, says so loudly, serves the chat page, answers 帮助 through the callback, and shuts down cleanly', async () => {
    svc = await spawnService();
    await svc.waitFor(/聊天页面: http:\/\/127\.0\.0\.1:\d+\/dev\/chat/);
    expect(svc.output()).toMatch(/LOCAL MODE/);

    const health = await fetch(`${svc.baseUrl}/healthz`).then((r) => r.json());
    expect(health).toMatchObject({ ok: true, mode: 'local', store: { kind: 'lowdb', reachable: true } });

    const page = await fetch(`${svc.baseUrl}/dev/chat`);
    expect(page.headers.get('content-type')).toMatch(/text\/html/);
    expect(await page.text()).toContain('学习助手');

    const answer = await fetch(`${svc.baseUrl}/dev/chat/send`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ user: 'zhangsan', text: '帮助' }),
    }).then((r) => r.json());
    expect(answer).toEqual({ status: 200, passiveReply: HELP_TEXT(await semesterContent(), '2016-09-14', 'secretary') });
    // It went through the real callback: the service logged the callback line.
    await svc.waitFor(/"handler":"help".*"reply":"passive".*"msg":"callback"/);

    const bad = await fetch(`${svc.baseUrl}/dev/chat/send`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"user":"","text":""}' });
    expect(bad.status).toBe(400);

    expect(await svc.stop('SIGTERM')).toBe(0);
    await svc.waitFor(/shut down cleanly/);
  });

  it('with BOT_NOW runs as if it were that time and says so in the banner', async () => {
    svc = await spawnService({ BOT_NOW: '2016-09-21T10:00:00+08:00' });
    await svc.waitFor(/聊天页面: http/);
    expect(svc.output()).toContain('演示时间 (BOT_NOW): 从 2016年9月21日（星期三）10:00（北京时间）开始，随真实时间继续走。');
    const ask = (text: string) =>
      fetch(`${svc!.baseUrl}/dev/chat/send`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ user: 'zhangsan', text }),
      }).then((r) => r.json() as Promise<{ passiveReply?: string }>);
    const week = await ask('本周安排');
    expect(week.passiveReply).toMatch(/^本周（第3周），9月19日—9月25日的安排：/);
    expect(week.passiveReply).toContain('9月20日（星期二） 政治理论学习');
    expect(await svc.stop('SIGTERM')).toBe(0);
  });

  it('refuses BOT_NOW in live mode, naming the variable', async () => {
    await expect(
      spawnService({
        WECOM_CORP_ID: 'ww1',
        WECOM_AGENT_ID: '1',
        WECOM_SECRET: 'secretsecret',
        WECOM_TOKEN: 'tok',
        WECOM_ENCODING_AES_KEY: 'a'.repeat(43),
        BOT_NOW: '2016-09-21T10:00:00+08:00',
      }),
    ).rejects.toThrow(/BOT_NOW: 只能在本地模式/);
  });

  it('refuses to start on broken configuration, naming the variable', async () => {
    await expect(
      spawnService({ WECOM_CORP_ID: 'ww1', WECOM_AGENT_ID: '1', WECOM_SECRET: 'secretsecret', WECOM_TOKEN: 'tok', WECOM_ENCODING_AES_KEY: 'short' }),
    ).rejects.toThrow(/WECOM_ENCODING_AES_KEY[^\n]*43/);
  });
});
