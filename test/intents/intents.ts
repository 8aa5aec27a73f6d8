/**
 * The intents the paraphrase set is labelled with, and for each the handler names (`ctx.handledBy`) that count as
 * routed right. Off-topic is right only when no handler took it as understood: the fallback, small talk, or keyword
 * search saying plainly that it found no provision (search-unsure). A lay question routed to keyword search is routed
 * right whether or not search is sure of its answer (that is retrieval's measure, npm run bench:answers-precision).
 */
export const INTENTS = {
  article: ['article', 'document-info'],
  schedule: ['schedule'],
  'plan-info': ['plan-info', 'reading-info'],
  search: ['search', 'search-unsure'],
  'record-questions': ['record-questions', 'record-status'],
  minutes: ['minutes'],
  // The state of one's own submissions (我有没有漏交的) is answered by record-status: group by group, session by session.
  'my-records': ['my-records', 'record-status'],
  'amend-record': ['amend-record', 'amend-list'],
  'view-own-record': ['view-own-record'],
  'no-form': ['no-form'],
  /** A correction naming its field in words, sent in the middle of the record form (at its confirmation). */
  'form-correction': ['form-correction'],
  // 导出记录表 (the records as Excel) is the office's export too, made by the record-book handler.
  office: ['office', 'record-book'],
  'status-page': ['status-page'],
  'broadcast-admin': ['broadcast-admin'],
  'small-talk': ['small-talk', 'greeting', 'thanks', 'help', 'human'],
  'off-topic': ['fallback', 'search-unsure', 'small-talk', 'help', 'human'],
} as const satisfies Record<string, readonly string[]>;

export type IntentName = keyof typeof INTENTS;
