/**
 * The names of the delivery ledger's jobs, made and read in this one place: every producer names its jobs here, and
 * what reads the ledger (推送状态, housekeeping) asks `jobKind` rather than matching names itself. A name's prefix is
 * its kind; names sort in the order their messages were written where that order matters (replies).
 */
export type JobKind = 'agenda' | 'reply' | 'remind' | 'auto-remind' | 'closed-report' | 'export';

export const jobName = {
  /** A week's agenda; the semester is named by its week-1 Monday, so a new semester's weeks never clash. */
  agenda: (week1Monday: string, week: number) => `agenda:${week1Monday}:week-${week}`,
  /** The `index`th API reply to a message, sortable by the time the user wrote it (the outbox keeps that order). */
  reply: (createTimeSec: number, messageKey: string, index: number) =>
    `reply:${String(createTimeSec).padStart(10, '0')}:${messageKey}:${String(index).padStart(3, '0')}`,
  /** An admin's 提醒未提交: once per scope and day. */
  remind: (sessionDates: readonly string[], day: string) => `remind:${sessionDates.join(',')}:${day}`,
  autoRemind: (month: string) => `auto-remind:${month}`,
  closedReport: (month: string) => `closed-report:${month}`,
  export: (userId: string, at: number) => `export:${userId}:${at}`,
};

/** The prefix that lists every job of a kind from the ledger. */
export const jobPrefix = (kind: JobKind) => `${kind}:`;

const KINDS: readonly JobKind[] = ['agenda', 'reply', 'remind', 'auto-remind', 'closed-report', 'export'];

/** What a job name says: its kind, and for an agenda its week. */
export function jobKind(job: string): { kind: JobKind | 'other'; week?: number } {
  const kind = KINDS.find((k) => job.startsWith(jobPrefix(k))) ?? 'other';
  if (kind !== 'agenda') return { kind };
  const week = Number(job.slice(job.lastIndexOf(':week-') + ':week-'.length));
  return Number.isInteger(week) ? { kind, week } : { kind };
}

/** How 推送状态 names a kind for people. */
export const JOB_LABEL: Record<JobKind | 'other', string> = {
  agenda: '每周推送',
  reply: '回复',
  remind: '提醒',
  'auto-remind': '自动提醒',
  'closed-report': '截止统计',
  export: '导出文件',
  other: '消息',
};
