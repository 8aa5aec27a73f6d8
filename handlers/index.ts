import { Composer, normalizeText } from '../src/bot/composer.ts';
import type { BotContext, Middleware } from '../src/bot/context.ts';
import type { ConversationMemory } from '../src/bot/conversation-memory.ts';
import { FormEngine } from '../src/bot/forms/engine.ts';
import { shanghaiDate } from '../src/content/dates.ts';
import { parseArticleQuery, registerArticles } from './articles.ts';
import { parseDocumentInfo, registerDocumentInfo } from './document-info.ts';
import { multiQuestion } from './multi-question.ts';
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
 * An active form first (it lets questions through), then exact and admin commands, the minutes form's triggers, a
 * message of several questions, the specific question forms, keyword search, and the fallback.
 */
export function buildHandlers(deps: HandlerDeps): Middleware {
  const { content, memory, store } = deps;
  // A question asked in the middle of a form is answered by the handlers below, then the form asks again.
  const isQuestion = (text: string, ctx: BotContext) =>
    HELP_WORDS.includes(normalizeText(text)) ||
    parsePlanTopic(text) !== undefined ||
    parseArticleQuery(text, content, memory.get(ctx.userId)) !== undefined ||
    parseDocumentInfo(text, content, memory.get(ctx.userId)) !== undefined ||
    parseScheduleQuery(text, content, shanghaiDate(ctx.clock.now())) !== undefined;
  const forms = new FormEngine({ forms: [minutesForm(content, store)], repo: store.forms, isQuestion });

  // Questions: each handler takes the forms it understands; keyword search takes the rest it finds an answer for.
  const questions = new Composer();
  registerPlanInfo(questions, deps);
  registerArticles(questions, deps);
  registerDocumentInfo(questions, deps);
  registerSchedule(questions, deps);
  registerSearch(questions, deps);

  const bot = new Composer();
  bot.use(forgetAcrossForms(memory));
  bot.use(forms.middleware());
  registerHelp(bot);
  registerBroadcastAdmin(bot, deps);
  registerMinutes(bot, { content, store, forms });
  registerOffice(bot, deps);
  bot.use(multiQuestion(questions));
  bot.use(questions.middleware());
  registerFallback(bot);
  return bot.middleware();
}

/**
 * A form in between ends the conversation about a document: after handing in a record, a bare "第三条" means the
 * law again, not the point of 八项规定 read before the form.
 */
function forgetAcrossForms(memory: ConversationMemory): Middleware {
  return async (ctx, next) => {
    await next();
    if (ctx.handledBy === 'minutes' || ctx.handledBy === 'amend-record') memory.forget(ctx.userId);
  };
}
