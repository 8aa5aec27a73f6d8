import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { GroupCommit } from '../../src/storage/group-commit.ts';
import { LowdbStore } from '../../src/storage/lowdb-store.ts';
import { MemoryDedupe } from '../../src/storage/memory-dedupe.ts';

describe('lowdb store', () => {
  it('creates its data folder and reports itself reachable', async () => {
    const dir = path.join(mkdtempSync(path.join(tmpdir(), 'store-')), 'nested', 'data');
    const store = await LowdbStore.open(dir);
    expect(store.kind).toBe('lowdb');
    expect(await store.ping()).toBe(true);
    await store.close();
  });

  it('refuses a corrupt data file at start-up, naming the file', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'store-'));
    writeFileSync(path.join(dir, 'db.json'), '{"schemaVersion": 1,');
    await expect(LowdbStore.open(dir)).rejects.toThrow(/db\.json: 数据文件无法读取/);
  });
});

describe('group commit', () => {
  it('shares one write among commits requested while a write runs, and each caller waits for a write after its change', async () => {
    let writes = 0;
    let release!: () => void;
    const gate = () => new Promise<void>((r) => (release = r));
    const g = new GroupCommit(async () => {
      writes++;
      await gate();
    });
    const first = g.commit();
    const waiting = [g.commit(), g.commit(), g.commit()];
    expect(writes).toBe(1);
    release();
    await first;
    await Promise.resolve();
    await new Promise((r) => setImmediate(r));
    expect(writes).toBe(2);
    release();
    await Promise.all(waiting);
    expect(writes).toBe(2);
  });
});

describe('memory dedupe ledger', () => {
  it('claims once, reports in-progress within the lease and done with its outcome, re-claims an abandoned claim, prunes old keys', async () => {
    const d = new MemoryDedupe();
    expect(await d.claim('k', 0, 1000)).toEqual({ status: 'new' });
    expect(await d.claim('k', 500, 1000)).toEqual({ status: 'in_progress' });
    expect(await d.claim('k', 1500, 1000)).toEqual({ status: 'new' }); // the first worker died
    await d.complete('k', { passiveReplyXml: '<xml/>' }, 1600);
    expect(await d.claim('k', 1700, 1000)).toEqual({ status: 'done', outcome: { passiveReplyXml: '<xml/>' } });
    await d.claim('later', 5000, 1000);
    expect(await d.prune(2000)).toBe(1);
    expect(d.size).toBe(1);
  });

  it('keeps a reply for retries for a minute, then only the key: a late replay is still not handled again', async () => {
    const d = new MemoryDedupe();
    await d.claim('m1', 0, 1000);
    await d.complete('m1', { passiveReplyXml: '<xml>答</xml>' }, 10);
    expect(await d.claim('m1', 14_000, 1000)).toEqual({ status: 'done', outcome: { passiveReplyXml: '<xml>答</xml>' } });
    await d.claim('other', 70_000, 1000); // claims prune now and then
    expect(await d.claim('m1', 71_000, 1000)).toEqual({ status: 'done', outcome: {} });
    await d.claim('another', 11 * 60_000, 1000);
    expect(await d.claim('m1', 11 * 60_000 + 1, 1000)).toEqual({ status: 'new' });
  });
});

describe('submissions on disk', () => {
  it('concurrent first saves into a new month share one file and lose nothing', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'store-'));
    const store = await LowdbStore.open(dir);
    await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        store.submissions.save({ groupId: `g${i}`, session: '2016-09-20', submittedBy: 'u', submittedAt: i, fields: { n: i }, idempotencyKey: `m${i}` }),
      ),
    );
    await store.close();
    const reopened = await LowdbStore.open(dir);
    expect(await reopened.submissions.list({ sessions: ['2016-09-20'] })).toHaveLength(50);
    const receipts = new Set((await reopened.submissions.list()).map((s) => s.receipt));
    expect(receipts.size).toBe(50);
    await reopened.close();
  });

  it('a retried confirmation (same message) does not make a second revision', async () => {
    const store = await LowdbStore.memory();
    const input = { groupId: 'g', session: '2016-09-20', submittedBy: 'u', submittedAt: 1, fields: {}, idempotencyKey: 'msg-1' };
    const a = await store.submissions.save(input);
    const b = await store.submissions.save(input);
    expect(b).toEqual(a);
    expect((await store.submissions.get('g', '2016-09-20'))!.revision).toBe(1);
  });
});
