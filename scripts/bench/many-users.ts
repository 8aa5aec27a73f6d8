import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Many people, each asking once (issue 14): the real service (`src/main.ts`, local mode, lowdb) under `ulimit -n
 * 1024`, USERS distinct users each sending one question through the encrypted callback (the local chat endpoint), a
 * few of them starting a form, then SIGTERM. Reports the exit code, the shutdown time, the files left and the RSS.
 * Usage: npx tsx scripts/bench/many-users.ts [users=20000] [concurrency=16]
 */
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const USERS = Number(process.argv[2] ?? 20_000);
const CONCURRENCY = Number(process.argv[3] ?? 16);
const dataDir = mkdtempSync(path.join(tmpdir(), 'many-users-'));

const child = spawn('bash', ['-c', `ulimit -n 1024 && exec "${process.execPath}" --import tsx src/main.ts`], {
  cwd: ROOT,
  env: {
    ...Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('WECOM_') && k !== 'DATABASE_URL')),
    PORT: '0',
    DATA_DIR: dataDir,
    LOG_LEVEL: 'warn',
  },
  stdio: ['ignore', 'pipe', 'pipe'],
});
let out = '';
child.stdout.on('data', (b) => (out += b));
child.stderr.on('data', (b) => (out += b));
const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
const base = await new Promise<string>((resolve, reject) => {
  const timer = setInterval(() => {
    const m = /聊天页面: (http:\/\/[\d.]+:\d+)/.exec(out);
    if (m) {
      clearInterval(timer);
      resolve(m[1]!);
    }
  }, 50);
  void exited.then(() => reject(new Error(`service exited:\n${out}`)));
});

const started = performance.now();
let next = 0;
let failed = 0;
const worker = async () => {
  while (next < USERS) {
    const i = next++;
    // Everyone only asks (or asks for a form they may not fill in): no file, no document kept.
    const text = i % 100 === 0 ? '提交记录' : ['帮助', '本周学什么', '第一条'][i % 3]!;
    const res = await fetch(`${base}/dev/chat/send`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ user: `user${i}`, text }),
    });
    if (res.status !== 200) failed++;
    await res.arrayBuffer();
  }
};
await Promise.all(Array.from({ length: CONCURRENCY }, worker));
const sendSec = (performance.now() - started) / 1000;
const health = (await (await fetch(`${base}/healthz`)).json()) as { process: { rssMb: number } };

const stopAt = performance.now();
child.kill('SIGTERM');
const code = await exited;
const stopMs = Math.round(performance.now() - stopAt);
const forms = existsSync(path.join(dataDir, 'forms')) ? readdirSync(path.join(dataDir, 'forms'), { withFileTypes: true }).filter((e) => e.isFile()).length : 0;
const lockLeft = readdirSync(dataDir).includes('.lock');
console.log(
  JSON.stringify({
    users: USERS,
    sendSec: Math.round(sendSec),
    perSec: Math.round(USERS / sendSec),
    failed,
    rssMbBeforeStop: health.process.rssMb,
    sigtermExit: code,
    stopMs,
    formFiles: forms,
    lockLeft,
    emfile: /EMFILE/.test(out),
  }),
);
process.exit(code === 0 && !lockLeft ? 0 : 1);
