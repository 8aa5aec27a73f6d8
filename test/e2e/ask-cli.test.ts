import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/spawn-service.ts';

const run = promisify(execFile);
const ask = (...args: string[]) => run(process.execPath, ['--import', 'tsx', 'scripts/ask.ts', ...args], { cwd: ROOT, env: { ...process.env, LOG_LEVEL: 'warn' } });

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

  it('exits 2 with usage when given nothing', async () => {
    await expect(ask()).rejects.toMatchObject({ code: 2, stderr: expect.stringContaining('用法') });
  });
});
