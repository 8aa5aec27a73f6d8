import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { spawnService } from '../helpers/spawn-service.ts';

/**
 * Every storage problem at start-up is one clear message naming the path and what to do, never a raw stack
 * (issue 14): a read-only data folder, a file in the way, odd file names under submissions/, a file of the wrong shape.
 */
async function startFailure(dataDir: string): Promise<string> {
  const err = await spawnService({ DATA_DIR: dataDir }).then(
    async (svc) => {
      await svc.stop();
      throw new Error('the service started');
    },
    (e: Error) => e.message,
  );
  return err;
}

function expectClear(output: string, where: string, hint: RegExp) {
  expect(output).toContain(where);
  expect(output).toMatch(hint);
  expect(output).not.toMatch(/\n\s+at .+:\d+:\d+/); // no stack frames
}

/** A read-only folder: a read-only tmpfs where the test may mount one (root ignores permission bits). */
function readOnlyDir(): { dir: string; cleanup: () => void } | undefined {
  const dir = mkdtempSync(path.join(tmpdir(), 'ro-data-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'ro,size=64k', 'tmpfs', dir], { stdio: 'ignore' });
    return { dir, cleanup: () => execFileSync('umount', [dir], { stdio: 'ignore' }) };
  } catch {
    if (process.getuid?.() === 0) return undefined;
    execFileSync('chmod', ['555', dir]);
    return { dir, cleanup: () => {} };
  }
}

describe('clear start-up errors for storage problems', () => {
  it('a read-only data folder', { timeout: 60_000 }, async () => {
    const ro = readOnlyDir();
    if (!ro) return console.warn('[skip] read-only folder: cannot mount a tmpfs here');
    try {
      expectClear(await startFailure(ro.dir), ro.dir, /只读|没有读写权限/);
    } finally {
      ro.cleanup();
    }
  });

  it('a file where the data folder should be', { timeout: 60_000 }, async () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'data-file-')), 'data');
    writeFileSync(file, 'not a folder');
    expectClear(await startFailure(file), file, /DATA_DIR/);
  });

  it('unknown file names under submissions/', { timeout: 60_000 }, async () => {
    for (const [rel, bad] of [
      ['submissions/2016-09/%E0%A4%A.json', '%E0%A4%A.json'],
      ['submissions/notes.txt', 'notes.txt'],
      ['submissions/backup/g.json', 'backup'],
    ] as const) {
      const dir = mkdtempSync(path.join(tmpdir(), 'odd-'));
      mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
      writeFileSync(path.join(dir, rel), '{}');
      expectClear(await startFailure(dir), bad, /移出|move it out/);
    }
  });

  it('a data file of the wrong shape', { timeout: 60_000 }, async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'shape-'));
    writeFileSync(path.join(dir, 'db.json'), '{"schemaVersion": 1, "deliveries": null}');
    expectClear(await startFailure(dir), path.join(dir, 'db.json'), /deliveries.*备份/);
  });
});
