import type { Composer } from '../src/bot/composer.ts';
import type { BotContext, Middleware, Reply } from '../src/bot/context.ts';
import { KEYWORD_HANDLERS } from './search.ts';

/**
 * A message that asks several things ("9月20日学什么？第四十七条是什么") gets each answered in turn, each answer
 * headed by the question it answers; a part nobody understood is named at the end, so the user knows which one
 * went unanswered. A message a specific handler takes whole is left to it unless two of its sentences are
 * questions of their own: "请问，第四十七条是什么" is one question.
 *
 * Bounded (src/bot/limits.ts): the same question written twice is answered once; at most `maxQuestions` are
 * answered and one note says how many were and where the rest begins; only the first parts are looked at (a part
 * further on would not be answered anyway), so the work does not grow with a message of thousands of parts.
 */
const SENTENCES = /[？?；;！!\n]+|。(?=.)/;
const CLAUSES = /[，,]+/;
/** 学习主题和讨论题, 学习安排与讨论题: two things asked for at once, each a question of its own. */
const CONJUNCTIONS = /以及|和|与|及|跟|、/;
const MIN_PART = 2;
/** What the handler probe says of a part that is a command, not a question. */
const COMMAND = 'command';
/** Courtesies around questions are not questions: 你好。…谢谢！ */
/** Parts looked at, per `maxQuestions` answered: room for courtesies, commands and parts nobody understands. */
const PROBED_PER_QUESTION = 4;
/** Parts named in a note (not understood, not answered): a few, then how many more. */
const NAMED_MAX = 5;
const COURTESY = /^(你好|您好|老师好|请问|麻烦(您|你)?了?|谢谢(您|你)?|多谢|辛苦了?|打扰了?|在吗|hi|hello)[啊呀哈~～]*$/i;

/**
 * `commands` (the record form, the office's tools) are not answered inside a message of several: a command runs a
 * conversation of its own, so it is named at the end and asked to be sent alone ("提交记录，另外第四十七条是什么").
 */
export function multiQuestion(questions: Composer, commands?: Composer): Middleware {
  return async (ctx, next) => {
    if (ctx.text === undefined) return next();
    const whole = questions.wouldHandle(ctx.text, ctx);
    // Commands first, as in the handler order: keyword search would take nearly anything (提交 is in an article).
    const handler = (p: string) => (commands?.wouldHandle(p, ctx) ? COMMAND : questions.wouldHandle(p, ctx));
    const max = ctx.limits.maxQuestions;
    const parts = questionParts(ctx.text, handler, whole !== undefined && KEYWORD_HANDLERS.includes(whole) ? undefined : whole, max * PROBED_PER_QUESTION);
    if (!parts) return next();
    ctx.handledBy = 'multi-question';
    const run = questions.middleware();
    const asked = parts.answered.filter((p) => handler(p) !== COMMAND);
    const answering = asked.slice(0, max);
    const commandParts = parts.answered.filter((p) => handler(p) === COMMAND);
    const headed = asked.length + parts.unanswered.length > 1;
    // Answered in turn while the reply limits allow; the first one not answered in full is where the rest begins.
    let done = 0;
    for (const [i, part] of answering.entries()) {
      if (ctx.replyCut) break;
      await run(childContext(ctx, part, headed ? `【${i + 1}】${part}` : undefined), async () => {});
      if (!ctx.replyCut) done = i + 1;
    }
    const rest = [...asked.slice(done), ...parts.beyond];
    if (rest.length > 0) {
      // Said last, whatever the limits cut: how many were answered and how to ask for the rest.
      ctx.replyLast(
        `这条消息里的问题较多，为免刷屏，我回答了前 ${done} 个。其余 ${rest.length} 处（从“${clip(rest[0]!)}”起）请分几次发送，每条消息最多问 ${max} 个问题（查条文范围时请少问几个）。`,
      );
    }
    if (commandParts.length) {
      const named = names(commandParts);
      // In a group the command is one person's business: where to send it, as the group pointer says.
      await ctx.reply(
        ctx.message.chat.type === 'group' ? `${named}请在与学习助手的单聊中单独发送。` : `${named}请单独发一条消息（只写这几个字），我再为您办理。`,
      );
    }
    if (parts.unanswered.length) {
      await ctx.reply(`以下内容没有找到答案：${names(parts.unanswered)}。可以换个说法再问，或发送“帮助”查看用法。`);
    }
  };
}

/**
 * The parts worth answering separately: sentences first, then comma-separated clauses. Several parts are needed, and
 * at least one must be taken by a specific handler (not only keyword search), or the message is one question.
 */
function questionParts(
  text: string,
  handler: (part: string) => string | undefined,
  whole: string | undefined,
  probed: number,
): { answered: string[]; unanswered: string[]; beyond: string[] } | undefined {
  for (const separator of [SENTENCES, CLAUSES, CONJUNCTIONS]) {
    const all = text
      .split(separator)
      .map((p) => p.trim().replace(/^(还有|另外|以及|顺便问一下|顺便问下|再问一下|再问下|还想问|还想知道)[,，、]?/, ''))
      .filter((p) => [...p].length >= MIN_PART && !COURTESY.test(p));
    // The same question twice is one question; parts past the first `probed` are not looked at (see the top).
    const unique = [...new Set(all)];
    const parts = unique.slice(0, probed);
    const beyond = unique.slice(probed);
    const by = parts.map(handler);
    // Courtesies dropped, one question is left ("你好，请问第四十七条是什么"): answer it as it is.
    if (parts.length === 1 && !whole && by[0] && !KEYWORD_HANDLERS.includes(by[0])) return { answered: parts, unanswered: [], beyond };
    if (parts.length < 2) continue;
    const specific = by.filter((h) => h && !KEYWORD_HANDLERS.includes(h));
    if (separator !== SENTENCES) {
      // Commas also join the halves of one question ("升旗仪式在哪天，谁组织"): split there only when every part is a
      // question of its own and the message is not one already.
      // A message one handler takes whole may still be two ("第四十七条，还有9月27日学啥"): when each part is another
      // handler's question. The same holds for 和 and 、, which also join the words of one question (教师和学生讨论题,
      // 第四十一条和第四十三条).
      if (specific.length < 2 || by.some((h) => !h) || (whole && new Set(specific).size < 2)) continue;
      // Keyword questions join words with 和 all the time (权利和义务): a part only search finds is not a question here.
      if (separator === CONJUNCTIONS && specific.length < parts.length) continue;
    } else if (whole) {
      // A message one handler takes whole is split when two sentences are questions of their own, or one is another
      // handler's: "第十条是什么？明天会下雨吗" is not a question about tomorrow's schedule.
      if (specific.length < 2 && !specific.some((h) => h !== whole)) continue;
    } else if (specific.length < 1 && by.filter(Boolean).length < 2) continue;
    return { answered: parts.filter((_, i) => by[i]), unanswered: parts.filter((_, i) => !by[i]), beyond };
  }
  return undefined;
}

/** “甲”、“乙”: a few parts by name (each clipped), then how many more. */
function names(parts: readonly string[]): string {
  const named = parts
    .slice(0, NAMED_MAX)
    .map((p) => `“${clip(p)}”`)
    .join('、');
  return parts.length > NAMED_MAX ? `${named}等 ${parts.length} 处` : named;
}

/** A part as quoted in a note: its first 20 characters. */
function clip(part: string): string {
  const chars = [...part];
  return chars.length > 20 ? `${chars.slice(0, 20).join('')}…` : part;
}

/** The message as if it said only `part`; its first reply is headed by the question. */
function childContext(ctx: BotContext, part: string, heading: string | undefined): BotContext {
  let first = heading !== undefined;
  const reply = (r: Reply) => {
    const headed = first && heading ? (typeof r === 'string' ? `${heading}\n${r}` : { markdown: `**${heading}**\n${r.markdown}` }) : r;
    first = false;
    return ctx.reply(headed);
  };
  return Object.create(ctx, { text: { value: part }, reply: { value: reply }, handledBy: { value: ctx.handledBy, writable: true } }) as BotContext;
}
