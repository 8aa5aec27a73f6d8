import { describe, expect, it } from 'vitest';
import { APOLOGY } from '../../src/bot/bot.ts';
import { ManualClock } from '../../src/clock.ts';
import { LowdbStore } from '../../src/storage/lowdb-store.ts';
import type { Store } from '../../src/storage/ports.ts';
import { semesterContent } from '../helpers/content.ts';
import { freshPostgresStore, postgresAvailable } from '../helpers/postgres.ts';
import { askApp, startTestApp } from '../helpers/test-app.ts';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/**
 * Issue 23, finding 3: at 确认 the record was saved (revision 135) but writing the form state failed; the user was told
 * "出了点问题" and the next 确认 offered to save again as revision 136. Faults are injected at the store port, on each
 * store, at the three places a confirmation can be cut: the form state's write refused after the save, the form
 * state written but its answer lost (a connection dropped after the commit), and the save itself answered with an
 * error after it committed. In every case the user gets the receipt, the next 确认 answers with the same receipt,
 * and there is one revision.
 */
const WED = Date.parse('2016-09-21T02:00:00Z');
const SUMMARY = '同学们结合专业学习实际，围绕诚信与信用体系建设展开了讨论，认为青年学生应当从按时还款、诚信考试做起。';

type Fault = 'state write refused' | 'state written, answer lost' | 'save committed, answer lost';

/** The store with one fault, armed at 确认 (`arm()`), striking once. */
function faulty(store: Store, fault: Fault) {
  let armed = false;
  let struck = 0;
  const boom = () => Object.assign(new Error('Connection terminated unexpectedly (injected)'), { code: '57P01' });
  const put = store.forms.put.bind(store.forms);
  store.forms.put = async (user, state, expected) => {
    if (armed && state.confirmedBy !== undefined && fault !== 'save committed, answer lost') {
      armed = false;
      struck++;
      if (fault === 'state written, answer lost') await put(user, state, expected);
      throw boom();
    }
    return put(user, state, expected);
  };
  const saveIf = store.submissions.saveIfRevision.bind(store.submissions);
  store.submissions.saveIfRevision = async (input, expected) => {
    const r = await saveIf(input, expected);
    if (armed && fault === 'save committed, answer lost') {
      armed = false;
      struck++;
      throw boom();
    }
    return r;
  };
  return { store, arm: () => (armed = true), struck: () => struck };
}

const backends: Array<[string, () => Promise<Store>]> = [
  ['lowdb', () => LowdbStore.open(mkdtempSync(path.join(tmpdir(), 'receipt-')))],
  ...(postgresAvailable ? ([['PostgreSQL', () => freshPostgresStore()]] as Array<[string, () => Promise<Store>]>) : []),
];
const faults: Fault[] = ['state write refused', 'state written, answer lost', 'save committed, answer lost'];

describe.each(backends)('a confirmation cut by a store fault (%s)', (_name, open) => {
  it.each(faults)('%s: the receipt is the truth', { timeout: 30_000 }, async (fault) => {
    const f = faulty(await open(), fault);
    const t = await startTestApp({ clock: new ManualClock(WED), content: await semesterContent(), store: f.store });
    try {
      for (const text of ['提交记录', '好', '好', '行政楼 302 会议室', '12人：王五、赵六', '跳过', '好', '1、2', SUMMARY, '完成', '好'])
        await askApp(t, 'wangwu', text);
      f.arm();
      const first = await askApp(t, 'wangwu', '确认');
      expect(f.struck()).toBe(1);
      expect(first).not.toContain(APOLOGY);
      expect(first).not.toContain('出了点问题');
      const receipt = /回执编号：(JL-20160920-\d{3})/.exec(first)?.[1];
      expect(receipt, first).toBeDefined();

      // The user sends 确认 again (a new message): the saved record's receipt, not an offer to save it again.
      const again = await askApp(t, 'wangwu', '确认');
      expect(again).toContain(`回执编号：${receipt}`);
      expect(again).not.toMatch(/第 2 版|已有记录|这次没有保存/);
      const saved = await f.store.submissions.get('student-accounting', '2016-09-20');
      expect(saved?.revision).toBe(1);
      expect(saved?.receipt).toBe(receipt);

      // And the user can go on: the next message is an ordinary one.
      expect(await askApp(t, 'wangwu', '我的记录')).toContain(receipt!);
      expect((await f.store.submissions.get('student-accounting', '2016-09-20'))?.revision).toBe(1);
    } finally {
      await t.close();
    }
  });
});
