import { describe, expect, it } from 'vitest';
import { jobKind, jobName, jobPrefix } from '../../src/jobs/job-names.ts';

/** Every job name made is read back as its kind; 推送状态 and housekeeping rely on it. */
describe('job names', () => {
  it("reads back the kind of every name it makes, and an agenda's week", () => {
    expect(jobKind(jobName.agenda('2016-09-05', 12))).toEqual({ kind: 'agenda', week: 12 });
    expect(jobKind(jobName.reply(1474000000, 'msg:123', 2))).toEqual({ kind: 'reply' });
    expect(jobKind(jobName.remind(['2016-09-06', '2016-09-20'], '2016-10-03'))).toEqual({ kind: 'remind' });
    expect(jobKind(jobName.autoRemind('2016-09'))).toEqual({ kind: 'auto-remind' });
    expect(jobKind(jobName.closedReport('2016-09'))).toEqual({ kind: 'closed-report' });
    expect(jobKind(jobName.export('dangban-wang', 1))).toEqual({ kind: 'export' });
    expect(jobKind('something-else')).toEqual({ kind: 'other' });
    // "remind:" must not swallow "auto-remind:" (and the other way round).
    expect(jobName.autoRemind('2016-09').startsWith(jobPrefix('remind'))).toBe(false);
  });

  it("sorts a user's replies in the order they wrote", () => {
    const names = [jobName.reply(1474000100, 'msg:9', 0), jobName.reply(999999999, 'msg:8', 1), jobName.reply(1474000100, 'msg:9', 10)];
    expect([...names].sort()).toEqual([names[1], names[0], names[2]]);
  });
});
