import type { Content } from '../content/content.ts';
import type { CalendarDate } from '../content/dates.ts';
import { matchChoice } from '../bot/forms/parsers.ts';
import type { Group } from './policy.ts';
import { parseScope, type Scope } from './scope.ts';

/**
 * What someone asks for when they ask for the record book or the spreadsheet: 导出记录本 院办 9月, 导出记录本 本学期,
 * 下载记录本, 导出记录表 9月 (the .xlsx). The period is a month (9月, 本月, 上月) or the semester (the default); the
 * groups a part of a group's name (院办), a kind (学生, 教职工) or a secretary's name; all of them when none is named.
 */
export type RecordFileKind = 'notebook' | 'workbook';

export interface RecordFileRequest {
  kind: RecordFileKind;
  periodText: string;
  groupText: string;
}

const NOTEBOOK = /^(?:请|帮我)?(?:导出|下载|生成|打印|发我|给我)(?:一下|一份)?(?:本组的?|我们组的?)?(?:政治理论)?(?:学习)?(?:讨论)?记录本(.*)$/;
const WORKBOOK = /^(?:请|帮我)?(?:导出|下载|生成|发我|给我)(?:一下|一份)?(?:学习)?(?:讨论)?记录(?:表格?|(?:的)?excel|(?:的)?xlsx|明细|内容)(.*)$/i;
const PERIOD = /本学期|这学期|整个学期|全学期|全部|本月|这个月|上个?月|(?:\d{1,2}|十[一二]|[一二三四五六七八九十])月份?/;

export function parseRecordFileRequest(text: string): RecordFileRequest | undefined {
  const t = text
    .normalize('NFKC')
    .trim()
    .replace(/[?？!！。]+$/, '');
  const m = NOTEBOOK.exec(t) ?? WORKBOOK.exec(t);
  if (!m) return undefined;
  const kind: RecordFileKind = NOTEBOOK.test(t) ? 'notebook' : 'workbook';
  let rest = m[1]!.replace(/[\s,，、的]+/g, ' ').trim();
  const period = PERIOD.exec(rest);
  if (period) rest = rest.replace(period[0], ' ').trim();
  return { kind, periodText: period?.[0] ?? '', groupText: rest.replace(/\s+/g, '') };
}

export type ResolvedRequest = { scope: Scope; groups: Group[] | undefined; period: string } | { problem: string };

/** The request read against the content: the scope of sessions, the groups named (undefined: none named). */
export function resolveRecordFileRequest(req: RecordFileRequest, content: Content, today: CalendarDate): ResolvedRequest {
  const scope = parseScope(req.periodText || '本学期', content, today);
  if (!scope) return { problem: `没有识别出时间“${req.periodText}”。可以写某月（9月、本月、上月）或“本学期”。` };
  const firstYear = scope.sessions[0]?.date.slice(0, 4);
  const period = /^\d+月$/.test(scope.label) && firstYear ? `${firstYear}年${scope.label}` : scope.label;
  if (!req.groupText) return { scope, groups: undefined, period };
  const groups = groupsNamed(req.groupText, content);
  if (!groups) return { problem: `没有找到学习组“${req.groupText}”。各学习组：${content.roster.groups.map((g) => g.name).join('、')}。` };
  return { scope, groups, period };
}

function groupsNamed(text: string, content: Content): Group[] | undefined {
  const all = content.roster.groups;
  const byId = all.find((g) => g.id === text);
  if (byId) return [byId];
  if (/^(?:学生|学生组|学生学习组)$/.test(text)) return all.filter((g) => g.kind === 'student');
  if (/^(?:教职工|教工|教师|教职工组|教职工学习组)$/.test(text)) return all.filter((g) => g.kind === 'staff');
  const bySecretary = all.filter((g) => g.secretaries.some((s) => s.name === text || s.userId === text));
  if (bySecretary.length) return bySecretary;
  const m = matchChoice(text, all, (g) => g.name);
  if (!m) return undefined;
  return 'item' in m ? [m.item] : m.ambiguous;
}

/** The file's name: 学习记录本-院办党支部学习组-2016年9月.docx; 全部学习组 for the whole organisation. */
export function recordFileName(kind: RecordFileKind, content: Content, groups: readonly Group[], period: string): string {
  const who = groups.length === content.roster.groups.length && groups.length > 1 ? '全部学习组' : groups.map((g) => g.name).join('、');
  return `${kind === 'notebook' ? '学习记录本' : '学习讨论记录明细'}-${who}-${period}.${kind === 'notebook' ? 'docx' : 'xlsx'}`.replace(/[\\/:*?"<>|\s]+/g, '');
}
