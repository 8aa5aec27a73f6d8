/**
 * npx tsx scripts/bench/heldout-replies.ts [FILE] > report.md
 *
 * The held-out message set (scripts/bench/heldout/messages.json, 160 messages written by a tester who had read only
 * the study plan, never the bot's code or its tests) through the bot's real pipeline, offline, each at its own time
 * (`asOf`) and as its kind of user. Prints a Markdown report: each message, what a correct reply must do (`expect`),
 * and the bot's reply, for a reader to grade. Nothing in the bot is tuned on this set: it is only ever read here.
 */
import { readFileSync } from 'node:fs';
import pino from 'pino';
import { ManualClock } from '../../src/clock.ts';
import { createLogger } from '../../src/logger.ts';
import { startLocalBot } from '../../src/local-bot.ts';

interface HeldOutMessage {
  id: number;
  text: string;
  asOf: string;
  who: 'staff' | 'secretary' | 'admin';
  intent: string;
  expect: string;
}

/** Roster users of the seed content, one per kind of user. */
const USER = { staff: 'zhaoliu', secretary: 'zhangsan', admin: 'dangban-wang' } as const;

const file = process.argv[2] ?? new URL('./heldout/messages.json', import.meta.url).pathname;
const messages = JSON.parse(readFileSync(file, 'utf8')) as HeldOutMessage[];
const clock = new ManualClock(Date.parse(messages[0]!.asOf));
const bot = await startLocalBot({ ...process.env, BOT_NOW: undefined }, createLogger('error', pino.destination(2)), clock);
const out: string[] = [`# Held-out messages: ${messages.length}`, ''];
try {
  for (const m of messages) {
    clock.set(Date.parse(m.asOf));
    // Each message on its own: a user id per message, so no form or follow-up of an earlier one carries over.
    const user = `${USER[m.who]}`;
    const answers = await bot.ask(user, m.text);
    await bot.ask(user, '取消').catch(() => []); // leave no form open for the next message of this user
    out.push(
      `## ${m.id} · ${m.intent} · ${m.who} · ${m.asOf}`,
      '',
      `**问：** ${m.text}`,
      '',
      `**expect:** ${m.expect}`,
      '',
      '**答：**',
      '',
      '```',
      answers.join('\n---\n') || '（没有回复）',
      '```',
      '',
    );
  }
} finally {
  await bot.close();
}
console.log(out.join('\n'));
