import { Composer } from '../src/bot/composer.ts';
import { IntentStep } from '../src/bot/intent.ts';
import type { BotContext, Middleware } from '../src/bot/context.ts';
import type { ConversationMemory } from '../src/bot/conversation-memory.ts';
import { FormEngine } from '../src/bot/forms/engine.ts';
import { articles } from './articles.ts';
import { documentInfo } from './document-info.ts';
import { multiQuestion } from './multi-question.ts';
import { broadcastAdmin } from './broadcast-admin.ts';
import type { HandlerDeps } from './deps.ts';
import { fallback, help, HELP_WORDS, smallTalkAnswers } from './help.ts';
import { minutes, minutesForm } from './minutes.ts';
import { office } from './office.ts';
import { recordBook } from './record-book.ts';
import { planImport } from './plan-import.ts';
import { planInfo } from './plan-info.ts';
import { planPassagesHandler } from './plan-passages.ts';
import { readingInfo } from './reading-info.ts';
import { recordQuestions } from './record-questions.ts';
import { recordPhotos } from './record-photos.ts';
import { schedule } from './schedule.ts';
import { KEYWORD_HANDLERS, search } from './search.ts';
import { unknownDocument } from './unknown-document.ts';

/**
 * The bot's features in the order they are tried: this file is the table of contents.
 * An active form first (it lets questions through), help, one person's business (admin commands, the record form,
 * the office's tools: one-to-one chats only), a message of several questions, the specific question forms, keyword
 * search, and the fallback.
 */
export function buildHandlers(deps: HandlerDeps): Middleware {
  const { content, memory, store } = deps;
  // Questions: each handler takes the forms it understands; keyword search takes the rest it finds an answer for.
  // Questions about handing in the records come before the schedule and search, which would read 记录 and 交 as keywords.
  // A reading known only by its title (and 学习重点, link) is answered with that before any text is looked up.
  // What the notice itself says (its requirements, questions, issuer) is looked up in its own passages before the readings.
  const questions = new Composer().use(
    planInfo(deps),
    recordQuestions(deps),
    readingInfo(deps),
    articles(deps),
    documentInfo(deps),
    schedule(deps),
    unknownDocument(deps),
    planPassagesHandler(deps),
    search(deps),
  );

  // A question asked in the middle of a form is answered, then the form asks again. The form asks the intent step
  // (the question handlers' dry run, kept for the message), keyword search aside: nearly any text shares a word with
  // some article.
  // Compared with the text's normalised form as written in the list (？ alone normalises to nothing: not the menu here).
  const helpWords = new Set(HELP_WORDS);
  const isQuestion = (text: string, ctx: BotContext) => {
    if (helpWords.has(ctx.understand(text).normalized)) return true;
    const handler = step.recognise(text, ctx, ['question']);
    return handler !== undefined && !KEYWORD_HANDLERS.includes(handler);
  };
  // A text worded as a question (教师资格有什么规定 at the place step) is answered by whatever can, search included.
  const canAnswer = (text: string, ctx: BotContext) => step.recognise(text, ctx, ['question']) !== undefined;
  const commands = (text: string, ctx: BotContext) => step.recognise(text, ctx, PERSONAL);
  const forms = new FormEngine({ forms: [minutesForm(content, store, commands)], repo: store.forms, isQuestion, canAnswer });

  // One person's business: the record form, the office's tools, the agenda's admin commands. In a group chat
  // they get a pointer to the one-to-one chat, and a form in progress never takes a group message.
  // The record book before the office's tools: 导出记录本 is not the CSV of 导出. Photos before the record form's
  // handlers: 完成 after 补充照片 ends the photos, not "no form open".
  const pushCommands = broadcastAdmin(deps);
  const photoCommands = recordPhotos({ content, store, memory, ...(deps.images ? { images: deps.images } : {}) });
  const recordCommands = minutes({ content, store, forms, memory });
  const recordFiles = recordBook(deps);
  const officeCommands = office(deps);
  const personal = new Composer().use(pushCommands, photoCommands, recordCommands, recordFiles, officeCommands);
  const helpWordsAndGreetings = help(content);
  const smallTalk = smallTalkAnswers(content);
  const importing = planImport(deps);

  // The intent step: the routing's own recognisers with their kinds, in the order the bot tries them.
  const step = new IntentStep(
    [
      { kind: 'small-talk', composer: helpWordsAndGreetings },
      { kind: 'office-command', composer: pushCommands },
      { kind: 'record-command', composer: photoCommands },
      { kind: 'record-command', composer: recordCommands },
      { kind: 'office-command', composer: recordFiles },
      { kind: 'office-command', composer: officeCommands },
      { kind: 'small-talk', composer: smallTalk },
      { kind: 'question', composer: questions },
    ],
    { ...Object.fromEntries(importing.handlerNames().map((n) => [n, 'office-command'] as const)), 'multi-question': 'question' },
    { 'private-only': PERSONAL },
  );

  const bot = new Composer();
  // Names the message's intent once the handlers ran (the callback logs it).
  bot.use(step.middleware());
  // First: the sender's conversation memory, from the store when instances share one.
  bot.use(memory.middleware());
  bot.use(forgetAcrossForms(memory));
  // An admin pasting a notice (导入学习计划 … 完成 … 确认): before the record form, so the paste is not read as answers.
  bot.use(oneToOneOnly(importing.middleware()));
  bot.use(oneToOneOnly(forms.middleware()));
  bot.use(helpWordsAndGreetings);
  bot.use(oneToOneOnly(personal.middleware(), pointerToPrivateChat(step)));
  bot.use(smallTalk);
  bot.use(multiQuestion(questions, personal));
  bot.use(questions.middleware());
  bot.use(fallback(deps.content));
  return bot.middleware();
}

const inGroup = (ctx: BotContext) => ctx.message.chat.type === 'group';
/** One person's business: the record commands and the office's (the intent step's kinds). */
const PERSONAL = ['record-command', 'office-command'] as const;

/** Runs `middleware` in one-to-one chats; in a group chat, `inGroupChat` (or nothing) instead. */
function oneToOneOnly(middleware: Middleware, inGroupChat?: Middleware): Middleware {
  return (ctx, next) => (inGroup(ctx) ? (inGroupChat ? inGroupChat(ctx, next) : next()) : middleware(ctx, next));
}

/** In a group: what belongs to one person gets a one-line pointer to the private chat, not an answer for all to see. */
function pointerToPrivateChat(step: IntentStep): Middleware {
  return async (ctx, next) => {
    if (ctx.text === undefined || !step.recognise(ctx.text, ctx, PERSONAL)) return next();
    ctx.handledBy = 'private-only';
    await ctx.reply(`“${ctx.text}”请在与学习助手的单聊中发送（点我的头像 → 发消息），群里不显示个人的记录和管理信息。`);
  };
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
