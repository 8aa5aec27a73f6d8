import { open, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { AppError } from '../errors.ts';

/**
 * One process owns a lowdb data folder: DATA_DIR/.lock holds the owner's pid. A lock whose process is gone (a crash,
 * SIGKILL) is taken over; a live one is a clear error.
 *
 * Restarts: a process shutting down writes "draining until <epoch ms>" after its pid (`markDraining`) and releases
 * the lock as soon as its store is closed, within its drain deadline. A new process that finds such a lock waits for
 * it (until the deadline and `DRAIN_GRACE_MS` more) instead of refusing to start: a restart is never refused because
 * the previous process is still draining. It never takes the folder while the old process may still write to it
 * (two writers would corrupt db.json). A live holder that has not (yet) said it is draining gets `SIGNAL_GRACE_MS`
 * to say so: a supervisor that sends SIGTERM and starts the new process at once races the old one's signal handler.
 */
export class DataDirLock {
  private constructor(private readonly file: string) {}

  static async acquire(dir: string, options: { signalGraceMs?: number; drainGraceMs?: number; pollMs?: number } = {}): Promise<DataDirLock> {
    const { signalGraceMs = SIGNAL_GRACE_MS, drainGraceMs = DRAIN_GRACE_MS, pollMs = 100 } = options;
    const file = path.join(dir, '.lock');
    const started = Date.now();
    for (;;) {
      try {
        const handle = await open(file, 'wx');
        await handle.writeFile(String(process.pid));
        await handle.close();
        return new DataDirLock(file);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      }
      const holder = parseLock(await readFile(file, 'utf8').catch(() => ''));
      if (!holder.pid || holder.pid === process.pid || !isAlive(holder.pid)) {
        await rm(file, { force: true }); // stale: its process is gone
        continue;
      }
      const waitUntil = holder.drainingUntil !== undefined ? holder.drainingUntil + drainGraceMs : started + signalGraceMs;
      if (Date.now() >= waitUntil) {
        const draining = holder.drainingUntil !== undefined ? `；它正在关闭，但已超过关闭期限 ${new Date(holder.drainingUntil).toISOString()} 仍未退出` : '';
        throw new AppError(
          'ERR_STORE_LOCKED',
          `${dir}: 数据目录正被另一个进程（pid ${holder.pid}）使用${draining}。lowdb 存储只能由一个进程打开：请停止该进程，或在聊天中使用管理命令 (data folder in use by another process)`,
        );
      }
      await new Promise((r) => setTimeout(r, pollMs));
    }
  }

  /** Says in the lock that this process is shutting down and will have released it by `until` (epoch ms). */
  async markDraining(until: number): Promise<void> {
    await writeFile(this.file, `${process.pid} draining until ${until}`);
  }

  async release(): Promise<void> {
    await rm(this.file, { force: true });
  }
}

/** How long a new process waits for a live holder to say it is draining (see the class comment). */
const SIGNAL_GRACE_MS = 2000;
/** How long past its stated deadline a draining holder is waited for (its store flush, its exit). */
const DRAIN_GRACE_MS = 5000;

function parseLock(text: string): { pid: number; drainingUntil?: number } {
  const m = /^\s*(\d+)(?:\s+draining until\s+(\d+))?\s*$/.exec(text);
  if (!m) return { pid: 0 };
  return { pid: Number(m[1]), ...(m[2] ? { drainingUntil: Number(m[2]) } : {}) };
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
