import { Composer } from '../src/bot/composer.ts';
import type { Middleware } from '../src/bot/context.ts';
import { registerFallback, registerHelp } from './help.ts';

/**
 * The bot's features in the order they are tried: this file is the table of contents.
 * Admin commands come first, then an active form, then questions, then help, then the fallback.
 */
export function buildHandlers(): Middleware {
  const bot = new Composer();
  registerHelp(bot);
  registerFallback(bot);
  return bot.middleware();
}
