import { Composer, normalizeText } from '../src/bot/composer.ts';
import type { BotContext, Middleware } from '../src/bot/context.ts';
import { FormEngine } from '../src/bot/forms/engine.ts';
import { shanghaiDate } from '../src/content/dates.ts';
import { parseArticleQuery, registerArticles } from './articles.ts';
import { registerBroadcastAdmin } from './broadcast-admin.ts';
import type { HandlerDeps } from './deps.ts';
import { HELP_WORDS, registerFallback, registerHelp } from './help.ts';
import { minutesForm, registerMinutes } from './minutes.ts';
import { registerOffice } from './office.ts';
import { parsePlanTopic, registerPlanInfo } from './plan-info.ts';
import { parseScheduleQuery, registerSchedule } from './schedule.ts';
import { registerSearch } from './search.ts';

/**
 * The bot's features in the order they are tried: this file is the table of contents.
 * An active form first (it lets questions through), then exact and admin commands, the minutes form's triggers, the
 * specific question forms, keyword search, and the fallback.
 */
export function buildHandlers(deps: HandlerDeps): Middleware {
  const { content, memory, store } = deps;
  // A question asked in the middle of a form is answered by the handlers below, then the form asks again.
  const isQuestion = (text: string, ctx: BotContext) =>
    HELP_WORDS.includes(normalizeText(text)) ||
    parsePlanTopic(text) !== undefined ||
    parseArticleQuery(text, content, memory.get(ctx.userId).lastDocId) !== undefined ||
    parseScheduleQuery(text, content, shanghaiDate(ctx.clock.now())) !== undefined;
  const forms = new FormEngine({ forms: [minutesForm(content, store)], repo: store.forms, isQuestion });

  const bot = new Composer();
  bot.use(forms.middleware());
  registerHelp(bot, content);
  registerBroadcastAdmin(bot, deps);
  registerMinutes(bot, { content, store, forms });
  registerOffice(bot, deps);
  registerPlanInfo(bot, deps);
  registerArticles(bot, deps);
  registerSchedule(bot, deps);
  registerSearch(bot, deps);
  registerFallback(bot);
  return bot.middleware();
}
