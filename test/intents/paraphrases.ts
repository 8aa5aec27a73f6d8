/**
 * The paraphrase set: every message with its intent and whether it belongs to the held-out part (about a quarter of
 * each intent, written first and never tuned on). Who sends it matters (office commands are an admin's, the record
 * form a secretary's), so each intent names its sender.
 */
import { HELD_OUT } from './held-out.ts';
import { INTENTS, type IntentName } from './intents.ts';
import { HELD_OUT_NEW } from './held-out-new.ts';
import { TUNE } from './tune.ts';
import { TUNE_NEW } from './tune-new.ts';

export interface Paraphrase {
  text: string;
  intent: IntentName;
  heldOut: boolean;
  /** 'new': the second writer's lines (tune-new.ts, held-out-new.ts), reported apart from the first set. */
  batch?: 'new';
}

export const PARAPHRASES: readonly Paraphrase[] = (Object.keys(INTENTS) as IntentName[]).flatMap((intent) => [
  ...(TUNE[intent] ?? []).map((text) => ({ text, intent, heldOut: false })),
  ...(HELD_OUT[intent] ?? []).map((text) => ({ text, intent, heldOut: true })),
  ...(TUNE_NEW[intent] ?? []).map((text) => ({ text, intent, heldOut: false, batch: 'new' as const })),
  ...(HELD_OUT_NEW[intent] ?? []).map((text) => ({ text, intent, heldOut: true, batch: 'new' as const })),
]);

/** The roster's users (content/roster.yaml): an admin, a secretary of one group, and a member of staff. */
const ADMIN = 'dangban-wang';
const SECRETARY = 'wangwu';
const STAFF = 'staff-member';

export const SENDER: Record<IntentName, string> = {
  article: STAFF,
  schedule: STAFF,
  'plan-info': STAFF,
  search: STAFF,
  'record-questions': SECRETARY,
  minutes: SECRETARY,
  'my-records': SECRETARY,
  'amend-record': SECRETARY,
  'view-own-record': SECRETARY,
  'no-form': SECRETARY,
  'form-correction': SECRETARY,
  office: ADMIN,
  'status-page': ADMIN,
  'broadcast-admin': ADMIN,
  'small-talk': STAFF,
  'off-topic': STAFF,
};
