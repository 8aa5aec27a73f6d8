/**
 * Broadcast at scale: npm run bench:broadcast [-- --targets 1000 --latency 50 --failure-rate 0.05]
 * 1,000 group-robot targets against the simulated WeCom (on loopback) answering each call after 50 ms and failing 5%
 * of calls at random with 45009 or HTTP 500. Reports total time, deliveries per target (each must be exactly 1: the
 * simulator counts what it accepted) and peak memory. Baseline in the same run: the same targets with no latency and
 * no failures, to separate WeCom's slowness from ours.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import pino from 'pino';
import { systemClock } from '../../src/clock.ts';
import { Content, loadContent } from '../../src/content/content.ts';
import type { BroadcastTarget } from '../../src/content/targets.ts';
import { Broadcaster } from '../../src/jobs/broadcaster.ts';
import { createLogger } from '../../src/logger.ts';
import { LowdbStore } from '../../src/storage/lowdb-store.ts';
import { WeComClient } from '../../src/wecom/client.ts';
import { WeComSimulator } from '../../src/wecom/simulator.ts';
import { BENCH_CREDENTIALS } from './credentials.ts';

const { values } = parseArgs({
  options: { targets: { type: 'string', default: '1000' }, latency: { type: 'string', default: '50' }, 'failure-rate': { type: 'string', default: '0.05' } },
});
const n = Number(values.targets);
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const semester = await loadContent(path.join(ROOT, 'content'));
const targets: BroadcastTarget[] = Array.from({ length: n }, (_, i) => ({
  name: `学习组群${i + 1}`,
  robot: { keyEnv: `WECOM_ROBOT_KEY_G${i + 1}` },
  format: 'markdown',
}));
const content = new Content(semester.plan, semester.schedule, semester.documents, { schedule: semester.broadcast.schedule, targets }, semester.roster);
const robotKeys = Object.fromEntries(targets.map((t, i) => [t.robot!.keyEnv, `bench-key-${i + 1}`]));

async function run(label: string, latencyMs: number, failureRate: number) {
  const sim = new WeComSimulator({ ...BENCH_CREDENTIALS, clock: systemClock, latencyMs, failureRate });
  const apiBase = await sim.start();
  const store = await LowdbStore.open(mkdtempSync(path.join(tmpdir(), 'bench-bc-')));
  const logger = createLogger('warn', pino.destination('/dev/null'));
  const client = new WeComClient({ ...BENCH_CREDENTIALS, apiBase, clock: systemClock, logger });
  const broadcaster = new Broadcaster({ content, store, client, clock: systemClock, logger, robotKeys, backoffBaseMs: 1000 });
  let peakRss = process.memoryUsage().rss;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 50);
  const started = performance.now();
  const report = await broadcaster.run({ week: 2 });
  const seconds = (performance.now() - started) / 1000;
  clearInterval(sampler);
  const perTarget = new Map<string, number>();
  for (const d of sim.deliveries) perTarget.set(d.to, (perTarget.get(d.to) ?? 0) + 1);
  const counts = [...Object.values(robotKeys)].map((k) => perTarget.get(k) ?? 0);
  const calls = sim.calls.get('webhook/send') ?? 0;
  await store.close();
  await sim.stop();
  return {
    label,
    seconds,
    sent: report.results.filter((r) => r.outcome === 'sent').length,
    failed: report.results.filter((r) => r.outcome === 'failed').length,
    exactlyOnce: counts.filter((c) => c === 1).length,
    twice: counts.filter((c) => c > 1).length,
    missing: counts.filter((c) => c === 0).length,
    calls,
    peakRss,
  };
}

const baseline = await run('baseline: no latency, no failures', 0, 0);
const loaded = await run(
  `${values.latency} ms per call, ${Number(values['failure-rate']) * 100}% failures (45009 / HTTP 500)`,
  Number(values.latency),
  Number(values['failure-rate']),
);
console.log(`Broadcast to ${n} robot targets (Node ${process.version}, default concurrency 32)\n`);
console.log('| case | total time | sent | failed | exactly once | twice | missing | send calls | peak RSS |\n|---|---:|---:|---:|---:|---:|---:|---:|---:|');
for (const r of [baseline, loaded]) {
  console.log(
    `| ${r.label} | ${r.seconds.toFixed(1)} s | ${r.sent} | ${r.failed} | ${r.exactlyOnce} | ${r.twice} | ${r.missing} | ${r.calls} | ${(r.peakRss / 1024 / 1024).toFixed(0)} MB |`,
  );
}
console.log(`\ntarget: all delivered in ≤ 15 s, none twice`);
