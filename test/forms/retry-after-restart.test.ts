import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/clock.ts';
import { LowdbStore } from '../../src/storage/lowdb-store.ts';
import type { Store } from '../../src/storage/ports.ts';
import { semesterContent } from '../helpers/content.ts';
import { freshPostgresStore, freshSchema, postgresAvailable } from '../helpers/postgres.ts';
import { startTestApp } from '../helpers/test-app.ts';
import { startAibotApp } from '../helpers/aibot-side.ts';

/**
 * WeCom retries a callback it got no answer for, with the same MsgId. After a crash the lowdb service has forgotten
 * its dedupe ledger (it is in memory), so the retry reaches the form again (issue 14): it must be applied once (a
 * summary paragraph not appended twice), and a retried 确认 after a crash between saving and replying must get the
 * receipt.
 */
const WED = Date.parse('2016-09-21T02:00:00Z');
const SUMMARY_1 = '同学们结合专业学习实际，围绕诚信与信用体系建设展开了讨论，';

let apps: Array<Awaited<ReturnType<typeof startTestApp>>> = [];
const crashed = new Set<unknown>();
afterEach(async () => {
  // A "crashed" service is never closed (its handler never returns); only its simulated WeCom is stopped.
  for (const a of apps) await (crashed.has(a) ? a.sim.stop() : a.close()).catch(() => {});
  apps = [];
});

/** A service on the folder; "crashing" it leaves it unclosed (nothing flushed, no reply sent), as SIGKILL would. */
async function service(dir: string, wrap: (s: Store) => Store = (s) => s) {
  // dir: a lowdb folder, or "pg:<schema>" for a PostgreSQL schema.
  const store = dir.startsWith('pg:') ? await freshPostgresStore(dir.slice(3)) : await LowdbStore.open(dir);
  const a = await startTestApp({ clock: new ManualClock(WED), content: await semesterContent(), store: wrap(store) });
  apps.push(a);
  return a;
}

async function toConfirm(a: Awaited<ReturnType<typeof service>>, user: string) {
  for (const text of ['提交记录', '好', '好', '行政楼 302 会议室', '12人：王五、赵六', '赵七（生病）', '好', '1、2', SUMMARY_1])
    await a.wecomSide.sendText(user, text);
}

describe('a WeCom retry after a restart (lowdb)', () => {
  it('of a summary paragraph is applied once', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'retry-'));
    const first = await service(dir);
    await toConfirm(first, 'wangwu');
    const msgId = first.wecomSide.nextMsgId();
    await first.wecomSide.sendText('wangwu', '认为青年学生应当从按时还款做起。', msgId);
    const second = await service(dir); // restarted: the in-memory dedupe ledger is empty
    await second.wecomSide.sendText('wangwu', '认为青年学生应当从按时还款做起。', msgId);
    const state = await second.store.forms.get('wangwu');
    expect(state?.buffer?.match(/按时还款/g)).toHaveLength(1);
  });

  it('of 确认, after a crash between saving (record and form state) and replying, gets the receipt; no second revision', () =>
    confirmRetry(mkdtempSync(path.join(tmpdir(), 'retry-'))));

  it('of several summary lines is applied once each (issue 23: the summary became 1, 2, 1, 2)', () => linesRetried(mkdtempSync(path.join(tmpdir(), 'retry-'))));
});

describe.skipIf(!postgresAvailable)("a WeCom retry after a restart, once the dead worker's claims have lapsed (PostgreSQL)", () => {
  it('of several summary lines is applied once each', { timeout: 30_000 }, () => linesRetried(`pg:${freshSchema()}`));
});

/**
 * Two (then three) summary lines, the service restarted, WeCom retries them all with their MsgIds, in order and out of
 * order: each line is in the summary once. On PostgreSQL the dedupe ledger is shared, so the retries reach the form
 * only when the claims of a worker that died mid-message have lapsed: simulated by forgetting the ledger's keys.
 */
async function linesRetried(dir: string) {
  const lines = ['第一段：认为青年学生应当从按时还款做起。', '第二段：诚信考试是信用的起点。', '第三段：要把诚信落实到日常行为中。'];
  const first = await service(dir);
  await toConfirm(first, 'wangwu');
  const ids: string[] = [];
  for (const line of lines) {
    const id = first.wecomSide.nextMsgId();
    ids.push(id);
    expect((await first.wecomSide.sendText('wangwu', line, id)).passiveReply).toContain('已记下');
  }
  await first.close();
  const second = await service(dir); // restarted: the lowdb ledger (in memory) is empty
  if (dir.startsWith('pg:')) await second.store.dedupe.prune(Number.MAX_SAFE_INTEGER); // the dead worker's claims lapsed
  for (const i of [0, 1, 2, 1, 0]) {
    const retry = await second.wecomSide.sendText('wangwu', lines[i]!, ids[i]);
    expect(retry.status).toBe(200);
    if (dir.startsWith('pg:')) await second.store.dedupe.prune(Number.MAX_SAFE_INTEGER);
  }
  const state = await second.store.forms.get('wangwu');
  for (const line of lines) expect(state?.buffer?.split(line).length, line).toBe(2);
  expect(state?.buffer?.startsWith(SUMMARY_1)).toBe(true);
  // A new line (a new MsgId) still goes in.
  await second.wecomSide.sendText('wangwu', '第四段：总结。');
  expect((await second.store.forms.get('wangwu'))?.buffer?.endsWith('第四段：总结。')).toBe(true);
}

describe.skipIf(!postgresAvailable)('a WeCom retry after a restart (PostgreSQL)', () => {
  it('of 确认 is answered "busy" while the dead worker\'s claim holds, then gets the receipt; no second revision', { timeout: 30_000 }, () =>
    confirmRetry(`pg:${freshSchema()}`),
  );
});

async function confirmRetry(dir: string) {
  {
    let crash = true;
    // The record is saved and the form's own state written after it, then the process dies before the reply leaves.
    const first = await service(dir, (s) => {
      let saved = false;
      const hangAfter =
        <A extends unknown[], R>(f: (...a: A) => Promise<R>) =>
        async (...a: A): Promise<R> => {
          const r = await f(...a);
          if (crash && saved) await new Promise(() => {}); // never returns: the process is gone
          return r;
        };
      const save = s.submissions.save.bind(s.submissions);
      s.submissions.save = async (input) => {
        const r = await save(input);
        saved = true;
        return r;
      };
      // The form saves through the revision-checked save (a record replaced by someone else is never overwritten).
      const saveIf = s.submissions.saveIfRevision.bind(s.submissions);
      s.submissions.saveIfRevision = async (input, expected) => {
        const r = await saveIf(input, expected);
        saved = true;
        return r;
      };
      s.forms.put = hangAfter(s.forms.put.bind(s.forms));
      s.forms.delete = hangAfter(s.forms.delete.bind(s.forms));
      return s;
    });
    await toConfirm(first, 'wangwu');
    await first.wecomSide.sendText('wangwu', '认为青年学生应当从按时还款、诚信考试做起，树立信用意识。');
    await first.wecomSide.sendText('wangwu', '完成');
    await first.wecomSide.sendText('wangwu', '好'); // the recorder
    const msgId = first.wecomSide.nextMsgId();
    const lost = await first.wecomSide.sendText('wangwu', '确认', msgId);
    expect(lost.passiveReply).toBeUndefined(); // no receipt went out
    crash = false;
    crashed.add(first);

    const second = await service(dir);
    let retry = await second.wecomSide.sendText('wangwu', '确认', msgId);
    if (dir.startsWith('pg:')) {
      // The ledger is shared and remembers the dead worker's claim: "busy" (not an empty 200, which would end WeCom's
      // retries), and WeCom's next retry, after the claim's lease, is answered.
      expect(retry.status).toBe(503);
      second.clock.advance(11_000);
      retry = await second.wecomSide.sendText('wangwu', '确认', msgId);
    }
    await second.bot.idle();
    const answers = [retry.passiveReply ?? '', ...second.sim.deliveriesTo('wangwu').map((d) => d.text)].join('\n');
    expect(answers).toMatch(/回执编号：JL-20160920-\d{3}/);
    expect((await second.store.submissions.get('student-accounting', '2016-09-20'))?.revision ?? (await second.store.submissions.list())[0]?.revision).toBe(1);
    // The next message is an ordinary one: the marker does not linger as a form in progress.
    expect((await second.wecomSide.sendText('wangwu', '提交记录')).passiveReply).toContain('开始填写');
  }
}

describe('a 智能机器人 retry after a restart (lowdb)', () => {
  it('of summary lines in the one-to-one chat is applied once each (by msgid)', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'retry-aibot-'));
    const open = async () => {
      const s = await startAibotApp({ clock: new ManualClock(WED), store: await LowdbStore.open(dir) });
      apps.push(s.app);
      return s;
    };
    const say = (s: Awaited<ReturnType<typeof open>>, text: string, msgid = `m-${Math.random()}`) =>
      s.post({ msgid, aibotid: 'AIBOT', chattype: 'single', from: { userid: 'wangwu' }, msgtype: 'text', text: { content: text } });
    const first = await open();
    for (const text of ['提交记录', '好', '好', '行政楼 302 会议室', '12人：王五、赵六', '赵七（生病）', '好', '1、2', SUMMARY_1]) await say(first, text);
    const lines = ['第一段：认为青年学生应当从按时还款做起。', '第二段：诚信考试是信用的起点。'];
    for (const [i, line] of lines.entries()) expect((await say(first, line, `line-${i}`)).reply?.stream?.content).toContain('已记下');
    await first.app.close();
    apps.pop();
    const second = await open(); // restarted: the ledger of msgids (in memory on lowdb) is empty
    for (const i of [0, 1, 0]) expect((await say(second, lines[i]!, `line-${i}`)).status).toBe(200);
    const buffer = (await second.app.store.forms.get('wangwu'))?.buffer ?? '';
    for (const line of lines) expect(buffer.split(line).length, line).toBe(2);
  });
});
