import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DataDirLock } from '../../src/storage/data-dir-lock.ts';

/** The data folder's lock across a restart (issue 23): a draining holder is waited for, never overlapped. */
const holders: ChildProcess[] = [];
afterEach(() => {
  for (const h of holders.splice(0)) h.kill('SIGKILL');
});

/** A live process that is not us, to stand for the previous service. */
function liveHolder(): number {
  const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: 'ignore' });
  holders.push(child);
  return child.pid!;
}

describe('DataDirLock', () => {
  it('waits for a holder that is draining and takes the folder once it is released', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'lock-'));
    const pid = liveHolder();
    writeFileSync(path.join(dir, '.lock'), `${pid} draining until ${Date.now() + 5000}`);
    setTimeout(() => rmSync(path.join(dir, '.lock')), 300);
    const lock = await DataDirLock.acquire(dir, { pollMs: 20 });
    expect(readFileSync(path.join(dir, '.lock'), 'utf8')).toBe(String(process.pid));
    await lock.markDraining(1234);
    expect(readFileSync(path.join(dir, '.lock'), 'utf8')).toBe(`${process.pid} draining until 1234`);
    await lock.release();
    expect(existsSync(path.join(dir, '.lock'))).toBe(false);
  });

  it("refuses, naming the holder, when a draining holder outlives its deadline; never takes a live holder's folder", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'lock-'));
    const pid = liveHolder();
    writeFileSync(path.join(dir, '.lock'), `${pid} draining until ${Date.now() + 100}`);
    await expect(DataDirLock.acquire(dir, { drainGraceMs: 100, pollMs: 20 })).rejects.toThrow(new RegExp(`pid ${pid}）使用；它正在关闭，但已超过关闭期限`));
    writeFileSync(path.join(dir, '.lock'), String(pid));
    await expect(DataDirLock.acquire(dir, { signalGraceMs: 100, pollMs: 20 })).rejects.toThrow(new RegExp(`pid ${pid}）使用。`));
    expect(readFileSync(path.join(dir, '.lock'), 'utf8')).toBe(String(pid));
  });

  it('takes over a lock whose process is gone, draining or not', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'lock-'));
    const child = spawn(process.execPath, ['-e', '0'], { stdio: 'ignore' });
    const pid = child.pid!;
    await new Promise((r) => child.on('exit', r));
    writeFileSync(path.join(dir, '.lock'), `${pid} draining until ${Date.now() + 60_000}`);
    await (await DataDirLock.acquire(dir)).release();
  });
});
