import { randomUUID } from 'node:crypto';
import { shanghaiDate } from '../../content/dates.ts';
import { clip } from '../../content/format.ts';
import { FormStateUnreadableError, type FormState, type FormStateRepository } from '../../storage/ports.ts';
import { messageKey } from '../message.ts';
import type { BotContext, Middleware } from '../context.ts';
import { normalizeText } from '../composer.ts';
import { BACK, CANCEL, CONFIRM, DONE, HELP, PROGRESS, RESTART, RESUME, REWRITE, SKIP, USE_DEFAULT, isControlWord } from './control-words.ts';
import { FormRedirect, FormRefusal, type Field, type FieldScope, type FormDefinition, type FormPatch } from './form.ts';
import { readCorrection, readLooseCorrection, type Correction } from './corrections.ts';
import { wasApplied, withApplied } from './applied-messages.ts';
import { matchChoice } from './parsers.ts';
import { readsAsQuestion } from './question-like.ts';

/**
 * Runs conversational forms. For every form: prompts; re-asks only the error with an example on bad input and, after
 * three failures, offers 帮助/取消; commands at any step (取消, 返回/上一步, 跳过, 修改 N / 修改<字段名>, 进度, 帮助);
 * a numbered summary before saving (确认/提交). A text is first read as the step's answer; only one that is not an
 * answer (or free text that is clearly a question) is taken as a question, answered, and the prompt asked again.
 * Control words (./control-words.ts), the form's own choice words and other features' commands are never values, at
 * any step, the multi-message one included. The state is saved after every accepted answer, so a restart resumes
 * where the user was; an idle form pauses after `idleMs` and its draft is kept for `draftKeepMs` (继续 resumes); a
 * draft of an older form version is offered 继续/重新开始; one message at a time per user (a per-user queue here, and
 * revision-checked writes in the store across processes); one active form per user.
 */
export interface FormEngineOptions {
  forms: FormDefinition[];
  repo: FormStateRepository;
  /** Whether a text is clearly a question for the other handlers (an article, a date's schedule …). */
  isQuestion: (text: string, ctx: BotContext) => boolean;
  /**
   * Whether the question handlers, keyword search included, have an answer for a text worded as a question. One they
   * have none for is not worth interrupting the form with a "nothing found": the step's own error is more use.
   */
  canAnswer?: (text: string, ctx: BotContext) => boolean;
  idleMs?: number;
  draftKeepMs?: number;
}

/** Said when saving failed and it is not known whether the record was saved. */
export const SAVE_UNCERTAIN = '抱歉，保存记录时系统出现异常，暂时无法确认是否已保存。请稍后再回复“确认”：如果已经保存，会直接给出回执，不会重复保存。';
const SAVE_RETRY_PAUSE_MS = 200;

/** Let the rest of the chain handle the message, then run `after`. */
interface Pass {
  after?: () => Promise<void>;
}
const PASS = (): Pass => ({});

export class FormEngine {
  readonly #forms = new Map<string, FormDefinition>();
  readonly #o: Required<FormEngineOptions>;
  readonly #queues = new Map<string, Promise<unknown>>();

  constructor(options: FormEngineOptions) {
    this.#o = { idleMs: 30 * 60_000, draftKeepMs: 7 * 24 * 3600_000, canAnswer: () => true, ...options };
    for (const f of options.forms) this.#forms.set(f.id, f);
  }

  /** Serialises everything the engine does for one user. */
  #serial<T>(userId: string, work: () => Promise<T>): Promise<T> {
    const previous = this.#queues.get(userId) ?? Promise.resolve();
    const run = previous.then(work, work);
    const settled = run.catch(() => {});
    this.#queues.set(userId, settled);
    void settled.then(() => {
      if (this.#queues.get(userId) === settled) this.#queues.delete(userId);
    });
    return run;
  }

  /**
   * The middleware: first in the chain; handles a message when the user has a form going. The rest of the chain (a
   * question, a trigger such as 提交记录) runs after the user's queue is released, so a handler may start a form.
   */
  middleware(): Middleware {
    return async (ctx, next) => {
      if (ctx.text === undefined) return next();
      const pass = await this.#serial(ctx.userId, () => this.#handle(ctx, ctx.text!));
      if (pass) {
        await next();
        await pass.after?.();
      }
    };
  }

  /** Starts a form for the user (from a trigger handler such as 提交记录). */
  start(ctx: BotContext, formId: string, argument?: string): Promise<void> {
    return this.#serial(ctx.userId, async () => {
      const def = this.#forms.get(formId)!;
      let existing = await this.#stateOf(ctx);
      if (existing?.confirmedBy !== undefined) {
        await this.#o.repo.delete(ctx.userId); // a saved form's marker (see #submit), not a form in progress
        existing = undefined;
      }
      if (existing) {
        const other = this.#forms.get(existing.formId);
        await ctx.reply(`您还有一份未完成的《${other?.title ?? '表单'}》。请回复“继续”接着填写，或“取消”放弃后再开始新的。`);
        if (!existing.paused)
          await this.#save(
            ctx,
            { ...existing, paused: true, pausedBy: 'new-start', ...(ctx.text ? { pausedFor: clip(ctx.text, 20) } : {}), pausedNoticeGiven: true },
            existing.revision,
          );
        return;
      }
      const begun = await def.begin(ctx, argument);
      if ('refuse' in begun) return void (await ctx.reply(begun.refuse));
      const now = ctx.clock.now();
      const state: FormState = {
        formId,
        version: def.version,
        step: 0,
        answers: { ...begun.answers },
        attempts: 0,
        ...(begun.amends ? { amends: begun.amends } : {}),
        startedAt: now,
        updatedAt: now,
        expiresAt: now + this.#o.idleMs,
        draftExpiresAt: now + this.#o.draftKeepMs,
        revision: 0,
      };
      this.#advance(def, state, ctx);
      if (begun.atConfirm) state.step = -1;
      if (!(await this.#save(ctx, state, undefined))) return;
      await ctx.reply(
        `开始填写《${def.title}》${begun.amends ? '（修改）' : ''}。${begun.note ? `${begun.note}\n` : ''}随时可回复“取消”放弃、“返回”上一步、“进度”查看已填内容。\n\n${this.#prompt(def, state, ctx)}`,
      );
    });
  }

  /**
   * The user's form, if any. A form the store could not read has been moved aside by it: the user is told, the file
   * named in the log, and the message goes on as if there were no form (帮助 and questions keep working).
   */
  async #stateOf(ctx: BotContext): Promise<FormState | undefined> {
    try {
      return await this.#o.repo.get(ctx.userId);
    } catch (err) {
      if (!(err instanceof FormStateUnreadableError)) throw err;
      ctx.log.error({ movedTo: err.movedTo, reason: err.reason }, 'form state unreadable: moved aside; the user starts afresh');
      await ctx.reply(UNREADABLE_DRAFT);
      return undefined;
    }
  }

  /** Handles the message, or returns what to do around the rest of the chain (then called `next`). */
  async #handle(ctx: BotContext, text: string): Promise<Pass | void> {
    const next = PASS;
    const state = await this.#stateOf(ctx);
    if (!state) return next();
    const key = messageKey(ctx.message);
    if (state.confirmedBy !== undefined) {
      // The form was saved; this marker waits for a retry of the confirming message (WeCom's, after a crash before
      // the receipt got out) or another 确认 (the user did not see the receipt). Both get the receipt: saving again
      // with the same idempotency key returns the saved record. Any other message ends it; a retry of an earlier
      // message of this form is not applied again (the form is done).
      const def = this.#forms.get(state.formId);
      const again = state.confirmedBy === key || (state.savedWith !== undefined && CONFIRM.includes(ctx.understand(text).normalized));
      if (again && def) return this.#submit(ctx, def, state);
      if (wasApplied(state, key)) return;
      await this.#o.repo.delete(ctx.userId);
      return next();
    }
    const def = this.#forms.get(state.formId);
    if (wasApplied(state, key) && def) {
      // A retry of a message already applied (WeCom retries after a restart; the dedupe ledger of lowdb is in memory):
      // applied once, so a summary paragraph is not appended twice. The user gets where they are.
      return ctx.reply(this.#prompt(def, state, ctx));
    }
    const now = ctx.clock.now();
    const t = ctx.understand(text).normalized;
    const is = (words: string[]) => words.includes(t);

    if (now > state.draftExpiresAt || !def) {
      await this.#o.repo.delete(ctx.userId);
      return next();
    }
    if (is(CANCEL)) {
      await this.#o.repo.delete(ctx.userId);
      return ctx.reply(`已取消填写《${def.title}》，草稿已删除。`);
    }
    if (is(RESTART)) {
      await this.#o.repo.delete(ctx.userId);
      return this.#restart(ctx, def);
    }
    if (state.version !== def.version) {
      if (!is(RESUME)) {
        return ctx.reply(`《${def.title}》的填写项已更新。您的草稿是旧版本：回复“继续”保留已填内容接着填写，或“重新开始”。`);
      }
      const known = new Set(def.fields.map((f) => f.name));
      state.answers = Object.fromEntries(Object.entries(state.answers).filter(([k]) => known.has(k)));
      state.version = def.version;
      state.paused = false;
      this.#advance(def, state, ctx);
      return this.#saveAndPrompt(ctx, def, state, '已按新版本保留您填过的内容。');
    }
    if (state.paused || now > state.expiresAt) {
      if (is(RESUME)) {
        state.paused = false;
        state.pausedNoticeGiven = false;
        delete state.pausedBy;
        delete state.pausedFor;
        const held = state.held;
        delete state.held;
        const field = state.step === -1 ? undefined : def.fields[state.step];
        if (held && field?.multiMessage) state.buffer = state.buffer ? `${state.buffer}\n${held}` : held;
        const intro = held && field?.multiMessage ? `好的，接着填写。暂停后发来的“${clip(held, 20)}”已记入${field.label}。` : '好的，接着填写。';
        return this.#saveAndPrompt(ctx, def, state, intro);
      }
      const pausedBy = state.paused ? state.pausedBy : 'idle';
      const pausedNote = `您的《${def.title}》草稿已暂停（${pauseReason(pausedBy, state.pausedFor, now - state.updatedAt)}），会保留到 ${shanghaiDate(state.draftExpiresAt)}`;
      // The form's own words (完成, 确认, 进度 …) are about the draft: never "you have no record in progress".
      if (isControlWord(text) || /^(?:修改|改)\s*(?:第?\s*(?:\d+|[一二三四五六七八九十]+)\s*[项条]?)$/.test(text.normalize('NFKC').trim())) {
        const where = state.step === -1 ? '已填完，停在最后的核对' : `停在“${def.fields[state.step]!.label}”一项`;
        const progress = is(PROGRESS) ? `\n\n${this.#summary(def, state, ctx, '已填写：')}` : '';
        return ctx.reply(`${pausedNote}，${where}，填写的内容都还在。请回复“继续”接着填写，或“取消”放弃。${progress}`);
      }
      // A paused draft does not capture messages: answer them normally, and say once how to continue. At a step written
      // over several messages, the first message after the pause is most likely more of the text: it is kept aside
      // and added when the user says 继续.
      if (state.pausedNoticeGiven && state.paused) return next();
      const field = state.step === -1 ? undefined : def.fields[state.step];
      const holds = field?.multiMessage !== undefined && !def.isCommand?.(text, ctx);
      if (
        !(await this.#save(
          ctx,
          { ...state, paused: true, ...(pausedBy ? { pausedBy } : {}), pausedNoticeGiven: true, ...(holds ? { held: text.trim() } : {}) },
          state.revision,
        ))
      )
        return;
      const heldNote = holds ? `刚才这条“${clip(text.trim(), 20)}”已先保存在草稿中，回复“继续”会把它记入${field!.label}并接着填写` : '回复“继续”接着填写';
      return { after: () => ctx.reply(`提示：${pausedNote}。${heldNote}，或“取消”放弃。`) };
    }
    if (is(RESUME)) return this.#saveAndPrompt(ctx, def, state, '');
    if ([...this.#forms.values()].some((f) => f.triggers.map(normalizeText).includes(t))) {
      return ctx.reply(`您还有一份未完成的《${def.title}》。请回复“继续”接着填写，或“取消”放弃后再开始新的。\n\n${this.#prompt(def, state, ctx)}`);
    }

    const visible = this.#visibleFields(def, state, ctx);
    const numbered = this.#numberedFields(def, state, ctx);
    // At the summary its prompt already is the whole record: shown once, not twice (a phone screen is short).
    if (is(PROGRESS))
      return ctx.reply(state.step === -1 ? this.#prompt(def, state, ctx) : `${this.#summary(def, state, ctx, '已填写：')}\n\n${this.#prompt(def, state, ctx)}`);
    if (is(HELP)) return ctx.reply(this.#help(def, state, ctx));
    const edit = /^(?:修改|改)\s*(?:第?\s*(\d+|[一二三四五六七八九十]+)\s*[项条]?|(.+))$/.exec(text.normalize('NFKC').trim());
    const editable = () => numbered.map((f, i) => `${i + 1}. ${f.label}`).join('\n');
    if (edit?.[1]) {
      const target = numbered[Number(/\d/.test(edit[1]) ? edit[1] : '一二三四五六七八九十'.indexOf(edit[1]) + 1) - 1];
      // Out of range: nothing changes, and the step the user is on is asked again (an answer sent next goes there).
      if (!target)
        return ctx.reply(
          `没有第 ${edit[1]} 项（共 ${numbered.length} 项）。可以修改的是：\n${editable()}\n\n${state.step === -1 ? '' : '当前仍在填写：\n'}${this.#prompt(def, state, ctx)}`,
        );
      this.#goTo(def, state, target);
      return this.#saveAndPrompt(ctx, def, state, '');
    }
    if (edit?.[2] && !def.isCommand?.(text, ctx)) {
      // 修改地点, 改“日期”, 修改一下主题: the rest is a field's name (or a distinctive part of it) and nothing else. A
      // sentence that merely starts with 改 and mentions one (a summary's "修改了“讨论题”中……") is not a command.
      const named = matchChoice(edit[2].replace(/^(?:一下|下)/, '').replace(/[“”‘’"'「」『』]/g, ''), numbered, (f) => f.label);
      if (named && 'item' in named) {
        ctx.handledBy = 'form-correction';
        this.#goTo(def, state, named.item);
        return this.#saveAndPrompt(ctx, def, state, '');
      }
      if (named) return ctx.reply(`要修改哪一项？请回复“修改 N”：\n${named.ambiguous.map((f) => `${numbered.indexOf(f) + 1}. ${f.label}`).join('\n')}`);
    }
    if (is(BACK)) {
      const current = state.step === -1 ? def.fields.length : state.step;
      const previous = [...visible].reverse().find((f) => def.fields.indexOf(f) < current);
      if (!previous) return ctx.reply(`已经是第一项了。\n\n${this.#prompt(def, state, ctx)}`);
      this.#goTo(def, state, previous);
      return this.#saveAndPrompt(ctx, def, state, '');
    }
    // A correction naming its field in words (地点写错了，改成302 · 实到改成14 · 日期应该是20号), at any step, the
    // summary and the confirmation included: applied to that field, never taken as this step's value.
    const correction = readCorrection(
      text,
      numbered.filter((f) => !f.multiMessage && !f.aside),
    );
    if (correction) return this.#correct(ctx, def, state, correction);
    // The same in looser words, before anything reads the text as a command or a value: with a new value it is
    // applied; without one (地点有误, 应到实到填反了) that field is asked again.
    // Not while a text is written over several messages: there a sentence naming a field is the summary's.
    const writing = state.step !== -1 && def.fields[state.step]?.multiMessage !== undefined;
    const loose = writing ? undefined : readLooseCorrection(text, numbered);
    if (loose?.value !== undefined && !loose.field.multiMessage && !loose.field.aside)
      return this.#correct(ctx, def, state, { field: loose.field, name: loose.name, value: loose.value });
    if (loose && !loose.field.aside) {
      ctx.handledBy = 'form-correction';
      this.#goTo(def, state, loose.field);
      return this.#saveAndPrompt(ctx, def, state, `好的，请重新填写“${loose.field.label}”。`);
    }
    // Another feature's command (我的记录, 未提交 …) is answered by its handler, at any step; it is never a value.
    if (def.isCommand?.(text, ctx)) return this.#interrupt(ctx, def, state);

    if (state.step === -1) {
      if (is(CONFIRM)) return this.#submit(ctx, def, state);
      if (this.#answerable(text, ctx)) return this.#interrupt(ctx, def, state);
      return ctx.reply(`请回复“确认”提交，“修改 N”修改第 N 项，或“取消”放弃。\n\n${this.#summary(def, state, ctx, '请核对：')}`);
    }

    const field = def.fields[state.step]!;
    const scope: FieldScope = { ctx, answers: state.answers };
    // A question about how to go on (已有记录: amend or view), not a value: 好, 跳过 and the like do not say which.
    if (field.aside && (is(SKIP) || is(USE_DEFAULT) || is(CONFIRM) || is(DONE))) {
      return ctx.reply(`${is(SKIP) ? '这一步不能跳过' : `“${text.trim()}”没有说明要怎样做`}。请回复${field.example}。\n\n${this.#prompt(def, state, ctx)}`);
    }
    if (is(SKIP)) {
      if (!field.optional) return ctx.reply(`“${field.label}”是必填项，不能跳过。\n\n${this.#prompt(def, state, ctx)}`);
      state.answers[field.name] = null;
      return this.#accept(ctx, def, state, field);
    }
    if (field.multiMessage) return this.#collect(ctx, def, state, field, text);
    const fallback = field.default?.(scope);
    if (fallback !== undefined && is(USE_DEFAULT)) {
      state.answers[field.name] = fallback;
      return this.#accept(ctx, def, state, field);
    }
    // A control word is never a value: 好 where no default is offered, a 确认 sent a step early, a stray 完成 …
    // 确认/完成 at a step reopened by 修改 N or 返回: the answer it already has is kept, and the form moves on.
    if ((is(CONFIRM) || is(DONE)) && !is(USE_DEFAULT) && state.answers[field.name] !== undefined) {
      return this.#applyPatch(ctx, def, state, { intro: `“${field.label}”保持不变。` });
    }
    if (isControlWord(text) || this.#reserved(def, field, t)) {
      const why = is(USE_DEFAULT)
        ? '这一项没有可直接采用的内容，请填写。'
        : is(CONFIRM) || is(DONE)
          ? '还没有填完，请先回答这一项。'
          : `“${text.trim()}”不能作为${field.label}。`;
      return ctx.reply(`${why}\n\n${this.#prompt(def, state, ctx)}`);
    }
    // The answer first; only a text that is not one (or free text that reads as a question) is an interruption.
    // "地点：…" / "主题：…" is an answer whatever it says: the way to keep a place or topic worded as a question.
    const labelled = field.freeText ? labelledAnswer(field.label, text) : undefined;
    // "哦不对，是昨天那次", "不对，应该是302": the answer restated; what follows the 不对 is this step's answer.
    const restated = /^(?:哦|噢|啊|呃)?[，,\s]*(?:不对|错了|说错了|搞错了|不是)[，,。\s]*(?:应该是|应该|是)?\s*(.+)$/s.exec(text.trim())?.[1];
    const parsed = field.parse(labelled ?? restated ?? text.trim(), scope);
    if ('value' in parsed) {
      if (field.freeText && !parsed.exact && labelled === undefined && this.#asksQuestion(text, ctx)) {
        const asLabelled = `如果这就是${field.label}，请回复“${field.label}：${clip(text.trim(), 20)}”。`;
        // A question the handlers know for one (第四十七条, 记录几号截止) needs no such hint; a merely worded one might.
        if (this.#o.isQuestion(text, ctx)) return this.#interrupt(ctx, def, state);
        if (this.#answerable(text, ctx)) return this.#interrupt(ctx, def, state, asLabelled);
        return ctx.reply(`“${clip(text.trim(), 20)}”像是一个问题，学习资料中没有找到相关内容，所以没有记下。${asLabelled}\n\n${this.#prompt(def, state, ctx)}`);
      }
      state.answers[field.name] = parsed.value;
      return this.#accept(ctx, def, state, field);
    }
    // Not this step's answer and worded as a question (教师资格有什么规定 at the date): answered, keyword search and
    // all, then the step is asked again. A reading that was understood but refused (a date not held yet) keeps its
    // error unless the text is itself a question.
    if ((readsAsQuestion(text) || !parsed.understood) && this.#answerable(text, ctx)) return this.#interrupt(ctx, def, state);
    state.attempts++;
    state.updatedAt = ctx.clock.now();
    state.expiresAt = state.updatedAt + this.#o.idleMs;
    if (!(await this.#save(ctx, state, state.revision))) return;
    const more = state.attempts >= 3 ? '\n多次没有识别成功：回复“帮助”查看填写说明，或“取消”放弃填写。' : '';
    return ctx.reply(`${parsed.error}\n例如：${field.example}${more}`);
  }

  /**
   * A text written over several messages: each message is added until 完成 (or 好/确认 once something is kept); 重写
   * starts again. Control words are never added to the text.
   */
  async #collect(ctx: BotContext, def: FormDefinition, state: FormState, field: Field, text: string): Promise<Pass | void> {
    const t = ctx.understand(text).normalized;
    const is = (words: string[]) => words.includes(t);
    const min = field.multiMessage!.minLength;
    const kept = state.buffer ?? '';
    if (is(DONE) || (kept && (is(CONFIRM) || is(USE_DEFAULT)))) {
      if ([...kept].length < min) {
        return ctx.reply(`${field.label}至少需要 ${min} 个字，目前 ${[...kept].length} 个字，请继续补充后回复“完成”。`);
      }
      state.answers[field.name] = kept;
      delete state.buffer;
      return this.#accept(ctx, def, state, field);
    }
    if (is(REWRITE)) {
      delete state.buffer;
      return this.#saveAndPrompt(ctx, def, state, '已清空，请重新填写。');
    }
    if (isControlWord(text) || this.#reserved(def, field, t))
      return ctx.reply(`${kept ? '' : `请先写下${field.label}。`}\n\n${this.#prompt(def, state, ctx)}`.trim());
    // "讨论情况：……" is the text whatever it says. A line that reads as a question to the bot is not silently made
    // part of the official record: it is asked about (a summary may well quote a question: then it is sent labelled).
    const labelled = labelledAnswer(field.label, text);
    if (labelled === undefined && this.#asksTheBot(text, ctx)) {
      return ctx.reply(
        `“${clip(text.trim(), 20)}”像是在提问，没有记入${field.label}。如果它是${field.label}的一部分，请发送“${field.label}：${clip(text.trim(), 20)}”；如果是要问的问题，可以先回复“完成”或填完后再问。\n\n${this.#prompt(def, state, ctx)}`,
      );
    }
    // Everything else is the text: a summary names articles, dates and documents.
    // Kept as typed (full-width marks and all): only the label is taken off.
    const line = labelled === undefined ? text.trim() : text.trim().replace(/^\S*?\s*(?:是|为)?\s*[:：]\s*/u, '');
    state.buffer = kept ? `${kept}\n${line}` : line;
    state.updatedAt = ctx.clock.now();
    state.expiresAt = state.updatedAt + this.#o.idleMs;
    if (!(await this.#save(ctx, state, state.revision))) return;
    return ctx.reply(`已记下（共 ${[...state.buffer].length} 字）。可以继续发送补充内容，写完请回复“完成”。`);
  }

  /** One of the form's words for another of its steps (查看 at the place step): not a value here. */
  #reserved(def: FormDefinition, field: Field, t: string): boolean {
    return !field.takesReservedWords && (def.reservedWords ?? []).some((w) => normalizeText(w) === t);
  }

  /** Back to a field (返回, 修改 N): a multi-message text written before is kept, shown, and can be finished with 完成. */
  #goTo(def: FormDefinition, state: FormState, field: Field): void {
    state.step = def.fields.indexOf(field);
    state.attempts = 0;
    delete state.buffer;
    const before = state.answers[field.name];
    if (field.multiMessage && typeof before === 'string' && before) state.buffer = before;
  }

  /**
   * At a short-answer step: a question the other handlers recognise, or a text worded as one (see ./question-like.ts).
   * Not used at a multi-message step, whose text may well contain questions (a summary of the discussion).
   */
  #asksQuestion(text: string, ctx: BotContext): boolean {
    return readsAsQuestion(text) || this.#o.isQuestion(text, ctx);
  }

  /**
   * A line of a long text that is a question to the bot rather than part of the text: short, and ending as a question
   * (?, 吗, 呢) or one the handlers know (第四十七条是什么, 下周学什么). A summary's own sentences about how to do
   * something (大家讨论了如何践行……) are longer and end as statements.
   */
  #asksTheBot(text: string, ctx: BotContext): boolean {
    const t = text.normalize('NFKC').trim();
    if ([...t].length > 24) return false;
    return /(?:[?？]|[吗呢么嘛][啊呀]?[?？]?)$/.test(t) || (readsAsQuestion(t) && this.#o.isQuestion(t, ctx));
  }

  /** A question the handlers recognise, or one worded as a question that they (keyword search included) can answer. */
  #answerable(text: string, ctx: BotContext): boolean {
    return this.#o.isQuestion(text, ctx) || (readsAsQuestion(text) && this.#o.canAnswer(text, ctx));
  }

  /** Answers the question with the other handlers, then asks the current prompt again (with `note` before it). */
  #interrupt(ctx: BotContext, def: FormDefinition, state: FormState, note = ''): Pass {
    return { after: () => ctx.reply(`（您正在填写《${def.title}》）\n${note ? `${note}\n` : ''}${this.#prompt(def, state, ctx)}`) };
  }

  /**
   * Applies a correction to its field (read by the field's own parser, then the form's afterAnswer as for an
   * answer), and goes back to where the user was: the same step with its text kept, or the confirmation.
   */
  async #correct(ctx: BotContext, def: FormDefinition, state: FormState, { field, value }: Correction): Promise<void> {
    // Named in the callback's log line: a correction is the form's own step, told apart from an answer.
    ctx.handledBy = 'form-correction';
    const scope: FieldScope = { ctx, answers: state.answers };
    const parsed = field.parse(value, scope);
    if (!('value' in parsed)) {
      return ctx.reply(`没有改动“${field.label}”：${parsed.error}\n例如：${field.example}\n\n${this.#prompt(def, state, ctx)}`);
    }
    const previous = state.answers[field.name];
    const corrected = field.amend && previous !== undefined ? field.amend(previous, parsed.value, value) : parsed.value;
    state.answers[field.name] = corrected;
    state.attempts = 0;
    const patch = (await def.afterAnswer?.(field.name, state, ctx)) ?? {};
    const intro = [`已把“${field.label}”改为：${field.format(corrected, scope)}。`, patch.intro].filter(Boolean).join('\n');
    return this.#applyPatch(ctx, def, state, { ...patch, intro }, true);
  }

  async #accept(ctx: BotContext, def: FormDefinition, state: FormState, field: Field): Promise<void> {
    state.attempts = 0;
    const patch = await def.afterAnswer?.(field.name, state, ctx);
    return this.#applyPatch(ctx, def, state, patch ?? {});
  }

  /** Applies a form's change (./form.ts FormPatch), moves on to the first unanswered field, saves and asks. */
  async #applyPatch(ctx: BotContext, def: FormDefinition, state: FormState, patch: FormPatch, keepBuffer = false): Promise<void> {
    for (const [k, v] of Object.entries(patch.answers ?? {})) {
      if (v === undefined) delete state.answers[k];
      else state.answers[k] = v;
    }
    if (patch.amends === null) delete state.amends;
    else if (patch.amends) state.amends = patch.amends;
    const { buffer } = state;
    const before = state.step;
    delete state.buffer;
    this.#advance(def, state, ctx);
    if (patch.atConfirm) state.step = -1;
    // A correction sent while writing a text over several messages: the text written so far stays.
    if (keepBuffer && buffer && state.step === before) state.buffer = buffer;
    return this.#saveAndPrompt(ctx, def, state, patch.intro ?? '');
  }

  async #saveAndPrompt(ctx: BotContext, def: FormDefinition, state: FormState, intro: string): Promise<void> {
    state.updatedAt = ctx.clock.now();
    state.expiresAt = state.updatedAt + this.#o.idleMs;
    state.draftExpiresAt = state.updatedAt + this.#o.draftKeepMs;
    if (!(await this.#save(ctx, state, state.revision))) return;
    await ctx.reply(`${intro ? `${intro}\n\n` : ''}${this.#prompt(def, state, ctx)}`);
  }

  /** Revision-checked write; on a conflict (another message changed the form meanwhile) the user is asked to resend. */
  async #save(ctx: BotContext, state: FormState, expected: number | undefined): Promise<boolean> {
    if (await this.#write(ctx, state, expected)) return true;
    await ctx.reply('刚才有两条消息同时到达，为避免填写内容错乱，这一条没有记录。请稍后重新发送。');
    return false;
  }

  /** The revision-checked write itself: false on a conflict; a store failure throws. */
  async #write(ctx: BotContext, state: FormState, expected: number | undefined): Promise<boolean> {
    // The messages this state is the result of, in the same write: a retry of any of them is recognised (see #handle).
    state.appliedMessages = withApplied(state, messageKey(ctx.message), ctx.clock.now());
    delete state.lastMessage;
    state.draftId ??= randomUUID();
    if (!(await this.#o.repo.put(ctx.userId, state, expected))) return false;
    state.revision = (expected ?? 0) + 1;
    return true;
  }

  /**
   * The record's idempotency key: this draft at this revision. Every 确认 of the same state (WeCom's retry, or the user
   * sending 确认 again because the receipt never came) saves with the same key, so the second finds the first's record
   * and answers with its receipt instead of saving a new revision. A state without a draft id (written before issue
   * 23) falls back to the message id, as it was then.
   */
  #saveKey(ctx: BotContext, state: FormState): string {
    if (state.savedWith !== undefined) return state.savedWith;
    if (state.draftId !== undefined) return `form:${state.draftId}:${state.revision}`;
    return ctx.message.id ?? `${ctx.userId}:${ctx.clock.now()}`;
  }

  async #restart(ctx: BotContext, def: FormDefinition): Promise<void> {
    await ctx.reply('好的，重新开始。');
    await this.#startAgain(ctx, def);
  }

  async #startAgain(ctx: BotContext, def: FormDefinition): Promise<void> {
    const begun = await def.begin(ctx);
    if ('refuse' in begun) return void (await ctx.reply(begun.refuse));
    const now = ctx.clock.now();
    const state: FormState = {
      formId: def.id,
      version: def.version,
      step: 0,
      answers: { ...begun.answers },
      attempts: 0,
      startedAt: now,
      updatedAt: now,
      expiresAt: now + this.#o.idleMs,
      draftExpiresAt: now + this.#o.draftKeepMs,
      revision: 0,
    };
    this.#advance(def, state, ctx);
    if (await this.#save(ctx, state, undefined)) await ctx.reply(this.#prompt(def, state, ctx));
  }

  async #submit(ctx: BotContext, def: FormDefinition, state: FormState): Promise<void> {
    const saveKey = this.#saveKey(ctx, state);
    let receipt: string;
    try {
      receipt = await this.#submitOnce(ctx, def, state, saveKey);
    } catch (err) {
      if (err instanceof FormRefusal) return ctx.reply(err.message);
      if (err instanceof FormRedirect)
        return this.#applyPatch(ctx, def, state, { ...err.patch, intro: [err.message, err.patch.intro].filter(Boolean).join('\n') });
      // The store failed twice: the record may or may not be saved (a connection lost after the commit). Not the
      // generic "出了点问题": the user is told that 确认 again is safe, because it saves with the same key.
      ctx.log.error({ err, saveKey }, 'saving the record failed');
      return ctx.reply(SAVE_UNCERTAIN);
    }
    // Saved: the receipt is the truth from here on, and the user gets it whatever happens to the form state (issue 23:
    // a failed state write after the save used to answer "出了点问题", and the next 确认 offered to save again).
    // The state is not deleted yet: kept as "confirmed by this message" until the user's next other message, so a
    // retry of this one, or another 确认, gets the receipt again instead of an answer to a bare "确认". Should this
    // write fail, the state stays at the summary with the same revision: the next 确认 saves with the same key, finds
    // the record and answers with its receipt.
    if (state.confirmedBy === undefined) {
      const { buffer: _b, ...rest } = state;
      try {
        if (!(await this.#write(ctx, { ...rest, confirmedBy: messageKey(ctx.message) ?? saveKey, savedWith: saveKey }, state.revision))) {
          ctx.log.warn({ saveKey }, 'record saved; the form state changed meanwhile, its receipt marker was not written');
        }
      } catch (err) {
        ctx.log.error({ err, saveKey }, 'record saved; its receipt could not be kept in the form state (the next 确认 finds the record)');
      }
    }
    await ctx.reply(receipt);
  }

  /**
   * The form's save, tried a second time when the store failed: saving again with the same key is safe (it returns
   * the record if the first attempt got as far as saving it, e.g. a connection dropped after the commit).
   */
  async #submitOnce(ctx: BotContext, def: FormDefinition, state: FormState, saveKey: string): Promise<string> {
    try {
      return await def.submit(state, ctx, saveKey);
    } catch (err) {
      if (err instanceof FormRefusal || err instanceof FormRedirect) throw err;
      ctx.log.warn({ err, saveKey }, 'saving the record failed; trying once more with the same key');
      await new Promise((r) => setTimeout(r, SAVE_RETRY_PAUSE_MS));
      return def.submit(state, ctx, saveKey);
    }
  }

  /** Moves to the first unanswered field (taking defaults of fields that are not asked), or to the confirmation. */
  #advance(def: FormDefinition, state: FormState, ctx: BotContext): void {
    const scope: FieldScope = { ctx, answers: state.answers };
    for (const [i, f] of def.fields.entries()) {
      if (state.answers[f.name] !== undefined) continue;
      if (f.skipWhen?.(scope)) {
        state.answers[f.name] = f.default?.(scope) ?? null;
        continue;
      }
      state.step = i;
      return;
    }
    state.step = -1;
  }

  #visibleFields(def: FormDefinition, state: FormState, ctx: BotContext): Field[] {
    return def.fields.filter((f) => !f.skipWhen?.({ ctx, answers: state.answers }));
  }

  /** The steps as the user sees them numbered ("3/9", the summary, 修改 N): asides (see Field.aside) left out. */
  #numberedFields(def: FormDefinition, state: FormState, ctx: BotContext): Field[] {
    return this.#visibleFields(def, state, ctx).filter((f) => !f.aside);
  }

  #prompt(def: FormDefinition, state: FormState, ctx: BotContext): string {
    // The confirmation shows every text whole (a long one is split over messages by the transport): what is
    // confirmed is what was read.
    if (state.step === -1) return `${this.#summary(def, state, ctx, '请核对：', true)}\n\n回复“确认”提交，“修改 N”修改第 N 项，“取消”放弃。`;
    const field = def.fields[state.step]!;
    const scope: FieldScope = { ctx, answers: state.answers };
    const numbered = this.#numberedFields(def, state, ctx);
    const fallback = field.default?.(scope);
    const hint = fallback !== undefined ? field.defaultHint?.(fallback, scope) : undefined;
    const hints = [
      fallback !== undefined ? (hint ? `${hint}（直接回复“好”采用）` : `直接回复“好”采用：${field.format(fallback, scope)}`) : '',
      field.optional ? '如没有，可回复“跳过”' : '',
      field.multiMessage ? '可分几条发送，写完回复“完成”' : '',
    ].filter(Boolean);
    // The kept text is shown (its start), so 返回 to it does not look empty and 完成 keeps it.
    const preview = state.buffer ? clip(state.buffer, 80) : '';
    const buffered = state.buffer ? `\n已记下 ${[...state.buffer].length} 字：${preview}\n回复“完成”保留，继续发送可补充，“重写”清空重写。` : '';
    const counter = field.aside ? '' : `（${numbered.indexOf(field) + 1}/${numbered.length}）`;
    return `${counter}${field.prompt(scope)}${hints.length ? `\n${hints.join('；')}。` : ''}${buffered}`;
  }

  #summary(def: FormDefinition, state: FormState, ctx: BotContext, head: string, whole = false): string {
    const scope: FieldScope = { ctx, answers: state.answers };
    const lines = this.#numberedFields(def, state, ctx).map((f, i) => {
      const v = state.answers[f.name];
      const writing = f === def.fields[state.step] && state.buffer ? `（正在填写，已记下 ${[...state.buffer].length} 字）${clip(state.buffer, 40)}` : undefined;
      const shown = whole && f.multiMessage && typeof v === 'string' ? v : v === undefined ? '（待填）' : v === null ? '（未填）' : f.format(v, scope);
      return `${i + 1}. ${f.label}：${writing ?? shown}`;
    });
    return `${head}\n${lines.join('\n')}`;
  }

  #help(def: FormDefinition, state: FormState, ctx: BotContext): string {
    const field = state.step === -1 ? undefined : def.fields[state.step];
    return [
      `正在填写《${def.title}》。`,
      field ? `当前一项：${field.label}。例如：${field.example}` : '已填完，请核对后回复“确认”提交。',
      '可用的回复：取消（放弃）、返回（上一步）、跳过（选填项）、修改 N（改第 N 项）、进度（查看已填）、继续。',
      '',
      this.#prompt(def, state, ctx),
    ].join('\n');
  }
}

/**
 * Why a draft is paused, as the note says it: the real reason, never a made-up idle time. `idleMs`: since the user's
 * last answer to the form (its updatedAt).
 */
function pauseReason(by: FormState['pausedBy'], what: string | undefined, idleMs: number): string {
  if (by === 'new-start') return what ? `您在填写中发送了“${what}”，要开始另一份填写` : '您在填写中要开始另一份填写';
  const minutes = Math.floor(idleMs / 60_000);
  if (minutes >= 120) return `已有 ${Math.floor(minutes / 60)} 小时未回复`;
  return minutes >= 1 ? `已有 ${minutes} 分钟未回复` : '刚刚暂停';
}

const UNREADABLE_DRAFT =
  '抱歉，您之前未完成的记录草稿无法读取（保存它的文件已损坏），已另存备查，党委办公室可以查看。如需继续提交，请重新发送“提交记录”开始填写。';

/**
 * The text after a field's own label, "地点：行政楼" or "主题：为什么要讲诚信" (the label without a leading 学习 also
 * counts); undefined when the text does not start with it.
 */
function labelledAnswer(label: string, text: string): string | undefined {
  const t = text.normalize('NFKC').trim();
  for (const name of new Set([label, label.replace(/^学习/, '')])) {
    const m = new RegExp(`^${name}\\s*(?:是|为)?\\s*[:：]\\s*(.+)$`, 's').exec(t);
    if (m) return m[1]!.trim();
  }
  return undefined;
}
