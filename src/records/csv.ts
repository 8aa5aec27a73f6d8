import type { Content } from '../content/content.ts';
import { neutraliseCell } from './cell-text.ts';
import { formatTableTime, secretaryNames, sessionLabel } from './format.ts';
import { GROUP_KIND_LABEL } from './policy.ts';
import type { Scope } from './scope.ts';
import { CELL_STATUS_LABEL, cellStatus, NOT_OWED_LABEL, type Cell } from './status.ts';

/** CSV (UTF-8 with BOM so Excel reads the Chinese): groups × sessions, the submission time, 未交, 未到期 or 不需提交. */
export function statusCsv(content: Content, scope: Scope, cells: readonly Cell[]): string {
  const esc = (v: string) => {
    const safe = neutraliseCell(v);
    return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
  };
  const header = ['学习组', '类别', '记录员', ...scope.sessions.map(sessionLabel)];
  const rows = (scope.groups ?? content.roster.groups).map((g) => [
    g.name,
    GROUP_KIND_LABEL[g.kind],
    secretaryNames(g),
    ...scope.sessions.map((s) => {
      const c = cells.find((x) => x.group.id === g.id && x.session.date === s.date);
      if (!c) return NOT_OWED_LABEL;
      if (!c.submission) return CELL_STATUS_LABEL[cellStatus(c)];
      return `${formatTableTime(c.submission.submittedAt)}${c.late ? '（逾期）' : ''} ${c.submission.receipt}`;
    }),
  ]);
  return `\ufeff${[header, ...rows].map((r) => r.map(esc).join(',')).join('\r\n')}\r\n`;
}
