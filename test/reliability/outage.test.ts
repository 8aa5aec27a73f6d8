import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/clock.ts';
import { agendaJob, buildAgenda } from '../../src/jobs/agenda.ts';
import { UNCERTAIN_TEXT } from '../../src/jobs/broadcaster.ts';
import type { Outage } from '../../src/wecom/simulator.ts';
import { semesterContent } from '../helpers/content.ts';
import { TEST_CREDENTIALS } from '../helpers/fake-wecom.ts';
import { startTestApp } from '../helpers/test-app.ts';

/**
 * WeCom goes down (connections refused, requests never answered, HTTP 5xx, a 45009 storm) during a Monday
 * broadcast, a round of reminders and replies that go through the API. Nothing gets through while it is down,
 * nothing is dropped silently (推送状态 and the log say what waits), and once it is back the outbox delivers every
 * message exactly once, in order, and a second sweep sends nothing.
 */
// Wednesday 21 September 2016, 10:00 in Shanghai: week 3 (its agenda is due), the 20 September session is missing.
const WED = Date.parse('2016-09-21T02:00:00Z');
const WEEK = 3;

let t: Awaited<ReturnType<typeof startTestApp>> | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

async function say(user: string, text: string): Promise<string | undefined> {
  const r = await t!.wecomSide.sendText(user, text);
  return r.passiveReply;
}

describe.each<Outage>(['refused', 'timeout', 'http5xx', 'busy'])('WeCom down (%s)', (outage) => {
  it('a broadcast, reminders and API replies wait in the outbox, are listed, and are delivered once when WeCom is back', { timeout: 60_000 }, async () => {
    const content = await semesterContent();
    // Only the unanswered kind needs a short client timeout (so the test does not wait long for WeCom's silence); the
    // others keep a generous one, since on a loaded machine a recovered WeCom answering after a short timeout would
    // count as not delivered and be sent again (a doubled part: what this test exists to catch, not to cause).
    t = await startTestApp({ clock: new ManualClock(WED), content, sleep: async () => {}, requestTimeoutMs: outage === 'timeout' ? 400 : 10_000 });
    await t.sim.goDown(outage);

    // The Monday push (late: the service was down too), reminders, and replies that need the API (several parts).
    const report = await t.broadcaster.run({ week: WEEK });
    expect(report.results.filter((r) => r.outcome !== 'nothing_to_send').map((r) => r.outcome)).toEqual(['queued', 'queued', 'queued']);
    const remindAnswer = await say('dangban-wang', '提醒未提交');
    const previewAnswer = await say('dangban-li', '预览本周推送');
    await t.bot.idle();
    expect(t.sim.deliveries).toHaveLength(0);

    // Not silent: the status lists every target as waiting with its error, and the reminders and replies waiting.
    const status = (await say('dangban-wang', '推送状态'))!;
    for (const target of ['管理学院教职工群', '管理学院学生学习组群', '党总支委员'])
      expect(status).toMatch(new RegExp(`· ${target}：暂未发出，将自动重试至 9月21日 22:00（(企业微信无应答：|错误码 45009)`));
    expect(status).toMatch(/其他消息（提醒、回复）：\n· 待自动重发 \d+ 条/);
    expect(t.log()).toContain('delivery failed; the outbox will retry');

    // Still down: a sweep sends nothing and loses nothing.
    t.clock.advance(60_000);
    expect(await t.outbox.sweep()).toMatchObject({ sent: 0 });
    expect(t.sim.deliveries).toHaveLength(0);

    await t.sim.recover();
    t.clock.advance(60_000);
    const swept = await t.outbox.sweep();
    expect(swept.failed).toBe(0);
    expect(swept.sent).toBe(swept.due);

    // Every agenda part to every target once.
    for (const target of content.broadcast.targets) {
      const parts = buildAgenda(content, WEEK, target).map((p) => (p.msgtype === 'markdown' ? p.markdown.content : p.text.content));
      const to = target.robot ? t.config.robotKeys[target.robot.keyEnv] : undefined;
      const got = t.sim.deliveries.filter((d) => (to ? d.to === to : d.body.totag === target.members?.tags?.join('|'))).map((d) => d.text);
      expect(got).toEqual(parts);
    }
    // Each missing secretary reminded once.
    for (const user of ['zhangsan', 'lisi', 'wangwu']) {
      expect(t.sim.deliveriesTo(user).filter((d) => d.text.startsWith('【学习讨论记录提醒】'))).toHaveLength(1);
    }
    // The admins' answers: the reminder summary once (passively, or through the API once WeCom was back), and the
    // preview's parts once each, in order.
    const wang = [remindAnswer, ...t.sim.deliveriesTo('dangban-wang').map((d) => d.text)].filter((x) => x?.startsWith('【提醒未提交】'));
    expect(wang).toHaveLength(1);
    const li = t.sim.deliveriesTo('dangban-li').map((d) => d.text);
    expect(previewAnswer).toBeUndefined();
    expect(li[0]).toMatch(/^本周（第3周）推送预览/);
    expect(li.slice(1).map((x) => x.split('（')[0])).toEqual(content.broadcast.targets.map((x) => `【${x.name}】`));

    // Nothing twice: another sweep, a second trigger of the push.
    const delivered = t.sim.deliveries.length;
    t.clock.advance(60_000);
    expect(await t.outbox.sweep()).toMatchObject({ due: 0 });
    expect((await t.broadcaster.run({ week: WEEK })).results.filter((r) => r.outcome === 'sent')).toHaveLength(0);
    expect(t.sim.deliveries).toHaveLength(delivered);
    expect(await say('dangban-wang', '推送状态')).not.toContain('待自动重发');

    // All those failures logged, and not one secret with them (nor in what the ledger keeps).
    const kept = JSON.stringify(await t.store.deliveries.list());
    for (const secret of [TEST_CREDENTIALS.secret, TEST_CREDENTIALS.token, TEST_CREDENTIALS.encodingAesKey, ...Object.values(t.config.robotKeys)]) {
      expect(t.log()).not.toContain(secret);
      expect(kept).not.toContain(secret);
    }
  });
});

describe('errors that retrying cannot heal', () => {
  it('a robot key WeCom refuses is not retried, and 推送状态 says so', async () => {
    const content = await semesterContent();
    t = await startTestApp({ clock: new ManualClock(WED), content, sleep: async () => {} });
    t.sim.faults.push({ api: 'webhook/send', to: t.config.robotKeys.WECOM_ROBOT_KEY_STAFF, errcode: 93000, errmsg: 'invalid webhook url', times: 99 });
    const report = await t.broadcaster.run({ week: WEEK });
    expect(report.results.find((r) => r.target === '管理学院教职工群')).toMatchObject({ outcome: 'failed', errcode: 93000 });
    t.clock.advance(60_000);
    expect(await t.outbox.sweep()).toMatchObject({ due: 0 });
    expect(await say('dangban-wang', '推送状态')).toContain(
      '· 管理学院教职工群：发送失败（错误码 93000：invalid webhook url，已尝试 1 次）。可发送“补发本周推送”重试',
    );
    expect(t.log()).toContain('delivery failed; not retrying');
  });
});

describe('a part that was with WeCom when its sender died', () => {
  it('is not resent by the service by itself; 推送状态 says it may have been delivered; 补发本周推送 resends it', async () => {
    const content = await semesterContent();
    t = await startTestApp({ clock: new ManualClock(WED), content, sleep: async () => {} });
    const staff = content.broadcast.targets.find((x) => x.robot?.keyEnv === 'WECOM_ROBOT_KEY_STAFF')!;
    const job = agendaJob(content, WEEK);
    // What a process killed in the middle of sending leaves: claimed, the part marked in flight, no answer recorded.
    const parts = buildAgenda(content, WEEK, staff);
    await t.store.deliveries.claim(job, staff.name, 'dead-worker', t.clock.now(), 60_000, {
      payload: { route: { via: 'robot', keyEnv: 'WECOM_ROBOT_KEY_STAFF' }, parts },
      retryUntil: t.clock.now() + 3600_000,
    });
    await t.store.deliveries.update(job, staff.name, { inFlight: true, attempts: 1 }, t.clock.now());

    t.clock.advance(11 * 60_000); // the lease is over: the service (re)starts, catches up and sweeps
    const report = await t.broadcaster.run({ week: WEEK });
    expect(report.results.find((r) => r.target === staff.name)).toMatchObject({ outcome: 'failed', maybeDelivered: true });
    await t.outbox.sweep();
    const staffKey = t.config.robotKeys.WECOM_ROBOT_KEY_STAFF;
    expect(t.sim.deliveries.filter((d) => d.to === staffKey)).toHaveLength(0);
    expect(await say('dangban-wang', '推送状态')).toContain(`· ${staff.name}：${UNCERTAIN_TEXT}`);
    expect(t.log()).toContain('delivery interrupted while a part was with WeCom');

    await say('dangban-wang', '补发本周推送');
    await t.bot.idle();
    expect(t.sim.deliveries.filter((d) => d.to === staffKey).map((d) => d.text)).toEqual(
      parts.map((p) => (p.msgtype === 'markdown' ? p.markdown.content : p.text.content)),
    );
    expect(await say('dangban-wang', '推送状态')).toMatch(new RegExp(`· ${staff.name}：已发送`));
  });
});
