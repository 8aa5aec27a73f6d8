import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/spawn-service.ts';

const run = promisify(execFile);
const ask = (...args: string[]) => askWith({}, ...args);
const askWith = (env: Record<string, string>, ...args: string[]) =>
  run(process.execPath, ['--import', 'tsx', 'scripts/ask.ts', ...args], { cwd: ROOT, env: { ...process.env, LOG_LEVEL: 'warn', ...env } });

describe('npm run ask', () => {
  it('answers an article question with its source through the same pipeline, offline', async () => {
    const { stdout } = await ask('--user', 'zhangsan', '高教法第47条');
    expect(stdout).toContain('《中华人民共和国高等教育法》第四十七条（第五章 高等学校教师和其他教育工作者）');
    expect(stdout).toContain('高等学校实行教师职务制度');
  });

  it('answers a keyword question with several sources', async () => {
    const { stdout } = await ask('时间银行');
    expect(stdout).toContain('《青年信用体系建设规划（2016-2020年）》');
  });

  it('with BOT_NOW answers as if it were that time, and says so on stderr only', async () => {
    const { stdout, stderr } = await askWith({ BOT_NOW: '2016-09-12T09:00:00+08:00' }, '本周安排');
    expect(stdout).toMatch(/^本周（第2周），9月12日—9月18日的安排：/);
    expect(stdout).toContain('升旗仪式');
    expect(stderr).toContain('演示时间 BOT_NOW：2016年9月12日（星期一）09:00');
    await expect(askWith({ BOT_NOW: 'yesterday' }, '本周安排')).rejects.toMatchObject({ code: 2, stderr: expect.stringContaining('BOT_NOW') });
  });

  it('exits 2 with usage when given nothing', async () => {
    await expect(ask()).rejects.toMatchObject({ code: 2, stderr: expect.stringContaining('用法') });
  });
});
