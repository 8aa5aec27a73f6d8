import type { Content } from '../content/content.ts';
import { shanghaiDate } from '../content/dates.ts';
import type { Store } from '../storage/ports.ts';
import { buildNotebook } from './notebook.ts';
import { notebookDocx } from './notebook-docx.ts';
import type { Group } from './policy.ts';
import { recordFileName, type RecordFileKind } from './request.ts';
import type { Scope } from './scope.ts';
import { oneAtATime } from './one-at-a-time.ts';
import { statusMatrix } from './status.ts';
import { recordsWorkbook } from './workbook.ts';

/** A made file, as any channel sends it (WeCom's media upload takes the same three things). */
export interface RecordFileData {
  filename: string;
  data: Buffer;
  contentType?: string;
}

export const DOCX_TYPE = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** Files are made one at a time in this process (chat and status page alike): their memory peaks never add up. */
const queue = oneAtATime();

/** The record book (.docx) or the records spreadsheet (.xlsx) of some groups over a scope, read fresh from the store. */
export function recordFile(...args: Parameters<typeof makeRecordFile>): Promise<RecordFileData> {
  return queue(() => makeRecordFile(...args));
}

async function makeRecordFile(
  kind: RecordFileKind,
  deps: { content: Content; store: Store; now: number },
  scope: Scope,
  groups: readonly Group[],
  period: string,
): Promise<RecordFileData> {
  const { content, store, now } = deps;
  const today = shanghaiDate(now);
  const submissions = await store.submissions.list({ groupIds: groups.map((g) => g.id), sessions: scope.sessions.map((s) => s.date) });
  const filename = recordFileName(kind, content, groups, period);
  if (kind === 'notebook') {
    const photos = async (receipt: string) =>
      Promise.all((await store.photos.list(receipt)).map(async (p) => ({ n: p.n, data: (await store.photos.read(receipt, p.n)) ?? Buffer.alloc(0) })));
    const data = await notebookDocx(content, buildNotebook(content, { ...scope, label: period }, groups, submissions, today, now), photos);
    return { filename, data, contentType: DOCX_TYPE };
  }
  const cells = statusMatrix(content, { ...scope, groups: [...groups] }, submissions, today);
  return { filename, data: await recordsWorkbook(content, scope, groups, cells), contentType: XLSX_TYPE };
}
