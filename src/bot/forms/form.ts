import type { BotContext } from '../context.ts';
import type { FormState } from '../../storage/ports.ts';

/**
 * A conversational form, declared: a list of fields, each turning free text into a value (or a short error with an
 * example), and what to do with the answers. The engine (./engine.ts) does the conversation: prompts, re-prompts,
 * commands, interruptions, persistence, expiry, one message at a time per user.
 */
export interface FieldScope {
  ctx: BotContext;
  answers: Record<string, unknown>;
}

/** `understood`: the text was read as an answer but is not acceptable (so it is not taken for a question). */
export type ParseResult<T> = { value: T } | { error: string; understood?: boolean };

export interface Field<T = unknown> {
  name: string;
  /** Short label for the summary and 修改<label>: "学习组". */
  label: string;
  prompt(scope: FieldScope): string;
  example: string;
  optional?: boolean;
  /** Free text (place, summary): a clear question is answered as an interruption before trying to read it as an answer. */
  freeText?: boolean;
  /** Collected over several messages until 完成, at least this many characters. */
  multiMessage?: { minLength: number };
  /** Offered in the prompt; 好 / 默认 accepts it. */
  default?(scope: FieldScope): T | undefined;
  /** Not asked at all (its default is taken): e.g. the group when the secretary has only one. */
  skipWhen?(scope: FieldScope): boolean;
  parse(text: string, scope: FieldScope): ParseResult<T>;
  format(value: T, scope: FieldScope): string;
}

export interface FormDefinition {
  id: string;
  /** Bump when fields change: a saved draft of an older version is offered 继续 / 重新开始. */
  version: number;
  title: string;
  /** What users send to start it (提交记录): said again while it is going, the user is asked to continue or cancel. */
  triggers: string[];
  fields: Array<Field<any>>;
  /** Who may fill it and with what to start; `refuse` is said to the user instead. */
  begin(ctx: BotContext, argument?: string): Promise<{ answers?: Record<string, unknown>; amends?: string; atConfirm?: boolean } | { refuse: string }>;
  /** Saves the answers; returns the reply (the receipt). Throwing FormRefusal says its message and keeps the draft. */
  submit(state: FormState, ctx: BotContext): Promise<string>;
}

export class FormRefusal extends Error {}
