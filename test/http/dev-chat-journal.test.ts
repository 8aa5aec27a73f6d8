import { appendFileSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DevChatJournal } from '../../src/http/dev-chat-journal.ts';
import { startFakeWeCom } from '../helpers/fake-wecom.ts';

describe("the chat page's delivery journal", () => {
  const stops: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const stop of stops.splice(0)) await stop();
  });
  async function wecom() {
    const fake = await startFakeWeCom();
    stops.push(fake.stop);
    return fake;
  }

  it('goes on numbering across a restart, keeps files, and skips a line torn by a crash', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'dev-chat-'));
    const one = await wecom();
    const first = new DevChatJournal({ simulator: one.sim, dir });
    await one.client.sendMessage({ touser: ['zhangsan'] }, { msgtype: 'text', text: { content: '第一条' } });
    const mediaId = await one.client.uploadMedia({ filename: '记录汇总.csv', data: Buffer.from('学习组,场次\n院办,9月20日\n') });
    await one.client.sendMessage({ touser: ['zhangsan'] }, { msgtype: 'file', file: { media_id: mediaId } });
    expect(first.after(0).map((e) => [e.seq, e.text])).toEqual([
      [1, '第一条'],
      [2, '[文件] 记录汇总.csv'],
    ]);
    first.close();
    // The process dies halfway through appending a line.
    appendFileSync(path.join(dir, 'deliveries.jsonl'), '{"seq":3,"text":"半');

    // A new process: a new simulator, whose own numbers start at 1 again.
    const two = await wecom();
    const second = new DevChatJournal({ simulator: two.sim, dir });
    expect([second.id, second.last]).toEqual([first.id, 2]);
    expect(second.file(2)).toEqual({ name: '记录汇总.csv', data: Buffer.from('学习组,场次\n院办,9月20日\n') });
    await two.client.sendMessage({ touser: ['zhangsan'] }, { msgtype: 'markdown', markdown: { content: '**第二条**' } });
    expect(second.after(2)).toMatchObject([{ seq: 3, text: '**第二条**', html: '<div><b>第二条</b></div>' }]);
    second.close();
    const lines = readFileSync(path.join(dir, 'deliveries.jsonl'), 'utf8').trim().split('\n');
    expect(lines.map((l) => JSON.parse(l).seq ?? 'head')).toEqual(['head', 1, 2, 3]);
  });

  it('a new data directory is a new journal, so a page holding the old one starts from its beginning', async () => {
    const one = await wecom();
    const a = new DevChatJournal({ simulator: one.sim, dir: mkdtempSync(path.join(tmpdir(), 'dev-chat-')) });
    const b = new DevChatJournal({ simulator: one.sim });
    expect(a.id).not.toBe(b.id);
    a.close();
    b.close();
  });
});
