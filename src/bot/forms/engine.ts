import { shanghaiDate } from '../../content/dates.ts';
import type { FormState, FormStateRepository } from '../../storage/ports.ts';
import { dedupeKey } from '../../wecom/messages.ts';
import type { BotContext, Middleware } from '../context.ts';
import { normalizeText } from '../composer.ts';
import { FormRefusal, type Field, type FieldScope, type FormDefinition } from './form.ts';

/**
 * Runs conversational forms. For every form: prompts; re-asks only the error with an example on bad input and, after
 * three failures, offers 帮助/取消; commands at any step (取消, 返回/上一步, 跳过, 修改 N / 修改<字段名>, 进度, 帮助);
 * a numbered summary before saving (确认/提交); a question that is clearly not an answer is answered and the prompt
 * asked again; the state is saved after every accepted answer, so a restart resumes where the user was; an idle form
 * pauses after `idleMs` and its draft is kept for `draftKeepMs` (继续 resumes); a draft of an older form version is
 * offered 继续/重新开始; one message at a time per user (a per-user queue here, and revision-checked writes in the store
 * across processes); one active form per user.
 */
export interface FormEngineOptions {
  forms: FormDefinition[];
  repo: FormStateRepository;
  /** Whether a text is clearly a question for the other handlers (an article, a date's schedule …). */
  isQuestion: (text: string, ctx: BotContext) => boolean;
  idleMs?: number;
  draftKeepMs?: number;
}

/** Let the rest of the chain handle the message, then run `after`. */
interface Pass {
  after?: () => Promise<void>;
}
const PASS = (): Pass => ({});

const CANCEL = ['取消', '放弃', '退出', '不填了'];
const BACK = ['返回', '上一步', '上一个'];
const SKIP = ['跳过', '略过', '不填'];
const PROGRESS = ['进度', '已填', '查看进度'];
const HELP = ['帮助', '说明', '怎么填', 'help'];
const RESUME = ['继续', '继续填写', '接着填'];
const RESTART = ['重新开始', '重填', '重来'];
const CONFIRM = ['确认', '提交', '确定', '是', '对', '好', '没问题', '确认提交'];
const DONE = ['完成', '写完了', '结束', '好了'];
const USE_DEFAULT = ['好', '默认', '是', '对', '可以', '就这个', '确认'];

export class FormEngine {
  readonly #forms = new Map<string, FormDefinition>();
  readonly #o: Required<FormEngineOptions>;
  readonly #queues = new Map<string, Promise<unknown>>();

  constructor(options: FormEngineOptions) {
    this.#o = { idleMs: 30 * 60_000, draftKeepMs: 7 * 24 * 3600_000, ...options };
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
      let existing = await this.#o.repo.get(ctx.userId);
      if (existing?.confirmedBy !== undefined) {
        await this.#o.repo.delete(ctx.userId); // a saved form's marker (see #submit), not a form in progress
        existing = undefined;
      }
      if (existing) {
        const other = this.#forms.get(existing.formId);
        await ctx.reply(`您还有一份未完成的《${other?.title ?? '表单'}》。请回复“继续”接着填写，或“取消”放弃后再开始新的。`);
        if (!existing.paused) await this.#save(ctx, { ...existing, paused: true, pausedNoticeGiven: true }, existing.revision);
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
      await ctx.reply(`开始填写《${def.title}》${begun.amends ? '（修改）' : ''}。随时可回复“取消”放弃、“返回”上一步、“进度”查看已填内容。\n\n${this.#prompt(def, state, ctx)}`);
    });
  }

  /** Handles the message, or returns what to do around the rest of the chain (then called `next`). */
  async #handle(ctx: BotContext, text: string): Promise<Pass | void> {
    const next = PASS;
    const state = await this.#o.repo.get(ctx.userId);
    if (!state) return next();
    const key = dedupeKey(ctx.message);
    if (state.confirmedBy !== undefined) {
      // The form was saved; this marker waits for a retry of the confirming message (WeCom's, after a crash before
      // the receipt got out). That retry gets the receipt (the save is idempotent by MsgId); any other message ends it.
      const def = this.#forms.get(state.formId);
      if (state.confirmedBy === key && def) return this.#submit(ctx, def, state);
      await this.#o.repo.delete(ctx.userId);
      return next();
    }
    const def = this.#forms.get(state.formId);
    if (state.lastMessage === key && def) {
      // A retry of a message already applied (WeCom retries after a restart; the dedupe ledger of lowdb is in memory):
      // applied once, so a summary paragraph is not appended twice. The user gets where they are.
      return ctx.reply(this.#prompt(def, state, ctx));
    }
    const now = ctx.clock.now();
    const t = normalizeText(text);
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
        return this.#saveAndPrompt(ctx, def, state, '好的，接着填写。');
      }
      // A paused draft does not capture messages: answer them normally, and say once how to continue.
      if (state.pausedNoticeGiven && state.paused) return next();
      if (!(await this.#save(ctx, { ...state, paused: true, pausedNoticeGiven: true }, state.revision))) return;
      return {
        after: () =>
          ctx.reply(`提示：您的《${def.title}》草稿已暂停（超过 ${Math.round(this.#o.idleMs / 60_000)} 分钟未回复），会保留到 ${shanghaiDate(state.draftExpiresAt)}。回复“继续”接着填写，或“取消”放弃。`),
      };
    }
    if (is(RESUME)) return this.#saveAndPrompt(ctx, def, state, '');
    if ([...this.#forms.values()].some((f) => f.triggers.map(normalizeText).includes(t))) {
      return ctx.reply(`您还有一份未完成的《${def.title}》。请回复“继续”接着填写，或“取消”放弃后再开始新的。\n\n${this.#prompt(def, state, ctx)}`);
    }

    const visible = this.#visibleFields(def, state, ctx);
    if (is(PROGRESS)) return ctx.reply(`${this.#summary(def, state, ctx, '已填写：')}\n\n${this.#prompt(def, state, ctx)}`);
    if (is(HELP)) return ctx.reply(this.#help(def, state, ctx));
    const edit = /^(?:修改|改)\s*(?:第?\s*(\d+|[一二三四五六七八九十]+)\s*[项条]?|(.+))$/.exec(text.normalize('NFKC').trim());
    if (edit) {
      const target = edit[1] ? visible[Number(/\d/.test(edit[1]) ? edit[1] : '一二三四五六七八九十'.indexOf(edit[1]) + 1) - 1] : visible.find((f) => edit[2]!.includes(f.label));
      if (target) {
        state.step = def.fields.indexOf(target);
        state.attempts = 0;
        delete state.buffer;
        return this.#saveAndPrompt(ctx, def, state, '');
      }
      if (edit[1]) return ctx.reply(`没有第 ${edit[1]} 项。可以修改的是：\n${visible.map((f, i) => `${i + 1}. ${f.label}`).join('\n')}`);
    }
    if (is(BACK)) {
      const current = state.step === -1 ? def.fields.length : state.step;
      const previous = [...visible].reverse().find((f) => def.fields.indexOf(f) < current);
      if (!previous) return ctx.reply(`已经是第一项了。\n\n${this.#prompt(def, state, ctx)}`);
      state.step = def.fields.indexOf(previous);
      state.attempts = 0;
      delete state.buffer;
      return this.#saveAndPrompt(ctx, def, state, '');
    }

    if (state.step === -1) {
      if (is(CONFIRM)) return this.#submit(ctx, def, state);
      if (this.#o.isQuestion(text, ctx)) return this.#interrupt(ctx, def, state);
      return ctx.reply(`请回复“确认”提交，“修改 N”修改第 N 项，或“取消”放弃。\n\n${this.#summary(def, state, ctx, '请核对：')}`);
    }

    const field = def.fields[state.step]!;
    const scope: FieldScope = { ctx, answers: state.answers };
    if (is(SKIP)) {
      if (!field.optional) return ctx.reply(`“${field.label}”是必填项，不能跳过。\n\n${this.#prompt(def, state, ctx)}`);
      state.answers[field.name] = null;
      return this.#accept(ctx, def, state);
    }
    if (field.freeText && this.#o.isQuestion(text, ctx)) return this.#interrupt(ctx, def, state);
    if (field.multiMessage) {
      if (is(DONE)) {
        const total = state.buffer ?? '';
        if ([...total].length < field.multiMessage.minLength) {
          return ctx.reply(`${field.label}至少需要 ${field.multiMessage.minLength} 个字，目前 ${[...total].length} 个字，请继续补充后回复“完成”。`);
        }
        state.answers[field.name] = total;
        delete state.buffer;
        return this.#accept(ctx, def, state);
      }
      state.buffer = state.buffer ? `${state.buffer}\n${text.trim()}` : text.trim();
      state.updatedAt = ctx.clock.now();
      state.expiresAt = state.updatedAt + this.#o.idleMs;
      if (!(await this.#save(ctx, state, state.revision))) return;
      return ctx.reply(`已记下（共 ${[...state.buffer].length} 字）。可以继续发送补充内容，写完请回复“完成”。`);
    }
    const fallback = field.default?.(scope);
    if (fallback !== undefined && is(USE_DEFAULT)) {
      state.answers[field.name] = fallback;
      return this.#accept(ctx, def, state);
    }
    const parsed = field.parse(text.trim(), scope);
    if ('value' in parsed) {
      state.answers[field.name] = parsed.value;
      return this.#accept(ctx, def, state);
    }
    if (!parsed.understood && this.#o.isQuestion(text, ctx)) return this.#interrupt(ctx, def, state);
    state.attempts++;
    state.updatedAt = ctx.clock.now();
    state.expiresAt = state.updatedAt + this.#o.idleMs;
    if (!(await this.#save(ctx, state, state.revision))) return;
    const more = state.attempts >= 3 ? '\n多次没有识别成功：回复“帮助”查看填写说明，或“取消”放弃填写。' : '';
    return ctx.reply(`${parsed.error}\n例如：${field.example}${more}`);
  }

  /** Answers the question with the other handlers, then asks the current prompt again. */
  #interrupt(ctx: BotContext, def: FormDefinition, state: FormState): Pass {
    return { after: () => ctx.reply(`（您正在填写《${def.title}》）\n${this.#prompt(def, state, ctx)}`) };
  }

  async #accept(ctx: BotContext, def: FormDefinition, state: FormState): Promise<void> {
    state.attempts = 0;
    this.#advance(def, state, ctx);
    return this.#saveAndPrompt(ctx, def, state, '');
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
    // Which message this state is the result of: a retry of it is recognised (see #handle).
    state.lastMessage = dedupeKey(ctx.message);
    if (await this.#o.repo.put(ctx.userId, state, expected)) {
      state.revision = (expected ?? 0) + 1;
      return true;
    }
    await ctx.reply('刚才有两条消息同时到达，为避免填写内容错乱，这一条没有记录。请稍后重新发送。');
    return false;
  }

  async #restart(ctx: BotContext, def: FormDefinition): Promise<void> {
    await ctx.reply('好的，重新开始。');
    await this.#startAgain(ctx, def);
  }

  async #startAgain(ctx: BotContext, def: FormDefinition): Promise<void> {
    const begun = await def.begin(ctx);
    if ('refuse' in begun) return void (await ctx.reply(begun.refuse));
    const now = ctx.clock.now();
    const state: FormState = { formId: def.id, version: def.version, step: 0, answers: { ...begun.answers }, attempts: 0, startedAt: now, updatedAt: now, expiresAt: now + this.#o.idleMs, draftExpiresAt: now + this.#o.draftKeepMs, revision: 0 };
    this.#advance(def, state, ctx);
    if (await this.#save(ctx, state, undefined)) await ctx.reply(this.#prompt(def, state, ctx));
  }

  async #submit(ctx: BotContext, def: FormDefinition, state: FormState): Promise<void> {
    try {
      const receipt = await def.submit(state, ctx);
      const key = dedupeKey(ctx.message);
      // Not deleted yet: kept as "confirmed by this message" until the user's next message, so a retry of this one
      // after a crash before the reply gets the receipt again instead of an answer to a bare "确认".
      if (state.confirmedBy !== key) {
        const { buffer: _b, ...rest } = state;
        if (!(await this.#save(ctx, { ...rest, confirmedBy: key }, state.revision))) return;
      }
      await ctx.reply(receipt);
    } catch (err) {
      if (err instanceof FormRefusal) return ctx.reply(err.message);
      throw err;
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

  #prompt(def: FormDefinition, state: FormState, ctx: BotContext): string {
    if (state.step === -1) return `${this.#summary(def, state, ctx, '请核对：')}\n\n回复“确认”提交，“修改 N”修改第 N 项，“取消”放弃。`;
    const field = def.fields[state.step]!;
    const scope: FieldScope = { ctx, answers: state.answers };
    const visible = this.#visibleFields(def, state, ctx);
    const n = visible.indexOf(field) + 1;
    const fallback = field.default?.(scope);
    const hints = [
      fallback !== undefined ? `直接回复“好”采用：${field.format(fallback, scope)}` : '',
      field.optional ? '没有可回复“跳过”' : '',
      field.multiMessage ? '可分几条发送，写完回复“完成”' : '',
    ].filter(Boolean);
    const buffered = state.buffer ? `\n（已记下 ${[...state.buffer].length} 字）` : '';
    return `（${n}/${visible.length}）${field.prompt(scope)}${hints.length ? `\n${hints.join('；')}。` : ''}${buffered}`;
  }

  #summary(def: FormDefinition, state: FormState, ctx: BotContext, head: string): string {
    const scope: FieldScope = { ctx, answers: state.answers };
    const lines = this.#visibleFields(def, state, ctx).map((f, i) => {
      const v = state.answers[f.name];
      return `${i + 1}. ${f.label}：${v === undefined ? '（待填）' : v === null ? '（未填）' : f.format(v, scope)}`;
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
