import { open, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { AppError } from '../errors.ts';

/**
 * One process owns a lowdb data folder: DATA_DIR/.lock holds the owner's pid. A lock whose process is gone (a crash,
 * SIGKILL) is taken over; a live one is a clear error.
 */
export class DataDirLock {
  private constructor(private readonly file: string) {}

  static async acquire(dir: string): Promise<DataDirLock> {
    const file = path.join(dir, '.lock');
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        const handle = await open(file, 'wx');
        await handle.writeFile(String(process.pid));
        await handle.close();
        return new DataDirLock(file);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
        const pid = Number((await readFile(file, 'utf8').catch(() => '')).trim());
        if (pid && pid !== process.pid && isAlive(pid)) {
          throw new AppError(
            'ERR_STORE_LOCKED',
            `${dir}: 数据目录正被另一个进程（pid ${pid}）使用。lowdb 存储只能由一个进程打开：请停止该进程，或在聊天中使用管理命令 (data folder in use by another process)`,
          );
        }
        await rm(file, { force: true }); // stale: its process is gone
      }
    }
    throw new AppError('ERR_STORE_LOCKED', `${dir}: 无法锁定数据目录 (could not lock the data folder)`);
  }

  async release(): Promise<void> {
    await rm(this.file, { force: true });
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
