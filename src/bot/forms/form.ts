import type { BotContext } from '../context.ts';
import type { FormState } from '../../storage/ports.ts';
import { AppError } from '../../errors.ts';

/**
 * A conversational form, declared: a list of fields, each turning free text into a value (or a short error with an
 * example), and what to do with the answers. The engine (./engine.ts) does the conversation: prompts, re-prompts,
 * commands, interruptions, persistence, expiry, one message at a time per user.
 */
export interface FieldScope {
  ctx: BotContext;
  answers: Record<string, unknown>;
}

/**
 * `understood`: the text was read as an answer but is not acceptable (so it is not taken for a question).
 * `exact`: at a free-text step, the text was recognised (a number from the offered list), so it is the answer even if
 * it could also be read as a question; other free-text values give way to a clear question.
 */
export type ParseResult<T> = { value: T; exact?: boolean } | { error: string; understood?: boolean };

export interface Field<T = unknown> {
  name: string;
  /** Short label for the summary and 修改<label>: "学习组". */
  label: string;
  /** Other names people use for it in a correction ("实到改成14", "日期应该是20号"): ./corrections.ts. */
  aliases?: string[];
  /** Aliases that are part of the value they name ("应到改成15" is read as "应到15"). */
  valueAliases?: string[];
  prompt(scope: FieldScope): string;
  example: string;
  optional?: boolean;
  /** Free text (place, summary): a clear question is answered as an interruption before trying to read it as an answer. */
  freeText?: boolean;
  /** Collected over several messages until 完成, at least this many characters. */
  multiMessage?: { minLength: number };
  /** This field's answers include the form's reserved words (see FormDefinition.reservedWords). */
  takesReservedWords?: boolean;
  /** Offered in the prompt; 好 / 默认 accepts it. */
  default?(scope: FieldScope): T | undefined;
  /** How the default is offered when not simply its value ("同上次：302会议室"). */
  defaultHint?(value: T, scope: FieldScope): string | undefined;
  /**
   * Asked only when the answers so far call for it, about how to go on rather than a value of the form (已有记录:
   * amend it or view it). It has no step number and no line in the summary, so the step counter's total ("3/9") stays
   * the same whether it comes up or not. A field skipped by `skipWhen` on the answers should be one of these.
   */
  aside?: boolean;
  /** Not asked at all (its default is taken): e.g. the group when the secretary has only one. */
  skipWhen?(scope: FieldScope): boolean;
  parse(text: string, scope: FieldScope): ParseResult<T>;
  format(value: T, scope: FieldScope): string;
  /**
   * How a correction combines with the value it corrects (实到改成14 keeps 应到15): without it the correction's
   * value replaces the old one whole. `said` is the correction's text as read for the field.
   */
  amend?(previous: T, corrected: T, said: string): T;
}

/**
 * A form's fields hold values of different types (a group, a date, a count …), each field consistent with itself:
 * `Field<unknown>` would refuse them, because a field's `format` takes its own type. One alias says so once.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a list of fields of different value types
export type AnyField = Field<any>;

export interface FormDefinition {
  id: string;
  /** Bump when fields change: a saved draft of an older version is offered 继续 / 重新开始. */
  version: number;
  title: string;
  /** What users send to start it (提交记录): said again while it is going, the user is asked to continue or cancel. */
  triggers: string[];
  fields: AnyField[];
  /** Who may fill it and with what to start; `refuse` is said to the user instead. */
  /** `note`: said once with the form's opening line (the one group a record is for, when the user has only one). */
  begin(
    ctx: BotContext,
    argument?: string,
  ): Promise<{ answers?: Record<string, unknown>; amends?: string; atConfirm?: boolean; note?: string } | { refuse: string }>;
  /**
   * Saves the answers; returns the reply (the receipt). Throwing FormRefusal says its message and keeps the draft;
   * throwing FormRedirect changes answers and asks again (what was confirmed is out of date). `idempotencyKey` names
   * this confirmation of this draft: saving twice with it must save once and return the first result.
   */
  submit(state: FormState, ctx: BotContext, idempotencyKey: string): Promise<string>;
  /** After a field is answered: facts to look up (in the store, so read fresh) that change the rest of the form. */
  afterAnswer?(field: string, state: FormState, ctx: BotContext): Promise<FormPatch | undefined>;
  /** Words that answer one of this form's steps (查看, 修改这份记录): at the other steps they are not values either. */
  reservedWords?: string[];
  /**
   * Another feature's command (我的记录, 未提交 …): never a value; it is answered by its handler and the form asks again.
   */
  isCommand?(text: string, ctx: BotContext): boolean;
}

/**
 * A change to a form in progress: answers to set (undefined removes one, so its field is asked again), the record it
 * amends (null: none), straight to the summary, and a message said before the next prompt.
 */
export interface FormPatch {
  answers?: Record<string, unknown>;
  amends?: string | null;
  atConfirm?: boolean;
  intro?: string;
}

/** A step refuses an answer; the message is the polite reply. */
export class FormRefusal extends AppError {
  constructor(message: string) {
    super('ERR_FORM_REFUSAL', message);
  }
}

/** Thrown by submit: the answers are out of date (someone else saved meanwhile); apply the patch and ask again. */
export class FormRedirect extends AppError {
  constructor(
    message: string,
    readonly patch: FormPatch,
  ) {
    super('ERR_FORM_REDIRECT', message);
  }
}
