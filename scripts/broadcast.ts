/**
 * npm run broadcast -- --week N [--target NAME] [--dry-run] [--force]
 * Sends (or with --dry-run prints exactly) a week's agenda to the targets of content/targets.yaml, through the same
 * ledger as the scheduled push: a target that already got the week's agenda is skipped unless --force (a deliberate
 * resend, said so in the output and the log). Exit 0 when every target was sent or skipped, 1 when one failed.
 * With no WeCom credentials it runs against the in-process simulator (local mode) and shows what it received.
 */
import { parseArgs } from 'node:util';
import pino from 'pino';
import { buildApp } from '../src/app.ts';
import { describeResult } from '../src/jobs/broadcaster.ts';
import { clockFor } from '../src/clock.ts';
import { formatShanghaiDateTime } from '../src/content/dates.ts';
import { loadConfig, readEnvironment } from '../src/config.ts';
import { AppError } from '../src/errors.ts';
import { createLogger } from '../src/logger.ts';
import { LowdbStore } from '../src/storage/lowdb-store.ts';
import { WeComSimulator } from '../src/wecom/simulator.ts';

const { values } = parseArgs({
  options: { week: { type: 'string' }, target: { type: 'string' }, 'dry-run': { type: 'boolean' }, force: { type: 'boolean' } },
});
const week = Number(values.week);
if (!values.week || !Number.isInteger(week) || week < 1) {
  console.error('用法: npm run broadcast -- --week 周次 [--target 推送对象名称] [--dry-run] [--force]');
  process.exit(2);
}

let simulator: WeComSimulator | undefined;
try {
  const config = loadConfig(readEnvironment());
  const logger = createLogger(config.logLevel === 'info' ? 'warn' : config.logLevel, pino.destination(2));
  // BOT_NOW (local mode only), as in `npm start`: the ledger and 推送状态 then show the demo's time.
  const clock = clockFor(config.demoNow);
  if (config.demoNow !== undefined) console.log(`（演示时间 BOT_NOW：${formatShanghaiDateTime(config.demoNow)}，北京时间）`);
  if (config.mode === 'local') {
    simulator = new WeComSimulator({ ...config.wecom, clock });
    await simulator.start();
    console.log('（本地模式：未配置企业微信，消息发往内置的模拟企业微信）');
  }
  // A dry run records nothing, so it needs no store (and works while the service runs).
  const store = values['dry-run'] ? await LowdbStore.memory() : undefined;
  const built = await buildApp(config, { clock, logger, ...(simulator ? { simulator } : {}), ...(store ? { store } : {}) });
  try {
    const report = await built.broadcaster.run({
      week,
      ...(values.target ? { target: values.target } : {}),
      force: values.force ?? false,
      dryRun: values['dry-run'] ?? false,
    });
    if (values.force) console.log('注意：--force 会向已收到本周推送的对象再次发送。');
    console.log(`第${week}周学习安排推送（${report.job}）：`);
    for (const r of report.results) {
      console.log(`\n【${r.target}】${describeResult(r)}`);
      if (r.outcome === 'dry_run')
        for (const p of r.parts) console.log(`--- ${p.msgtype} ---\n${p.msgtype === 'markdown' ? p.markdown.content : p.text.content}`);
    }
    if (simulator && !values['dry-run']) console.log(`\n模拟企业微信共收到 ${simulator.deliveries.length} 条消息。`);
    // Queued: the running service's outbox will retry it (with lowdb, when the service starts on this data folder).
    // Unconfigured: a robot key variable is unset, so that group got nothing.
    process.exitCode = report.results.some((r) => r.outcome === 'failed' || r.outcome === 'queued' || r.outcome === 'unconfigured') ? 1 : 0;
  } finally {
    await built.app.close();
  }
} catch (err) {
  console.error(err instanceof AppError ? err.message : err);
  process.exitCode = 1;
} finally {
  await simulator?.stop();
}
