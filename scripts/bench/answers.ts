/**
 * The semester's own content: npm run bench:answers
 * - start-up: time from spawning `npm start`'s command to "Server listening", against a bare Fastify hello-world
 *   started the same way (tsx, same machine, same run), 5 times each;
 * - answer latency: every question of the test set (test/answers/question-set.ts) through the bot pipeline
 *   (dedupe, handlers, passive reply), 50 rounds, p50/p99 per answer.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pino from 'pino';
import { buildApp } from '../../src/app.ts';
import { ManualClock } from '../../src/clock.ts';
import { loadConfig } from '../../src/config.ts';
import { createLogger } from '../../src/logger.ts';
import { LowdbStore } from '../../src/storage/lowdb-store.ts';
import { QUESTIONS, QUESTION_SET_NOW } from '../../test/answers/question-set.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!;

async function timeToListen(args: string[], env: Record<string, string>): Promise<number> {
  const started = performance.now();
  const child = spawn(process.execPath, args, { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  await new Promise<void>((resolve, reject) => {
    let out = '';
    const on = (b: Buffer) => {
      out += b;
      if (/Server listening|LISTENING/.test(out)) resolve();
    };
    child.stdout.on('data', on);
    child.stderr.on('data', on);
    child.on('exit', () => reject(new Error(out)));
  });
  const ms = performance.now() - started;
  child.kill('SIGKILL');
  return ms;
}

const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('WECOM_'))) as Record<string, string>;
const starts: number[] = [];
const baselines: number[] = [];
for (let i = 0; i < 5; i++) {
  baselines.push(await timeToListen(['--import', 'tsx', 'scripts/bench/target-server.ts', 'hello'], {}));
  starts.push(
    await timeToListen(['--import', 'tsx', 'src/main.ts'], {
      ...clean,
      PORT: '0',
      DATA_DIR: mkdtempSync(path.join(tmpdir(), 'bench-start-')),
      LOG_LEVEL: 'info',
    }),
  );
}

const config = loadConfig({ CONTENT_DIR: path.join(ROOT, 'content') });
const clock = new ManualClock(QUESTION_SET_NOW);
const loadStarted = performance.now();
const { bot, appTransport, app } = await buildApp(config, {
  clock,
  logger: createLogger('silent', pino.destination('/dev/null')),
  store: await LowdbStore.memory(),
});
const buildMs = performance.now() - loadStarted;
let msgId = 1;
const times: number[] = [];
for (let round = 0; round < 50; round++) {
  for (const [q] of QUESTIONS) {
    const started = performance.now();
    await appTransport.receive({
      type: 'text',
      msgId: String(msgId++),
      content: q,
      toUserName: config.wecom.corpId,
      fromUserName: `u${round}`,
      createTime: Math.floor(clock.now() / 1000),
      agentId: config.wecom.agentId,
      raw: {},
    });
    if (round > 0) times.push(performance.now() - started);
  }
}
await bot.idle();
await app.close();

const median = (xs: number[]) => pct(xs, 50);
console.log(`Semester content (Node ${process.version})\n`);
console.log('| measure | value | target |\n|---|---:|---:|');
console.log(`| start-up, spawn to listening (median of 5) | ${median(starts).toFixed(0)} ms | ≤ 1500 ms |`);
console.log(`| baseline: bare Fastify via tsx, same way (median of 5) | ${median(baselines).toFixed(0)} ms | |`);
console.log(`| of which: load content + build app in-process | ${buildMs.toFixed(0)} ms | |`);
console.log(
  `| answer p50 / p99 (${times.length} answers, ${QUESTIONS.length} questions × 49 rounds) | ${median(times).toFixed(2)} / ${pct(times, 99).toFixed(2)} ms | p99 ≤ 5 ms |`,
);
