/**
 * The record book (.docx) or the records spreadsheet (.xlsx) from the command line, the same files as 导出记录本 /
 * 导出记录表 in chat:
 *
 *   npm run record-book -- [--group 院办] [--period 9月|本学期] [--xlsx] [--out 文件名] [--demo]
 *
 * Reads the records from DATABASE_URL (PostgreSQL) or DATA_DIR (lowdb: only while the service is not running on that
 * folder). --demo fills a throw-away store with sample records of the seed semester instead (the docs' pictures).
 * The time is BOT_NOW when set (as in `npm start`), else now.
 */
import { readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { loadConfig, readEnvironment } from '../src/config.ts';
import { loadContent, type Content } from '../src/content/content.ts';
import { shanghaiDate } from '../src/content/dates.ts';
import { AppError } from '../src/errors.ts';
import { recordFile } from '../src/records/files.ts';
import { PHOTO_LIMITS } from '../src/records/photos.ts';
import { RecordPolicy } from '../src/records/policy.ts';
import { resolveRecordFileRequest } from '../src/records/request.ts';
import { LowdbStore } from '../src/storage/lowdb-store.ts';
import type { Store } from '../src/storage/ports.ts';
import { PostgresStore } from '../src/storage/postgres-store.ts';

const { values } = parseArgs({
  options: { group: { type: 'string' }, period: { type: 'string' }, xlsx: { type: 'boolean' }, out: { type: 'string' }, demo: { type: 'boolean' } },
});

/** Sample records for every held session of the seed semester: one group late, one missing, one amended. */
async function fillDemo(content: Content, store: Store, today: string): Promise<void> {
  const policy = RecordPolicy.of(content);
  let n = 0;
  for (const session of policy.heldSessions(today)) {
    for (const group of policy.groupsOwing(session)) {
      n++;
      if (n % 5 === 0) continue; // missing
      const late = n % 4 === 0;
      const at = Date.parse(`${late ? addMonth(session.date) : session.date}T10:30:00+08:00`) + 86_400_000;
      const secretary = group.secretaries[0]!;
      const fields = {
        heldOn: session.date,
        place: ['行政楼302会议室', '图书馆报告厅', '教学楼A201'][n % 3]!,
        attendees: { count: 10 + (n % 4), names: [], expected: 13 + (n % 3) },
        absentees: [{ name: '赵七', reason: '出差' }, ...(n % 2 ? [{ name: '钱八', reason: '病假' }] : [])],
        topic: content.plan.themes[group.kind === 'student' ? 1 : 0] ?? content.plan.themes[0]!,
        questions: (group.kind === 'student' ? content.plan.questions.students : content.plan.questions.staff).slice(0, 2),
        summary: `${secretary.name ?? '记录员'}主持学习。大家逐条学习了本次材料，结合本部门工作实际展开讨论，认为要把学习成果转化为推动工作的实际行动。\n会上约定下次学习前各自准备一个发言提纲。`,
        recorder: secretary.name ?? secretary.userId,
      };
      await store.submissions.save({
        groupId: group.id,
        session: session.date,
        submittedBy: secretary.userId,
        submittedAt: at,
        fields,
        idempotencyKey: `demo-${n}`,
      });
      if (n % 3 === 1)
        await store.submissions.save({
          groupId: group.id,
          session: session.date,
          submittedBy: secretary.userId,
          submittedAt: at + 3 * 3600_000,
          fields: { ...fields, place: '行政楼305会议室' },
          idempotencyKey: `demo-${n}-2`,
        });
    }
  }
  // The last record gets two photos (the sign-in sheet and the room), as a secretary would send them: its page shows them.
  const last = (await store.submissions.list({})).sort((a, b) => a.session.localeCompare(b.session) || a.groupId.localeCompare(b.groupId)).at(-1);
  for (const [i, name] of ['sign-in-240x320.jpg', 'session-320x240.jpg'].entries()) {
    if (!last) break;
    const bytes = readFileSync(new URL(`../test/fixtures/photos/${name}`, import.meta.url));
    const photo = { owner: last.receipt, messageKey: `demo-photo-${i}`, mime: 'image/jpeg', bytes, addedBy: last.submittedBy, addedAt: last.submittedAt };
    await store.photos.add(photo, { maxCount: PHOTO_LIMITS.maxPerRecord, maxTotalBytes: PHOTO_LIMITS.maxTotalBytes });
  }
}

function addMonth(date: string): string {
  const [y, m] = date.split('-').map(Number) as [number, number];
  return m === 12 ? `${y + 1}-01-01` : `${y}-${String(m + 1).padStart(2, '0')}-01`;
}

let store: Store | undefined;
try {
  const config = loadConfig(readEnvironment());
  const content = await loadContent(config.contentDir);
  const now = config.demoNow ?? (values.demo ? Date.parse('2016-10-03T10:00:00+08:00') : Date.now());
  const today = shanghaiDate(now);
  store = values.demo ? await LowdbStore.memory() : config.databaseUrl ? await PostgresStore.open(config.databaseUrl) : await LowdbStore.open(config.dataDir);
  if (values.demo) await fillDemo(content, store, today);
  const kind = values.xlsx ? 'workbook' : 'notebook';
  const read = resolveRecordFileRequest({ kind, periodText: values.period ?? '', groupText: values.group ?? '' }, content, today);
  if ('problem' in read) throw new AppError('ERR_USAGE', read.problem);
  const file = await recordFile(kind, { content, store, now }, read.scope, read.groups ?? content.roster.groups, read.period);
  const out = values.out ?? file.filename;
  await writeFile(out, file.data);
  console.log(`已写入 ${out}（${file.data.length} 字节）`);
} catch (err) {
  console.error(err instanceof AppError ? err.message : err);
  process.exitCode = 1;
} finally {
  await store?.close();
}
