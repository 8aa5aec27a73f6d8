import { Composer } from '../src/bot/composer.ts';
import type { Middleware } from '../src/bot/context.ts';
import { registerArticles } from './articles.ts';
import { registerBroadcastAdmin } from './broadcast-admin.ts';
import type { HandlerDeps } from './deps.ts';
import { registerFallback, registerHelp } from './help.ts';
import { registerPlanInfo } from './plan-info.ts';
import { registerSchedule } from './schedule.ts';
import { registerSearch } from './search.ts';

/**
 * The bot's features in the order they are tried: this file is the table of contents.
 * Exact commands and admin commands first, then the specific question forms, then keyword search, then the fallback.
 */
export function buildHandlers(deps: HandlerDeps): Middleware {
  const bot = new Composer();
  registerHelp(bot);
  registerBroadcastAdmin(bot, deps);
  registerPlanInfo(bot, deps);
  registerArticles(bot, deps);
  registerSchedule(bot, deps);
  registerSearch(bot, deps);
  registerFallback(bot);
  return bot.middleware();
}
