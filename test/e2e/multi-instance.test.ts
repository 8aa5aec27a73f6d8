import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../../src/clock.ts';
import { CallbackCodec } from '../../src/wecom/callback-codec.ts';
import { CallbackSender } from '../../src/wecom/callback-sender.ts';
import { WeComSimulator } from '../../src/wecom/simulator.ts';
import { TEST_CREDENTIALS } from '../helpers/fake-wecom.ts';
import { PG_URL, freshPostgresStore, freshSchema, postgresAvailable } from '../helpers/postgres.ts';
import { WeComClient } from '../../src/wecom/client.ts';
import { spawnService, type RunningService } from '../helpers/spawn-service.ts';
import { TEST_ENV } from '../helpers/test-app.ts';

/**
 * Two service processes behind one callback URL, sharing one PostgreSQL: duplicates, forms, broadcasts and reminders
 * across instances. (Runs on the test database as it is; every assertion holds whatever earlier runs left there.)
 */
describe.skipIf(!postgresAvailable)('two instances on one PostgreSQL', () => {
  let sim: WeComSimulator;
  let a: RunningService;
  let b: RunningService;
  const { corpId, agentId, token, encodingAesKey } = TEST_CREDENTIALS;
  const codec = new CallbackCodec({ token, encodingAesKey, corpId, clock: systemClock, timestampWindowSec: 300 });
  const run = Date.now().toString(36);
  const post = (svc: RunningService) => async (query: Record<string, string>, body: string) => {
    const res = await fetch(`${svc.baseUrl}/wecom/callback?${new URLSearchParams(query)}`, { method: 'POST', body, headers: { 'content-type': 'text/xml' } });
    return { status: res.status, body: await res.text() };
  };
  const senderA = () => new CallbackSender(codec, corpId, agentId, post(a));
  const senderB = () => new CallbackSender(codec, corpId, agentId, post(b));

  beforeAll(async () => {
    sim = new WeComSimulator({ ...TEST_CREDENTIALS, clock: systemClock });
    const apiBase = await sim.start();
    // One status-page secret for both, as instances behind one URL have: a link made by one opens on the other.
    const env = {
      ...TEST_ENV,
      WECOM_API_BASE: apiBase,
      DATABASE_URL: PG_URL!,
      PASSIVE_REPLY_BUDGET_MS: '3000',
      STATUS_PAGE_SECRET: `multi-instance-secret-${run}`,
    };
    [a, b] = await Promise.all([spawnService(env), spawnService(env)]);
  }, 60_000);
  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    await sim?.stop();
  });

  it('the same callback delivered to both at once is handled once', async () => {
    const user = `u-${run}`;
    const xml = senderA().textXml(user, '帮助', `9${Date.now()}`);
    const [ra, rb] = await Promise.all([senderA().sendXml(xml), senderB().sendXml(xml)]);
    expect([ra.status, rb.status]).toEqual([200, 200]);
    // The one that handled it answers; the other answers the same stored reply or, still in progress, nothing.
    const replies = [ra.passiveReply, rb.passiveReply].filter(Boolean);
    expect(replies.length).toBeGreaterThanOrEqual(1);
    for (const r of replies) expect(r).toContain('【查条文】');
    await new Promise((r) => setTimeout(r, 300));
    const lines = (a.output() + b.output()).split('\n').filter((l) => l.includes(`"user":"${user}"`) && l.includes('"msg":"callback"'));
    expect(lines.filter((l) => l.includes('"handler":"help"'))).toHaveLength(1);
    expect(lines.filter((l) => l.includes('"reply":"duplicate"'))).toHaveLength(1);
  });

  it('a form started on one instance continues on the other', async () => {
    // An admin: on the real clock the 2016 sessions have closed, and only admins may still add records to them.
    const user = 'dangban-li';
    const first = await senderA().sendText(user, '提交记录');
    expect(first.passiveReply).toMatch(/开始填写|未完成/);
    if (first.passiveReply!.includes('未完成'))
      await senderA()
        .sendText(user, '取消')
        .then(() => senderA().sendText(user, '提交记录'));
    const second = await senderB().sendText(user, '3');
    expect(second.passiveReply).toContain('（2/10）记录的是哪一次学习？');
    const third = await senderA().sendText(user, '1');
    // An earlier run on this database may have left the group a record for the session: then it is announced.
    expect(third.passiveReply).toMatch(/（3\/10）实际学习日期是哪天？|已经有记录了/);
    await senderB().sendText(user, '取消');
  });

  it('a follow-up lands on the other instance and means the same (conversation memory in the store)', async () => {
    const user = `follow-${run}`;
    const first = await senderA().sendText(user, '高等教育法第四十七条');
    expect(first.passiveReply).toContain('第四十七条');
    // 下一条 on the other instance: the article after the one A showed, not a question about nothing.
    const next = await senderB().sendText(user, '下一条');
    expect(next.passiveReply).toContain('第四十八条');
    const back = await senderA().sendText(user, '上一条');
    expect(back.passiveReply).toContain('第四十七条');
    // The control: someone who asked nothing before gets asked which article, on either instance.
    const bare = await senderB().sendText(`follow2-${run}`, '那第二款呢');
    expect(bare.passiveReply).toContain('请告诉我是哪一条');
  });

  it('a status-page link opened on one instance is refused by the other, and a session ended on one is ended on both', async () => {
    const answer = await senderA().sendText('dangban-wang', '管理页面');
    const link = new URL(/https?:\/\/\S+\/status\?token=[\w.-]+/.exec(answer.passiveReply ?? '')![0]);
    const open = (svc: RunningService) => fetch(`${svc.baseUrl}${link.pathname}${link.search}`, { redirect: 'manual' });
    const first = await open(a);
    expect(first.status).toBe(200);
    const again = await open(b);
    expect(again.status).toBe(403);
    expect(await again.text()).toContain('此链接已使用过');
    // The session the link opened works on both; after 退出 on one, the other refuses its cookie too.
    const cookie = first.headers.get('set-cookie')!.split(';')[0]!;
    const withCookie = (svc: RunningService, p: string) => fetch(`${svc.baseUrl}${p}`, { headers: { cookie }, redirect: 'manual' });
    expect((await withCookie(b, '/status')).status).toBe(200);
    expect((await withCookie(a, '/status/logout')).status).toBe(200);
    const afterLogout = await withCookie(b, '/status');
    expect(afterLogout.status).toBe(401);
    expect(await afterLogout.text()).toContain('您已退出');
  });

  it('a broadcast triggered on both at the same moment reaches each target once; a reminder run on both reminds once', async () => {
    const before = sim.deliveries.length;
    const [ra, rb] = await Promise.all([senderA().sendText('dangban-wang', `补发第2周推送`), senderB().sendText('dangban-li', `补发第2周推送`)]);
    expect(`${ra.passiveReply}\n${rb.passiveReply}`).toContain('第2周推送');
    const pushes = sim.deliveries.slice(before).filter((d) => d.api === 'webhook/send' || (d.api === 'message/send' && d.to === '1'));
    const perTarget = new Map<string, number>();
    for (const d of pushes) perTarget.set(d.to, (perTarget.get(d.to) ?? 0) + 1);
    // Already sent by an earlier run of this suite on the same database is fine: never twice.
    for (const n of perTarget.values()) expect(n).toBe(1);

    const beforeRemind = sim.deliveries.length;
    await Promise.all([senderA().sendText('dangban-wang', `提醒未提交 9月20日`), senderB().sendText('dangban-li', `提醒未提交 9月20日`)]);
    const reminders = sim.deliveries.slice(beforeRemind).filter((d) => d.api === 'message/send' && d.text.includes('学习讨论记录提醒'));
    const perSecretary = new Map<string, number>();
    for (const d of reminders) perSecretary.set(d.to, (perSecretary.get(d.to) ?? 0) + 1);
    for (const n of perSecretary.values()) expect(n).toBe(1);
  });
});

describe.skipIf(!postgresAvailable)('the access token shared through PostgreSQL', () => {
  it('three instances fetching at once make one gettoken call between them, and share the token', async () => {
    const sim = new WeComSimulator({ ...TEST_CREDENTIALS, clock: systemClock });
    const apiBase = await sim.start();
    const schema = freshSchema();
    const stores = await Promise.all([0, 1, 2].map(() => freshPostgresStore(schema)));
    const clients = stores.map((s) => new WeComClient({ ...TEST_CREDENTIALS, apiBase, clock: systemClock, tokenCache: s.tokenCache('app') }));
    const tokens = await Promise.all(clients.map((c) => c.getAccessToken()));
    expect(new Set(tokens).size).toBe(1);
    expect(sim.calls.get('gettoken')).toBe(1);
    for (const s of stores) await s.close();
    await sim.stop();
  });
});
