import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { launchBrowser } from './browser.ts';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));

export interface RunningService {
  child: ChildProcess;
  baseUrl: string;
  /** The service's DATA_DIR (a fresh temporary one unless the environment named one). */
  dataDir: string;
  output: () => string;
  /** Resolves once the output matches (logs arrive asynchronously). */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<void>;
  /** Sends a signal and resolves with the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/** Starts `src/main.ts` as `npm start` does, in a clean environment (no WeCom credentials → local mode), on a free port. */
export async function spawnService(env: Record<string, string> = {}): Promise<RunningService> {
  const dataDir = env.DATA_DIR ?? mkdtempSync(path.join(tmpdir(), 'study-bot-data-'));
  const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('WECOM_')));
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: ROOT,
    env: { ...clean, PORT: '0', DATA_DIR: dataDir, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (b) => (out += b));
  child.stderr!.on('data', (b) => (out += b));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const baseUrl = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`service did not start:\n${out}`)), 20_000);
    const check = () => {
      const m = /Server listening at (http:\/\/[\d.]+:\d+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    };
    child.stdout!.on('data', check);
    child.on('exit', () => reject(new Error(`service exited:\n${out}`)));
  });
  return {
    child,
    baseUrl,
    dataDir,
    output: () => out,
    async waitFor(pattern, timeoutMs = 5000) {
      const until = Date.now() + timeoutMs;
      while (!pattern.test(out)) {
        if (Date.now() > until) throw new Error(`output never matched ${pattern}:\n${out}`);
        await new Promise((r) => setTimeout(r, 25));
      }
    },
    async stop(signal = 'SIGTERM') {
      child.kill(signal);
      return exited;
    },
  };
}

/**
 * A describe block's service (its own process, `npm start`'s path) and a headless browser, started side by side before
 * its tests and closed after them.
 */
export function serviceWithBrowser(env: Record<string, string>): { readonly svc: RunningService; readonly browser: Browser } {
  let svc: RunningService | undefined;
  let browser: Browser | undefined;
  beforeAll(async () => {
    [svc, browser] = await Promise.all([spawnService(env), launchBrowser()]);
  });
  afterAll(async () => {
    await browser?.close();
    await svc?.stop();
  });
  return {
    get svc() {
      return svc!;
    },
    get browser() {
      return browser!;
    },
  };
}
