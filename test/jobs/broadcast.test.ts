import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/clock.ts';
import { buildAgenda } from '../../src/jobs/agenda.ts';
import { RecordPolicy } from '../../src/records/index.ts';
import { describeCron } from '../../src/jobs/agenda-scheduler.ts';
import { Broadcaster } from '../../src/jobs/broadcaster.ts';
import { createLogger } from '../../src/logger.ts';
import { NOT_ADMIN, parseBroadcastCommand } from '../../handlers/broadcast-admin.ts';
import { semesterContent } from '../helpers/content.ts';
import { TEST_ENV, startTestApp } from '../helpers/test-app.ts';

// Monday 12 September 2016, 08:00 in Shanghai, is 00:00 UTC: the process here runs in UTC.
const MONDAY_8AM = Date.parse('2016-09-12T00:00:00Z');
const STAFF_KEY = TEST_ENV.WECOM_ROBOT_KEY_STAFF;
const STUDENT_KEY = TEST_ENV.WECOM_ROBOT_KEY_STUDENTS;

let t: Awaited<ReturnType<typeof startTestApp>> | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

async function app(now = MONDAY_8AM) {
  t = await startTestApp({ clock: new ManualClock(now), content: await semesterContent() });
  return t;
}

/** A second broadcaster over the same store and WeCom, as a second instance of the service would have. */
function secondInstance(a: NonNullable<typeof t>, sleeps: number[] = []) {
  return new Broadcaster({
    content: a.content,
    store: a.store,
    client: a.client,
    clock: a.clock,
    logger: createLogger('silent'),
    robotKeys: a.config.robotKeys,
    worker: 'second-instance',
    sleep: async (ms) => void sleeps.push(ms),
  });
}

const robotTexts = (a: NonNullable<typeof t>, key: string) => a.sim.deliveries.filter((d) => d.api === 'webhook/send' && d.to === key).map((d) => d.text);

describe('the weekly agenda message', () => {
  it('week 2: every entry with date, weekday, activity, organisers and notes, the themes, and no record reminder', async () => {
    const content = await semesterContent();
    const staff = content.broadcast.targets.find((x) => x.name === '管理学院教职工群')!;
    const [msg, ...more] = buildAgenda(content, 2, staff);
    expect(more).toEqual([]);
    expect(msg!.msgtype).toBe('markdown');
    const text = msg!.msgtype === 'markdown' ? msg!.markdown.content : '';
    expect(text).toContain('### 第2周学习安排（9月12日—9月18日）');
    expect(text).toContain('**9月12日 星期一** 升旗仪式\n组织者：外语与旅游学院、党委宣传部');
    expect(text).toContain('**9月13日 星期二** 党员学习（见组织部通知）\n组织者：各二级党组织');
    expect(text).toContain('专题一：深化贯彻落实教育部“七项规定” 做守法诚信的合格教师');
    expect(text).toContain('请各学习组组长提前通知本组成员。');
    expect(text).not.toContain('学习讨论记录');
    expect(Buffer.byteLength(text)).toBeLessThanOrEqual(4096);
  });

  it('week 3 reminds to hand in the discussion record; a target limited to some activities gets only those; text targets get text', async () => {
    const content = await semesterContent();
    const [staff, students, committee] = content.broadcast.targets;
    const week3 = buildAgenda(content, 3, staff!)[0]!;
    expect(week3.msgtype === 'markdown' && week3.markdown.content).toContain(`<font color="warning">${RecordPolicy.of(content).notice('staff')}`);
    const studentWeek2 = buildAgenda(content, 2, students!)[0]!;
    const studentText = studentWeek2.msgtype === 'markdown' ? studentWeek2.markdown.content : '';
    expect(studentText).toContain('升旗仪式');
    expect(studentText).not.toContain('党员学习');
    expect(buildAgenda(content, 1, students!)).toEqual([]); // week 1 has only 业务学习活动
    const text = buildAgenda(content, 2, committee!)[0]!;
    expect(text.msgtype).toBe('text');
    expect(text.msgtype === 'text' && text.text.content).toContain('【第2周学习安排（9月12日—9月18日）】');
  });

  it('a week without activities sends nothing', async () => {
    const content = await semesterContent();
    for (const target of content.broadcast.targets) expect(buildAgenda(content, 9, target)).toEqual([]);
  });
});

describe('broadcast, exactly once', () => {
  it('sends week 2 to every target through the real WeCom calls, and a second run sends nothing', async () => {
    const a = await app();
    const first = await a.broadcaster.run({ week: 2 });
    expect(first.results.map((r) => [r.target, r.outcome])).toEqual([
      ['管理学院教职工群', 'sent'],
      ['管理学院学生学习组群', 'sent'],
      ['党总支委员', 'sent'],
    ]);
    expect(robotTexts(a, STAFF_KEY)).toHaveLength(1);
    expect(robotTexts(a, STAFF_KEY)[0]).toContain('9月13日 星期二** 党员学习（见组织部通知）');
    expect(robotTexts(a, STUDENT_KEY)).toHaveLength(1);
    const members = a.sim.deliveries.filter((d) => d.api === 'message/send');
    expect(members.map((d) => [d.to, d.msgtype])).toEqual([['1', 'text']]);
    expect(members[0]!.body).toMatchObject({ totag: '1', enable_duplicate_check: 1, duplicate_check_interval: 14400 });

    const second = await a.broadcaster.run({ week: 2 });
    expect(second.results.every((r) => r.outcome === 'already_sent')).toBe(true);
    expect(a.sim.deliveries).toHaveLength(3);
  });

  it('two triggers at once (two instances on one store) deliver once per target', async () => {
    const a = await app();
    const [r1, r2] = await Promise.all([a.broadcaster.run({ week: 2 }), secondInstance(a).run({ week: 2 })]);
    const outcomes = [...r1.results, ...r2.results].map((r) => r.outcome).sort();
    expect(outcomes.filter((o) => o === 'sent')).toHaveLength(3);
    expect(robotTexts(a, STAFF_KEY)).toHaveLength(1);
    expect(robotTexts(a, STUDENT_KEY)).toHaveLength(1);
    expect(a.sim.deliveries).toHaveLength(3);
  });

  it('one failing target is retried with backoff while the others are delivered; 45009 backs off and then succeeds', async () => {
    const a = await app();
    const sleeps: number[] = [];
    // The staff robot answers 45009 six times (more than the client's own four attempts), then accepts.
    a.sim.faults.push({ api: 'webhook/send', to: STAFF_KEY, errcode: 45009, times: 6 });
    const report = await secondInstance(a, sleeps).run({ week: 2 });
    expect(report.results.find((r) => r.target === '管理学院教职工群')).toMatchObject({ outcome: 'sent', attempts: 2 });
    expect(report.results.filter((r) => r.outcome === 'sent')).toHaveLength(3);
    expect(sleeps.length).toBeGreaterThanOrEqual(1); // the broadcaster's own backoff between attempts
    expect(robotTexts(a, STAFF_KEY)).toHaveLength(1);
  });

  it('a target that keeps failing is reported failed with its errcode, in 推送状态 too, and the others are delivered', async () => {
    const a = await app();
    a.sim.faults.push({ api: 'webhook/send', to: STUDENT_KEY, errcode: 93000, errmsg: 'invalid webhook url', times: 99 });
    const report = await secondInstance(a).run({ week: 2 });
    expect(report.results.find((r) => r.target === '管理学院学生学习组群')).toMatchObject({ outcome: 'failed', errcode: 93000, attempts: 1 });
    expect(report.results.filter((r) => r.outcome === 'sent')).toHaveLength(2);
    const status = await a.wecomSide.sendText('dangban-wang', '推送状态');
    expect(status.passiveReply).toContain('管理学院学生学习组群：发送失败（错误码 93000');
    expect(status.passiveReply).toContain('管理学院教职工群：已发送（9月12日 08:00）');
    // Fixed and sent again: only the failed target gets it.
    a.sim.faults.length = 0;
    const again = await a.broadcaster.run({ week: 2 });
    expect(again.results.map((r) => r.outcome)).toEqual(['already_sent', 'sent', 'already_sent']);
    expect(a.sim.deliveries).toHaveLength(3);
  });

  it('an app group chat WeCom does not know (appchat/send reaches only chats the app created) is said so in one line with the fix', async () => {
    const base = await semesterContent();
    const { Content } = await import('../../src/content/content.ts');
    const target = { ...base.broadcast.targets[0]!, name: '教工老群', robot: undefined, appchat: { chatid: 'wrOldGroup' } };
    const content = new Content(
      base.plan,
      base.schedule,
      base.documents,
      { ...base.broadcast, targets: [...base.broadcast.targets, target] as typeof base.broadcast.targets },
      base.roster,
    );
    t = await startTestApp({ clock: new ManualClock(MONDAY_8AM), content });
    t.sim.faults.push({ api: 'appchat/send', to: 'wrOldGroup', errcode: 86003, errmsg: 'chat not exist', times: 99 });
    await t.broadcaster.run({ week: 2 });
    const status =
      (await t.wecomSide.sendText('dangban-wang', '推送状态')).passiveReply ??
      (await t.bot.idle(),
      t.sim
        .deliveriesTo('dangban-wang')
        .map((d) => d.text)
        .join('\n'));
    expect(status).toContain('教工老群：发送失败：企业微信找不到这个群聊（错误码 86003）。应用群聊只能发到本应用创建的群；已有的群请在群里添加群机器人');
    expect(status).toContain('“应用群聊”只能发到本应用自己创建的群聊');
  });

  it('live with a robot key variable unset: starts anyway, says so loudly, in /healthz and 推送状态; the others are delivered', async () => {
    t = await startTestApp({ clock: new ManualClock(MONDAY_8AM), content: await semesterContent(), env: { WECOM_ROBOT_KEY_STUDENTS: '' } });
    const a = t;
    expect(a.log()).toMatch(/"level":50.*"target":"管理学院学生学习组群","keyEnv":"WECOM_ROBOT_KEY_STUDENTS".*TARGET UNCONFIGURED/);
    const health = await a.app.inject({ url: '/healthz' });
    expect(health.statusCode).toBe(200);
    expect(health.json().broadcast).toEqual({ unconfiguredTargets: [{ target: '管理学院学生学习组群', keyEnv: 'WECOM_ROBOT_KEY_STUDENTS' }] });
    // Questions still work.
    expect((await a.wecomSide.sendText('zhangsan', '本周安排')).passiveReply).toContain('升旗仪式');
    const report = await a.broadcaster.run({ week: 2 });
    expect(report.results.map((r) => [r.target, r.outcome])).toEqual([
      ['管理学院教职工群', 'sent'],
      ['管理学院学生学习组群', 'unconfigured'],
      ['党总支委员', 'sent'],
    ]);
    expect(a.sim.deliveries).toHaveLength(2);
    const status = (await a.wecomSide.sendText('dangban-wang', '推送状态')).passiveReply;
    expect(status).toContain('· 管理学院学生学习组群：未配置群机器人，不会推送（环境变量 WECOM_ROBOT_KEY_STUDENTS 未设置；设置后重启服务即可）');
    expect(status).toContain('· 管理学院教职工群：已发送（9月12日 08:00）');
    // Nothing was queued for it: the outbox has nothing to retry while the key is missing.
    expect((await a.store.deliveries.list('agenda:')).map((d) => d.target).sort()).toEqual(['党总支委员', '管理学院教职工群']);
  });

  it('a dry run sends nothing and records nothing; --force resends deliberately and says so', async () => {
    const a = await app();
    const dry = await a.broadcaster.run({ week: 2, dryRun: true });
    expect(dry.results.map((r) => r.outcome)).toEqual(['dry_run', 'dry_run', 'dry_run']);
    expect(a.sim.deliveries).toHaveLength(0);
    expect(await a.store.deliveries.list()).toEqual([]);
    await a.broadcaster.run({ week: 2 });
    const forced = await a.broadcaster.run({ week: 2, target: '管理学院教职工群', force: true });
    expect(forced.results).toMatchObject([{ target: '管理学院教职工群', outcome: 'sent' }]);
    expect(robotTexts(a, STAFF_KEY)).toHaveLength(2);
    expect((await a.store.deliveries.get(forced.job, '管理学院教职工群'))?.forcedResends).toBe(1);
    expect(a.log()).toContain('deliberate resend');
  });
});

describe('the schedule in Asia/Shanghai', () => {
  it('fires at Monday 08:00 Shanghai time (00:00 UTC), not at 08:00 UTC', async () => {
    const a = await app();
    expect(a.scheduler.matches(MONDAY_8AM)).toBe(true);
    expect(a.scheduler.matches(Date.parse('2016-09-12T08:00:00Z'))).toBe(false);
    expect(a.scheduler.matches(Date.parse('2016-09-11T08:00:00Z'))).toBe(false);
    const report = await a.scheduler.fire(MONDAY_8AM);
    expect(report?.week).toBe(2);
  });

  it('catches up a push missed while the service was down, once', async () => {
    const a = await app(Date.parse('2016-09-13T03:00:00Z')); // Tuesday 11:00 in Shanghai, 27 h late
    expect(a.scheduler.missedFireTime(a.clock.now())).toBe(MONDAY_8AM);
    const first = await a.scheduler.start();
    expect(first?.results.filter((r) => r.outcome === 'sent')).toHaveLength(3);
    await a.scheduler.stop();
    const again = await a.scheduler.start(); // a restart the same day
    expect(again?.results.every((r) => r.outcome === 'already_sent')).toBe(true);
    expect(a.sim.deliveries).toHaveLength(3);
  });

  it('does not catch up outside the window', async () => {
    const a = await app(Date.parse('2016-09-15T03:00:00Z')); // Thursday, 75 h after Monday 08:00 (window 48 h)
    expect(a.scheduler.missedFireTime(a.clock.now())).toBeUndefined();
    expect(await a.scheduler.start()).toBeUndefined();
    expect(a.sim.deliveries).toHaveLength(0);
  });
});

describe('operator controls in chat', () => {
  it('an admin previews exactly what will be sent; nothing is sent', async () => {
    const a = await app(Date.parse('2016-09-10T02:00:00Z')); // Saturday of week 1
    await a.wecomSide.sendText('dangban-wang', '预览下周推送');
    await a.bot.idle();
    const texts = a.sim
      .deliveriesTo('dangban-wang')
      .map((d) => d.text)
      .join('\n');
    // The push time in words from the content's cron expression, and the semester week.
    expect(texts).toContain('第2周推送预览（9月12日—9月18日，共 3 个推送对象，每周一 8:00（北京时间）发送）：');
    expect(texts).not.toContain('0 8 * * 1');
    expect(texts).toContain('【管理学院教职工群】（群机器人）');
    expect(texts).toContain('党员学习（见组织部通知）');
    expect(texts).toContain('【党总支委员】（应用消息）');
    expect(a.sim.deliveries.filter((d) => d.api === 'webhook/send')).toHaveLength(0);
  });

  it('understands the week before or after the command (第2周推送状态 / 推送状态 第2周, 第3周推送预览)', async () => {
    const content = await semesterContent();
    const today = '2016-09-14'; // week 2
    for (const [text, cmd] of [
      ['推送状态 第2周', { kind: 'status', week: 2 }],
      ['第2周推送状态', { kind: 'status', week: 2 }],
      ['第二周的推送状态？', { kind: 'status', week: 2 }],
      ['推送状态', { kind: 'status', week: undefined }],
      ['本周推送状态', { kind: 'status', week: 2, thisWeek: true }],
      ['预览第3周推送', { kind: 'preview', week: 3 }],
      ['第3周推送预览', { kind: 'preview', week: 3 }],
      ['下周推送预览', { kind: 'preview', week: 3 }],
      ['预览本周推送', { kind: 'preview', week: 2, thisWeek: true }],
      ['补发本周推送', { kind: 'send', week: 2, thisWeek: true }],
      ['第2周推送补发', { kind: 'send', week: 2 }],
    ] as const) {
      expect(parseBroadcastCommand(text, content, today), text).toEqual(cmd);
    }
    for (const text of ['推送', '第2周', '预览', '状态第2周', '第2周第3周推送状态', '推送状态好'])
      expect(parseBroadcastCommand(text, content, today), text).toBeUndefined();
  });

  it('says 本周不在本学期 rather than a week number outside the plan (the demo without BOT_NOW)', async () => {
    const a = await app(Date.parse('2026-11-27T02:00:00Z'));
    expect((await a.wecomSide.sendText('dangban-wang', '预览本周推送')).passiveReply).toBe(
      '本周不在本学期（本学期为第1—4周，9月5日—10月2日）。可发送“预览第1周推送”等查看学期内某一周的推送。',
    );
    const status = (await a.wecomSide.sendText('dangban-wang', '推送状态')).passiveReply!;
    expect(status).toContain('本周不在本学期');
    expect(status).not.toMatch(/第\d{3}周/);
    expect((await a.wecomSide.sendText('dangban-wang', '第9周推送状态')).passiveReply).toBe('推送状态：第9周不在本学期（本学期为第1—4周，9月5日—10月2日）。');
    expect((await a.wecomSide.sendText('dangban-wang', '补发本周推送')).passiveReply).toContain('没有可补发的推送');
    expect(a.sim.deliveries.filter((d) => d.api === 'webhook/send')).toHaveLength(0);
  });

  it('预览第3周推送 and 补发本周推送 work for admins; anyone else is politely refused', async () => {
    const a = await app();
    await a.wecomSide.sendText('dangban-li', '预览第3周推送');
    await a.bot.idle();
    expect(
      a.sim
        .deliveriesTo('dangban-li')
        .map((d) => d.text)
        .join('\n'),
    ).toContain('政治理论学习');
    for (const cmd of ['预览本周推送', '推送状态', '补发本周推送']) {
      expect((await a.wecomSide.sendText('zhangsan', cmd)).passiveReply).toBe(NOT_ADMIN);
    }
    expect(a.sim.deliveries.filter((d) => d.api === 'webhook/send')).toHaveLength(0);
    const sent = await a.wecomSide.sendText('dangban-wang', '补发本周推送');
    expect(sent.passiveReply).toContain('管理学院教职工群：已发送');
    const again = await a.wecomSide.sendText('dangban-wang', '补发本周推送');
    expect(again.passiveReply).toContain('管理学院教职工群：此前已发送，未重复发送');
  });
});

describe('the push time in words', () => {
  it.each([
    ['0 8 * * 1', '每周一 8:00（北京时间）'],
    ['30 7 * * 0', '每周日 7:30（北京时间）'],
    ['0 18 * * 1,3,5', '每周一、三、五 18:00（北京时间）'],
    ['5 9 * * 1-5', '每周一至周五 9:05（北京时间）'],
    ['0 9 * * *', '每天 9:00（北京时间）'],
    ['0 8 1 * *', '按“0 8 1 * *”（北京时间）'],
  ])('%s → %s', (cron, text) => expect(describeCron(cron)).toBe(text));
});
