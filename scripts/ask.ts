/**
 * npm run ask -- [--user ID] "text"
 * Runs one message through the bot's real pipeline offline (local mode, simulated WeCom, in-memory store)
 * and prints the answer. Exit 0 when the bot answered, 1 when it did not, 2 on bad usage.
 */
import { parseArgs } from 'node:util';
import pino from 'pino';
import { readEnvironment } from '../src/config.ts';
import { formatShanghaiDateTime } from '../src/content/dates.ts';
import { AppError } from '../src/errors.ts';
import { createLogger } from '../src/logger.ts';
import { startLocalBot } from '../src/local-bot.ts';

const { values, positionals } = parseArgs({
  options: { user: { type: 'string', short: 'u', default: 'local-user' }, help: { type: 'boolean', short: 'h' } },
  allowPositionals: true,
});
const text = positionals.join(' ').trim();
if (values.help || !text) {
  console.error('用法: npm run ask -- [--user 用户ID] "要问的话"\n例如: npm run ask -- "帮助"');
  process.exit(values.help ? 0 : 2);
}

const env = readEnvironment();
// Logs go to stderr so stdout carries only the answer (for scripting).
const logger = createLogger(env.LOG_LEVEL ?? 'warn', pino.destination(2));
const bot = await startLocalBot(env, logger).catch((err: unknown) => {
  // A configuration mistake (e.g. a malformed BOT_NOW) is the user's to fix: its message names the variable.
  console.error(err instanceof AppError ? err.message : err);
  process.exit(2);
});
// On stderr, like the logs: stdout carries only the answer.
if (bot.demoNow !== undefined) console.error(`（演示时间 BOT_NOW：${formatShanghaiDateTime(bot.demoNow)}，北京时间）`);
try {
  const answers = await bot.ask(values.user!, text);
  if (answers.length === 0) {
    console.error('（机器人没有回复）');
    process.exitCode = 1;
  } else {
    console.log(answers.join('\n\n'));
  }
} finally {
  await bot.close();
}
