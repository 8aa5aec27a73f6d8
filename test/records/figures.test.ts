import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/clock.ts';
import { signToken } from '../../src/http/signed-token.ts';
import { semesterContent } from '../helpers/content.ts';
import { startTestApp } from '../helpers/test-app.ts';
import { readDocx } from './docx-text.ts';

/**
 * Per group over the semester: records on time, late and missing, and attendance (实到/应到), as the status page's
 * inline SVG chart and as the semester notebook's closing tables show them: worked out here by hand from the records
 * saved, and read back from the page's SVG and the .docx.
 */
const NOW = Date.parse('2016-10-03T02:00:00Z');
const SECRET = 's'.repeat(32);
let a: Awaited<ReturnType<typeof startTestApp>> | undefined;
afterEach(async () => {
  await a?.close();
  a = undefined;
});

const at = (iso: string) => Date.parse(`${iso}+08:00`);

describe('the figures people would rather look at', () => {
  it("the status page chart and the notebook closing tables give each group's on time / late / missing and attendance", async () => {
    a = await startTestApp({ clock: new ManualClock(NOW), content: await semesterContent(), env: { STATUS_PAGE_SECRET: SECRET } });
    const save = (groupId: string, session: string, when: string, attendees: { count: number; names: string[]; expected?: number }) =>
      a!.store.submissions.save({
        groupId,
        session,
        submittedBy: 'dangban-wang',
        submittedAt: at(when),
        fields: { heldOn: session, attendees, summary: '讨论。' },
        idempotencyKey: `${groupId}${session}`,
      });
    await save('staff-office', '2016-09-06', '2016-09-07T10:00:00', { count: 12, names: [], expected: 15 }); // on time
    await save('staff-office', '2016-09-20', '2016-10-02T10:00:00', { count: 10, names: [], expected: 10 }); // late: after September
    await save('student-accounting', '2016-09-20', '2016-09-21T10:00:00', { count: 8, names: [] }); // no 应到 given
    // staff-office: 1 on time, 1 late, 1 missing (9月27日), 22/25 = 88%; staff-teaching: 3 missing; students: 1 on time.
    const expected = {
      'staff-office': '院办党支部学习组：按时提交 1，逾期提交 1，未交 1；出勤 88%（22/25）',
      'staff-teaching': '教学系部学习组：按时提交 0，逾期提交 0，未交 3；出勤：未填应到',
      'student-accounting': '会计专业学生学习组：按时提交 1，逾期提交 0，未交 0；出勤：未填应到',
    };
    const token = signToken(SECRET, { u: 'dangban-wang', exp: NOW + 60_000, k: 'link' });
    const page = await a.app.inject({ method: 'GET', url: `/status?token=${token}` });
    const svg = /<svg class="figures"[\s\S]*?<\/svg>/.exec(page.body)![0];
    expect(svg).not.toMatch(/<script|href=|https?:\/\/(?!www\.w3\.org)/);
    for (const [id, summary] of Object.entries(expected)) {
      const g = new RegExp(`<g data-group="${id}"><title>([^<]*)</title>([\\s\\S]*?)</g>`).exec(svg)!;
      expect(g[1]!.replace(/&#(\d+);/g, (_, n) => String.fromCharCode(Number(n)))).toBe(summary);
      // The bars are drawn to scale: on time, late and missing segments in proportion to their counts.
      const widths = Object.fromEntries(
        [...g[2]!.matchAll(/width="([\d.]+)"[^>]*data-kind="([^"]+)" data-count="(\d+)"/g)].map((m) => [m[2], Number(m[1]) / Number(m[3])]),
      );
      const units = [...new Set(Object.values(widths).map((w) => (w as number).toFixed(1)))];
      expect(units.length, id).toBeLessThanOrEqual(1);
    }
    expect(/data-group="staff-office"[\s\S]*?data-kind="出勤" data-rate="([\d.]+)"/.exec(svg)![1]).toBe((22 / 25).toFixed(4));

    // The notebook of the semester: the same figures in each group's closing table and in the organisation's table.
    const book = await a.app.inject({
      method: 'GET',
      url: '/status/notebook.docx',
      headers: { cookie: /status_session=[^;]+/.exec(String(page.headers['set-cookie']))![0] },
    });
    const doc = await readDocx(book.rawPayload);
    const closing = (name: string) => doc.pages.find((p) => p[0] === `学习情况汇总　${name}`)!.join('\n');
    expect(closing('院办党支部学习组')).toContain('按时提交 1 次，逾期提交 1 次，未交 1 次');
    expect(closing('院办党支部学习组')).toContain('出勤：实到 22 / 应到 25（88%）');
    expect(closing('教学系部学习组')).toContain('按时提交 0 次，逾期提交 0 次，未交 3 次');
    expect(closing('会计专业学生学习组')).toContain('出勤：实到合计 8 人次');
    const org = doc.pages.at(-1)!;
    const row = (name: string) => org.slice(org.indexOf(name), org.indexOf(name) + 7);
    expect(row('院办党支部学习组')).toEqual(['院办党支部学习组', '教职工', '张三', '1', '1', '1', '实到 22 / 应到 25（88%）']);
    expect(row('教学系部学习组')).toEqual(['教学系部学习组', '教职工', '李四、张三', '0', '0', '3', '无']);
  });
});
