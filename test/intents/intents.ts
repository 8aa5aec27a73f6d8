/**
 * The intents the paraphrase set is labelled with, and for each the handler names (`ctx.handledBy`) that count as
 * understood. Off-topic counts as understood only when no specific handler took it (the fallback or small talk).
 */
export const INTENTS = {
  article: ['article', 'document-info'],
  schedule: ['schedule'],
  'plan-info': ['plan-info', 'reading-info'],
  search: ['search'],
  'record-questions': ['record-questions', 'record-status'],
  minutes: ['minutes'],
  'my-records': ['my-records'],
  'amend-record': ['amend-record', 'amend-list'],
  'view-own-record': ['view-own-record'],
  'no-form': ['no-form'],
  office: ['office'],
  'status-page': ['status-page'],
  'broadcast-admin': ['broadcast-admin'],
  'small-talk': ['small-talk', 'greeting', 'thanks', 'help', 'human'],
  'off-topic': ['fallback', 'small-talk', 'help', 'human'],
} as const satisfies Record<string, readonly string[]>;

export type IntentName = keyof typeof INTENTS;
