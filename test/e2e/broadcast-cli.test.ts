import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { ROOT, spawnService } from '../helpers/spawn-service.ts';

const run = promisify(execFile);
const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('WECOM_')));
const broadcastWith = (env: Record<string, string>, dataDir: string, ...args: string[]) =>
  run(process.execPath, ['--import', 'tsx', 'scripts/broadcast.ts', ...args], { cwd: ROOT, env: { ...clean, ...env, DATA_DIR: dataDir } });
const broadcast = (dataDir: string, ...args: string[]) => broadcastWith({}, dataDir, ...args);

describe('npm run broadcast', () => {
  it('--dry-run prints exactly what would be sent, and a real run then sends once', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'bc-'));
    const dry = await broadcast(dir, '--week', '2', '--dry-run');
    expect(dry.stdout).toContain('【管理学院教职工群】将发送（预览，未发送）');
    expect(dry.stdout).toContain('**9月13日 星期二** 党员学习（见组织部通知）');
    const first = await broadcast(dir, '--week', '2');
    expect(first.stdout).toContain('【管理学院教职工群】已发送');
    expect(first.stdout).toContain('模拟企业微信共收到 3 条消息');
    const second = await broadcast(dir, '--week', '2');
    expect(second.stdout).toContain('【管理学院教职工群】此前已发送，未重复发送');
    expect(second.stdout).toContain('模拟企业微信共收到 0 条消息');
    const forced = await broadcast(dir, '--week', '2', '--target', '管理学院教职工群', '--force');
    expect(forced.stdout).toContain('注意：--force 会向已收到本周推送的对象再次发送');
    expect(forced.stdout).toContain('模拟企业微信共收到 1 条消息');
  });

  it('refuses to share a lowdb data folder with a running service, and says why', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'bc-'));
    const svc = await spawnService({ DATA_DIR: dir });
    try {
      await expect(broadcast(dir, '--week', '2')).rejects.toMatchObject({ code: 1, stderr: expect.stringContaining('数据目录正被另一个进程') });
      // A dry run needs no store and works meanwhile.
      expect((await broadcast(dir, '--week', '2', '--dry-run')).stdout).toContain('将发送');
    } finally {
      await svc.stop();
    }
  });

  it('with BOT_NOW sends as if it were that time: says so, and the ledger records the demo time', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'bc-'));
    const out = await broadcastWith({ BOT_NOW: '2016-09-12T08:30:00+08:00' }, dir, '--week', '2');
    expect(out.stdout).toContain('演示时间 BOT_NOW：2016年9月12日（星期一）08:30');
    expect(out.stdout).toContain('【管理学院教职工群】已发送');
    const db = JSON.parse(readFileSync(path.join(dir, 'db.json'), 'utf8')) as { deliveries: Record<string, { sentAt: number }> };
    const sentAt = Object.values(db.deliveries).map((d) => d.sentAt);
    expect(sentAt).toHaveLength(3);
    for (const t of sentAt) expect(new Date(t).toISOString().slice(0, 10)).toBe('2016-09-12');
  });

  it('exits 2 with usage without --week', async () => {
    await expect(broadcast(mkdtempSync(path.join(tmpdir(), 'bc-')))).rejects.toMatchObject({ code: 2 });
  });
});
