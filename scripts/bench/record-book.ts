/**
 * The record book at scale: npm run bench:record-book [-- --groups 60 --sessions 16 --photos 0 --photo-kb 1500]
 * A whole organisation's semester (every group owes every session, every record a full one with a 600-character
 * summary) made as the .docx notebook and as the .xlsx, against the CSV grid of the same records as the baseline in
 * the same run (the export people had before). Reports the time per file (median of 5), the ratio to the CSV, the
 * bytes, and the growth of the heap while making it: a semester for 党委宣传部 must be made in one chat reply's time
 * and within the service's memory. With --photos N every record has N photos of --photo-kb KiB each on its page (a
 * real JPEG from test/fixtures/photos, padded with random bytes after its end marker to a phone photo's size: Word
 * copies the bytes as they are, so only their size and that they do not compress matter here).
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { Content, loadContent } from '../../src/content/content.ts';
import { addDays } from '../../src/content/dates.ts';
import type { ScheduleEntry } from '../../src/content/plan.ts';
import { buildNotebook } from '../../src/records/notebook.ts';
import { notebookDocx } from '../../src/records/notebook-docx.ts';
import { statusCsv } from '../../src/records/csv.ts';
import { statusMatrix } from '../../src/records/status.ts';
import { recordsWorkbook } from '../../src/records/workbook.ts';
import type { Submission } from '../../src/storage/ports.ts';

const { values } = parseArgs({
  options: {
    groups: { type: 'string', default: '60' },
    sessions: { type: 'string', default: '16' },
    photos: { type: 'string', default: '0' },
    'photo-kb': { type: 'string', default: '1500' },
  },
});
const G = Number(values.groups);
const S = Number(values.sessions);
const P = Number(values.photos);
const jpeg = readFileSync(new URL('../../test/fixtures/photos/session-320x240.jpg', import.meta.url));
// Random padding: a photo's bytes do not compress, and the zip of the .docx must not make them look as if they did.
const photo = Buffer.concat([jpeg, randomBytes(Math.max(0, Number(values['photo-kb']) * 1024 - jpeg.length))]);
/** Every record's photos, each its own bytes (Word would store one copy of identical ones), as the store gives them. */
const photoBytes = new Map<string, Buffer>();
const photos = async (receipt: string) =>
  Array.from({ length: P }, (_, i) => {
    const key = `${receipt}/${i}`;
    let data = photoBytes.get(key);
    if (!data) {
      data = Buffer.from(photo);
      data.write(key, jpeg.length, 'utf8');
      photoBytes.set(key, data);
    }
    return { n: i + 1, data };
  });

const seed = await loadContent('content');
const schedule: ScheduleEntry[] = Array.from({ length: S }, (_, i) => {
  const date = addDays(seed.plan.week1Monday, 1 + i * 7);
  return { week: i + 1, date, weekday: '二', activity: '政治理论学习', organisers: ['各学习组'], needsRecord: true };
});
const groups = Array.from({ length: G }, (_, i) => ({
  id: `g-${i}`,
  name: `第${i + 1}学习组`,
  kind: (i % 3 ? 'staff' : 'student') as 'staff' | 'student',
  secretaries: [{ userId: `u${i}`, name: `记录员${i}` }],
}));
const content = new Content(
  seed.plan,
  schedule,
  seed.documents,
  { ...seed.broadcast, targets: [] },
  { ...seed.roster, groups, records: { owedBy: [], notice: {} } },
);
const summary = '大家结合工作实际，围绕依法治校、立德树人展开讨论。'.repeat(24);
const submissions: Submission[] = [];
for (const g of groups) {
  for (const s of schedule) {
    const fields = {
      heldOn: s.date,
      place: '行政楼302会议室',
      attendees: { count: 12, names: ['张三', '李四', '王五'], expected: 15 },
      absentees: [{ name: '赵七', reason: '出差' }],
      topic: seed.plan.themes[0]!,
      questions: seed.plan.questions.staff.slice(0, 2),
      summary,
      recorder: '张三',
    };
    const at = Date.parse(`${s.date}T12:00:00Z`);
    submissions.push({
      receipt: `JL-${s.date.replace(/-/g, '')}-${g.id}`,
      groupId: g.id,
      session: s.date,
      revision: 1,
      submittedBy: g.secretaries[0]!.userId,
      submittedAt: at,
      fields,
      history: [],
    });
  }
}
const today = addDays(schedule.at(-1)!.date, 1);
const now = Date.parse(`${today}T02:00:00Z`);
const scope = { label: content.plan.semester, sessions: schedule };

async function measure(name: string, make: () => Promise<Buffer | string>) {
  const times: number[] = [];
  let bytes = 0;
  let growth = 0;
  for (let i = 0; i < 5; i++) {
    // The heap is sampled every 5 ms while one file is made, from a collected start: what making it holds at once
    // (garbage not yet collected included, as the service would see it).
    globalThis.gc?.();
    const heap0 = process.memoryUsage().heapUsed;
    let peak = heap0;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().heapUsed)), 5);
    const t = performance.now();
    const out = await make();
    times.push(performance.now() - t);
    clearInterval(sampler);
    peak = Math.max(peak, process.memoryUsage().heapUsed);
    growth = Math.max(growth, peak - heap0);
    bytes = Buffer.byteLength(out);
  }
  times.sort((x, y) => x - y);
  return { name, ms: times[2]!, bytes, heapGrowthMb: growth / 2 ** 20 };
}

const csv = await measure('CSV grid (baseline)', async () => statusCsv(content, scope, statusMatrix(content, scope, submissions, today)));
const docx = await measure('记录本 .docx', () => notebookDocx(content, buildNotebook(content, scope, groups, submissions, today, now), photos));
const xlsx = await measure('记录明细 .xlsx', () => recordsWorkbook(content, scope, groups, statusMatrix(content, scope, submissions, today)));
console.log(
  `${G} groups × ${S} sessions = ${submissions.length} records (summary ${[...summary].length} characters each${P ? `, ${P} photos of ${(photo.length / 1024).toFixed(0)} KiB each` : ''}), Node ${process.version}`,
);
for (const r of [csv, docx, xlsx]) {
  console.log(
    `${r.name.padEnd(20)} ${r.ms.toFixed(0).padStart(6)} ms  ×${(r.ms / csv.ms).toFixed(0).padStart(4)} the CSV  ${(r.bytes / 1024).toFixed(0).padStart(6)} KiB  heap +${r.heapGrowthMb.toFixed(0)} MB`,
  );
}
