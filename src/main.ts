import path from 'node:path';
import { buildApp } from './app.ts';
import { clockFor } from './clock.ts';
import { loadConfig, readEnvironment, type Config } from './config.ts';
import { formatShanghaiDateTime } from './content/dates.ts';
import { AppError } from './errors.ts';
import { createLogger } from './logger.ts';
import { WeComSimulator } from './wecom/simulator.ts';

/** config → (local simulator) → buildApp → listen; SIGTERM/SIGINT → graceful close. */
async function main(): Promise<void> {
  let config: Config;
  try {
    config = loadConfig(readEnvironment());
  } catch (err) {
    console.error((err as Error).message);
    process.exit(1);
  }
  const logger = createLogger(config.logLevel);
  // BOT_NOW (local mode only; config refuses it live): the demo runs at that time, the clock running on from there.
  const clock = clockFor(config.demoNow);

  let simulator: WeComSimulator | undefined;
  if (config.mode === 'local') {
    simulator = new WeComSimulator({ ...config.wecom, clock });
    await simulator.start();
    logger.warn(
      { mode: 'local', simulatedApi: simulator.baseUrl },
      'LOCAL MODE: no WeCom credentials configured; using throw-away credentials and a simulated WeCom API. Nothing reaches real users.',
    );
    if (config.demoNow !== undefined)
      logger.warn({ botNow: new Date(config.demoNow).toISOString() }, 'DEMO CLOCK: BOT_NOW is set; the bot runs as if it were that time');
  } else {
    logger.info({ mode: 'live', corpId: config.wecom.corpId, agentId: config.wecom.agentId, apiBase: config.wecom.apiBase }, 'LIVE MODE: connected to WeCom');
  }

  const { app, scheduler, reminders, outbox, housekeeping } = await buildApp(config, {
    logger,
    clock,
    // The chat page's journal of deliveries, so a page open across a restart goes on where it was.
    ...(simulator ? { simulator, devChatDir: path.join(config.dataDir, 'dev-chat') } : {}),
  });
  await app.listen({ port: config.port, host: config.host });
  // The weekly agenda: on schedule from now on, and at once if a scheduled push was missed while we were down.
  void scheduler.start();
  void reminders.start();
  // What a WeCom outage (or a crash mid-send) left unsent: at once, then every minute.
  outbox.start();
  housekeeping.start();
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const shown = config.host === '0.0.0.0' || config.host === '::' ? '127.0.0.1' : config.host;
  if (config.mode === 'local') {
    const demo = config.demoNow !== undefined ? `  演示时间 (BOT_NOW): 从 ${formatShanghaiDateTime(config.demoNow)}（北京时间）开始，随真实时间继续走。\n` : '';
    console.log(
      `\n  学习助手已以本地模式启动 (local mode)。\n${demo}  聊天页面: http://${shown}:${port}/dev/chat\n  健康检查: http://${shown}:${port}/healthz\n`,
    );
  }

  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) {
      logger.warn({ signal }, 'second signal: exiting now');
      process.exit(1);
    }
    closing = true;
    logger.info({ signal, drainMs: config.shutdownDrainMs }, 'shutting down: finishing in-flight work');
    // The drain hands what is left to the outbox by its deadline (src/app.ts); should closing the store itself hang,
    // the process still ends a little later, its deliveries in the ledger for the next start.
    setTimeout(() => {
      logger.error({ drainMs: config.shutdownDrainMs }, 'shutdown: not finished after the drain deadline; exiting now');
      process.exit(1);
    }, config.shutdownDrainMs + EXIT_GRACE_MS).unref();
    try {
      await app.close();
      await simulator?.stop();
      logger.info('shut down cleanly');
      process.exit(0);
    } catch (err) {
      logger.error({ err }, 'shutdown failed');
      process.exit(1);
    }
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}

/** After the drain deadline: time to flush the store and release the data folder (see DataDirLock's grace). */
const EXIT_GRACE_MS = 3000;

main().catch((err: unknown) => {
  // Start-up errors (broken content, unreadable store) are printed as their message: file, line, field.
  console.error(err instanceof AppError ? err.message : err);
  process.exit(1);
});
