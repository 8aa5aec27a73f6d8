import { buildApp, type BuiltApp } from './app.ts';
import { clockFor, type Clock } from './clock.ts';
import { loadConfig } from './config.ts';
import type { Logger } from 'pino';
import { LowdbStore } from './storage/lowdb-store.ts';
import { WeComSimulator } from './wecom/simulator.ts';

/**
 * The whole bot offline: local-mode config, the simulated WeCom, an in-memory store. Messages still go
 * through the encrypted callback and the real pipeline. Used by the `ask` CLI and by benchmarks.
 */
export interface LocalBot extends BuiltApp {
  simulator: WeComSimulator;
  /** BOT_NOW's instant when the demo clock is on (ms since the epoch). */
  demoNow: number | undefined;
  /** Sends one text as `userId` and returns every answer: the passive reply and API messages to that user. */
  ask(userId: string, text: string): Promise<string[]>;
  close(): Promise<void>;
}

export async function startLocalBot(env: Record<string, string | undefined>, logger: Logger, givenClock?: Clock): Promise<LocalBot> {
  // Offline whatever the environment says: drop real credentials so nothing can reach WeCom.
  const offline = Object.fromEntries(Object.entries(env).filter(([k]) => !k.startsWith('WECOM_')));
  const config = loadConfig(offline);
  // BOT_NOW, as in `npm start`'s local mode: the bot runs as if it were that time.
  const clock = givenClock ?? clockFor(config.demoNow);
  const simulator = new WeComSimulator({ ...config.wecom, clock });
  await simulator.start();
  const built = await buildApp(config, { clock, logger, simulator, store: await LowdbStore.memory() });
  return {
    ...built,
    simulator,
    demoNow: givenClock ? undefined : config.demoNow,
    async ask(userId, text) {
      const before = simulator.deliveries.length;
      const result = await built.wecomSide.sendText(userId, text);
      await built.bot.idle();
      const viaApi = simulator.deliveries.slice(before).filter((d) => simulator.deliveriesTo(userId).includes(d));
      return [...(result.passiveReply !== undefined ? [result.passiveReply] : []), ...viaApi.map((d) => d.text)];
    },
    async close() {
      await built.app.close();
      await simulator.stop();
    },
  };
}
