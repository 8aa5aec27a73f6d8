import ExcelJS from 'exceljs';
import { withoutXmlForbidden } from '../xml-chars.ts';
import type { Content } from '../content/content.ts';
import { neutraliseCell } from './cell-text.ts';
import { formatAbsentees, formatTableTime, personName, secretaryNames, sessionLabel } from './format.ts';
import { GROUP_KIND_LABEL, type Group } from './policy.ts';
import type { Scope } from './scope.ts';
import { CELL_STATUS_LABEL, cellStatus, firstSubmittedAt, NOT_OWED_LABEL, type Cell } from './status.ts';

const text = (s: string) => neutraliseCell(withoutXmlForbidden(s));

export const RECORD_COLUMNS = [
  '学习组',
  '类别',
  '学习场次',
  '学习日期',
  '地点',
  '应到人数',
  '实到人数',
  '参加人员',
  '缺席人员及原因',
  '学习主题',
  '讨论题',
  '讨论情况',
  '记录人',
  '回执编号',
  '版本',
  '提交情况',
  '首次提交时间',
  '首次提交人',
  '最后修改时间',
  '最后修改人',
] as const;

export async function recordsWorkbook(content: Content, scope: Scope, groups: readonly Group[], cells: readonly Cell[]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = content.organisation;
  const records = wb.addWorksheet('记录明细', { views: [{ state: 'frozen', ySplit: 1 }] });
  records.addRow([...RECORD_COLUMNS]);
  for (const c of cells) {
    const r = c.submission;
    if (!r) continue;
    const f = r.fields;
    const a = f.attendees;
    const first = r.history[0] ?? r;
    records.addRow([
      text(c.group.name),
      GROUP_KIND_LABEL[c.group.kind],
      text(sessionLabel(c.session)),
      text(f.heldOn ?? ''),
      text(f.place ?? ''),
      a?.expected ?? null,
      a?.count ?? null,
      text(a?.names.join('、') ?? ''),
      text(f.absentees?.length ? formatAbsentees(f.absentees) : ''),
      text(f.topic ?? ''),
      text(f.questions?.join('\n') ?? ''),
      text(f.summary ?? ''),
      text(f.recorder ?? ''),
      r.receipt,
      r.revision,
      CELL_STATUS_LABEL[cellStatus(c)],
      formatTableTime(firstSubmittedAt(r)),
      text(personName(content, first.submittedBy)),
      formatTableTime(r.submittedAt),
      text(personName(content, r.submittedBy)),
    ]);
  }
  records.getRow(1).font = { bold: true };
  records.columns.forEach((col, i) => {
    col.width = [18, 8, 22, 12, 16, 9, 9, 20, 24, 24, 40, 60, 10, 18, 6, 10, 17, 12, 17, 12][i] ?? 14;
    col.alignment = { vertical: 'top', wrapText: true };
  });

  const grid = wb.addWorksheet('提交情况', { views: [{ state: 'frozen', ySplit: 1, xSplit: 1 }] });
  grid.addRow(['学习组', '类别', '记录员', ...scope.sessions.map((s) => text(sessionLabel(s)))]);
  for (const g of groups) {
    grid.addRow([
      text(g.name),
      GROUP_KIND_LABEL[g.kind],
      text(secretaryNames(g)),
      ...scope.sessions.map((s) => {
        const c = cells.find((x) => x.group.id === g.id && x.session.date === s.date);
        if (!c) return NOT_OWED_LABEL;
        if (!c.submission) return CELL_STATUS_LABEL[cellStatus(c)];
        return `${formatTableTime(c.submission.submittedAt)}${c.late ? '（逾期）' : ''} ${c.submission.receipt}`;
      }),
    ]);
  }
  grid.getRow(1).font = { bold: true };
  grid.columns.forEach((col, i) => (col.width = i === 0 ? 20 : i < 3 ? 12 : 26));
  return Buffer.from(await wb.xlsx.writeBuffer());
}
