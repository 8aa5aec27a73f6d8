import { describe, expect, it } from 'vitest';
import { storeBackends } from '../helpers/store-backends.ts';
import { SUMMARY, at, chat, instances } from './form-chat.ts';

/**
 * The store's conditional save (SubmissionRepository.saveIfRevision) the form relies on so a record is never replaced
 * by someone who has not seen it, on lowdb and on PostgreSQL; and the two confirmations at one instant it is for.
 */
const WED = at('2016-09-21 10:00');
const input = (by: string, key: string) => ({
  groupId: 'staff-teaching',
  session: '2016-09-20',
  submittedBy: by,
  submittedAt: WED,
  fields: { place: by },
  idempotencyKey: key,
});

describe.each(storeBackends)('saveIfRevision ($name)', (backend) => {
  it('saves at the expected revision only; at once, one first save wins; a retried confirmation returns its first result', async () => {
    const { open } = await backend.prepare();
    const store = await open();
    try {
      const first = await Promise.all(
        ['a', 'b', 'c', 'd', 'h', 'i', 'j', 'k', 'l', 'm', 'n', 'o'].map((k) => store.submissions.saveIfRevision(input(k, `k-${k}`), 0)),
      );
      const won = first.filter((r) => 'saved' in r);
      expect(won).toHaveLength(1);
      const winner = (won[0] as { saved: { submittedBy: string; receipt: string } }).saved;
      for (const r of first.filter((x) => 'conflict' in x)) expect(r).toMatchObject({ conflict: { revision: 1, submittedBy: winner.submittedBy } });
      expect(await store.submissions.saveIfRevision(input('e', 'k-e'), 0)).toMatchObject({ conflict: { revision: 1 } });
      expect(await store.submissions.saveIfRevision(input('f', 'k-f'), 1)).toMatchObject({ saved: { revision: 2, submittedBy: 'f', receipt: winner.receipt } });
      expect(await store.submissions.saveIfRevision(input('f', 'k-f'), 1)).toMatchObject({ saved: { revision: 2, submittedBy: 'f' } }); // the same confirmation again
      expect(await store.submissions.saveIfRevision(input('g', 'k-g'), 1)).toMatchObject({ conflict: { revision: 2, submittedBy: 'f' } });
      expect(await store.submissions.get('staff-teaching', '2016-09-20')).toMatchObject({ revision: 2, fields: { place: 'f' }, history: [{ revision: 1 }] });
    } finally {
      await store.close();
    }
  });

  it('two secretaries of one group confirm at the same moment (two instances): one is saved, the other told', async () => {
    const [a, b] = await instances(backend, WED);
    const lisi = chat(a, 'lisi');
    const zhangsan = chat(b, 'zhangsan');
    await lisi('提交记录');
    for (const t of ['好', '好', '行政楼302', '10人', '无', '好', '1', SUMMARY, '完成', '好']) await lisi(t);
    await zhangsan('提交记录');
    for (const t of ['2', '好', '好', '会议室A', '9人', '无', '好', '2', SUMMARY, '完成', '好']) await zhangsan(t);
    const [r1, r2] = await Promise.all([lisi('确认'), zhangsan('确认')]);
    const replies = [r1, r2];
    expect(replies.filter((r) => r.includes('提交成功！'))).toHaveLength(1);
    expect(replies.filter((r) => r.includes('这次没有保存。'))).toHaveLength(1);
    const saved = (await a.store.submissions.get('staff-teaching', '2016-09-20'))!;
    expect(saved.revision).toBe(1);
    expect(saved.fields.place).toBe(r1.includes('提交成功') ? '行政楼302' : '会议室A');
  });
});
