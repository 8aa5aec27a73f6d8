import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { docxOfBody } from '../helpers/docx.ts';
import { describe, expect, it } from 'vitest';
import { docxToPlanText } from '../../src/content/import/docx.ts';
import { importPlanText } from '../../src/content/import/plan-text.ts';
import { loadContent } from '../../src/content/content.ts';

const SOURCE = fileURLToPath(new URL('../fixtures/study-plan-2016-autumn.txt', import.meta.url));
// The tests' copy of the seed content (test/fixtures/content), which the 2016 source imports to; the shipped content/
// may move on to another semester (validation.test.ts checks that it loads).
const CONTENT = fileURLToPath(new URL('../fixtures/content', import.meta.url));
const source = readFileSync(SOURCE, 'utf8');

/** The documents already in the content folder: an import keeps their ids and names (set by the office after importing). */
async function knownDocuments() {
  const content = await loadContent(CONTENT);
  return content.documents.map((d) => ({ id: d.id, title: d.title, shortTitle: d.shortTitle, aliases: d.aliases }));
}

describe('the importer', () => {
  it('reproduces the seed content folder from the source plan, file for file', async () => {
    const result = importPlanText(source, { known: await knownDocuments() });
    expect(result.problems).toEqual([]);
    expect([...result.files.keys()].sort()).toEqual([
      'documents/eight-point-rules.md',
      'documents/higher-education-law.md',
      'documents/social-credit-plan.md',
      'documents/youth-credit-plan.md',
      'plan.yaml',
      'schedule.yaml',
    ]);
    for (const [rel, text] of result.files) expect(text, rel).toBe(readFileSync(path.join(CONTENT, rel), 'utf8'));
  });

  it('keeps every line of the documents\' text, word for word', () => {
    // Into an empty folder: the documents get ids made from their titles (no names are written into the importer).
    const result = importPlanText(source);
    const [lawFile, law] = [...result.files].find(([, text]) => text.includes('\n# 中华人民共和国高等教育法\n'))!;
    expect(lawFile).toMatch(/^documents\/document-[0-9a-f]{8}\.md$/);
    expect(law).toContain('shortTitle: 高等教育法');
    const start = source.indexOf('第一章　总则\n\n　　第一条');
    const lawLines = source.slice(start, source.indexOf('学生专题')).split('\n').map((l) => l.trim()).filter(Boolean);
    for (const line of lawLines) expect(law).toContain(line);
  });

  it('reports what it cannot read instead of guessing', () => {
    const broken = source.replace('\t9月20日', '\t9月二十日').replace('学生讨论题：', '学生们的题目：');
    const result = importPlanText(broken);
    expect(result.problems.join('\n')).toMatch(/时间安排第 4 行无法识别/);
    expect(result.problems.join('\n')).toMatch(/学习内容中未能识别的一行：学生们的题目：/);
  });

  it('notices a weekday that does not match its date', () => {
    const result = importPlanText(source.replace('\t9月20日\n\t二', '\t9月20日\n\t三'));
    expect(result.problems).toContain('2016-09-20 实际是星期二，表中写的是星期三');
  });

  it('reads a .docx plan (paragraphs and a real Word table) into the same content', async () => {
    const docx = await planAsDocx(source);
    const { text } = await docxToPlanText(docx);
    const known = await knownDocuments();
    const fromDocx = importPlanText(text, { known });
    expect(fromDocx.problems).toEqual([]);
    const fromText = importPlanText(source, { known });
    for (const [rel, content] of fromText.files) expect(fromDocx.files.get(rel), rel).toBe(content);
  });
});

/**
 * Builds a Word document from the text export the way the office's file is laid out: one paragraph per line,
 * and the schedule as a real table (cells with several paragraphs where the export has continuation lines).
 */
async function planAsDocx(text: string): Promise<Buffer> {
  const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  const para = (s: string) => `<w:p><w:r><w:t xml:space="preserve">${esc(s)}</w:t></w:r></w:p>`;
  const lines = text.split('\n');
  const tableStart = lines.findIndex((l) => l.startsWith('\t'));
  const tableEnd = lines.findIndex((l, i) => i > tableStart && /^二、/.test(l));
  const cells: string[][] = [];
  for (const l of lines.slice(tableStart, tableEnd)) {
    if (l.startsWith('\t')) cells.push([l.trim()]);
    else if (l.trim()) cells.at(-1)!.push(l.trim());
  }
  const rows: string[] = [];
  for (let i = 0; i < cells.length; i += 5) {
    rows.push(`<w:tr>${cells.slice(i, i + 5).map((c) => `<w:tc>${c.map(para).join('')}</w:tc>`).join('')}</w:tr>`);
  }
  const body = [
    ...lines.slice(0, tableStart).filter((l) => l.trim()).map(para),
    `<w:tbl>${rows.join('')}</w:tbl>`,
    ...lines.slice(tableEnd).filter((l) => l.trim()).map(para),
  ].join('');
  return docxOfBody(body);
}

/** Real notices of other colleges (test/fixtures/notices/tuning): what a careful reader finds in each. */
const NOTICES = fileURLToPath(new URL('../fixtures/notices/tuning/', import.meta.url));
describe('the importer on real notices', () => {
  it.each([
    // file, period, sessions, readings, themes, questions, requirements, issuer, issued, deadlines
    ['2017-03-report-deadline.txt', undefined, 'none', 0, 0, 0, 4, '宣传部', '2017-03-02', 1],
    ['2023-03-themes-focus-links.txt', '2023-03', 'none', 0, 2, 0, 0, undefined, undefined, 0],
    ['2023-06-single-date-questions.txt', '2023-06', 'date', 4, 0, 4, 1, '党委宣传部', '2023-06-08', 0],
    ['2023-11-odd-weeks-nested.txt', '2023-11', 'rule', 11, 0, 0, 1, undefined, undefined, 0],
    ['2024-05-related-requirements.txt', '2024-05', 'none', 6, 0, 0, 4, '党委宣传部', '2024-05-06', 0],
    ['2025-03-numbered-groups.txt', '2025-03', 'none', 13, 0, 0, 0, '党委宣传部', '2025-03-15', 0],
    ['march-no-year-by-month-end.txt', undefined, 'none', 11, 0, 0, 1, undefined, undefined, 0],
    ['year-plan-topics-by-month.txt', undefined, 'none', 0, 2, 3, 0, undefined, undefined, 0],
  ] as const)('%s', (file, period, sessions, readings, themes, questions, requirements, issuer, issued, deadlines) => {
    const { plan, schedule, missing } = importPlanText(readFileSync(path.join(NOTICES, file), 'utf8'), { id: 'n' });
    expect(plan.period?.from.slice(0, 7)).toBe(period);
    expect(schedule.length ? 'date' : plan.sessions?.rules?.length ? 'rule' : 'none').toBe(sessions);
    expect(plan.materials?.length ?? 0).toBe(readings);
    expect(plan.themes?.length ?? 0).toBe(themes);
    const q = plan.questions!;
    expect((q.staff?.length ?? 0) + (q.students?.length ?? 0) + (q.others ?? []).reduce((k, o) => k + o.items.length, 0)).toBe(questions);
    expect(plan.requirements?.length ?? 0).toBe(requirements);
    expect(plan.issuer).toBe(issuer);
    expect(plan.issued).toBe(issued);
    expect(plan.deadlines?.length ?? 0).toBe(deadlines);
    // What the notice does not say is recorded, never filled in.
    if (!issuer) expect(plan.missing).toContain('发文单位');
    if (sessions === 'none') expect(missing.join()).toMatch(/学习时间|具体学习日期/);
  });

  it('reads a single date with its weekday, 教师讨论题 (1)(2) on one line, and the issuer and date at the end', () => {
    const r = importPlanText(readFileSync(path.join(NOTICES, '2023-06-single-date-questions.txt'), 'utf8'), { id: '2023-06' });
    expect(r.schedule).toEqual([{ week: 4, date: '2023-06-20', weekday: '二', activity: '政治理论学习', organisers: [], needsRecord: true }]);
    expect(r.plan.questions?.staff).toEqual(['结合我校发展,如何发挥职业教育特色,做好文化传承工作?', '请广大教职工谈谈如何加强师德师风建设,全面提升教师队伍素质?']);
    expect(r.problems).toEqual([]);
  });

  it('reads 单周周四下午 as a rule, (一) groups with 1. items and (1) inside them, and asks for week 1', () => {
    const r = importPlanText(readFileSync(path.join(NOTICES, '2023-11-odd-weeks-nested.txt'), 'utf8'), { id: '2023-11' });
    expect(r.plan.sessions?.rules).toEqual([{ text: '单周周四下午', weekday: '四', weeks: 'odd', time: '下午' }]);
    expect(r.plan.materials?.[0]).toEqual({ title: '习近平在中共中央政治局第九次集体学习时的重要讲话精神', group: '习近平新时代中国特色社会主义思想专题 › 重要讲话' });
    expect(r.missing.join()).toMatch(/第 1 周是哪一周/);
    // With week 1 given, the rule gives the month's odd-week Thursdays.
    const given = importPlanText(readFileSync(path.join(NOTICES, '2023-11-odd-weeks-nested.txt'), 'utf8'), { id: '2023-11', week1Monday: '2023-09-04' });
    expect(given.schedule.map((e) => e.date)).toEqual(['2023-11-02', '2023-11-16', '2023-11-30']);
  });

  it('reads a report deadline with its time, and a finish-by day in a notice without a year once the year is given', () => {
    const deadline = importPlanText(readFileSync(path.join(NOTICES, '2017-03-report-deadline.txt'), 'utf8'), { id: 'x' });
    expect(deadline.plan.deadlines?.[0]).toMatchObject({ date: '2017-03-17', time: '10:00' });
    const noYear = readFileSync(path.join(NOTICES, 'march-no-year-by-month-end.txt'), 'utf8');
    expect(importPlanText(noYear, { id: 'x' }).missing.join()).toMatch(/年份/);
    const withYear = importPlanText(noYear, { id: 'x', year: 2024 });
    expect(withYear.plan.sessions?.by).toBe('2024-03-31');
    expect(withYear.plan.period).toEqual({ kind: 'month', from: '2024-03-01', to: '2024-03-31', label: '2024年3月' });
  });
});

describe('a national law named in a notice', () => {
  it('gets its text and version date from the law library, and its articles can be asked', async () => {
    const { openLawLibrary } = await import('../../src/content/import/law-library.ts');
    const laws = openLawLibrary(fileURLToPath(new URL('../fixtures/laws-sample.tar.gz', import.meta.url)));
    try {
      // The real November notice, naming a law the sample library holds instead of the one it named.
      const notice = readFileSync(path.join(NOTICES, '2023-11-odd-weeks-nested.txt'), 'utf8').replace('《中华人民共和国网络安全法》', '《中华人民共和国劳动法》');
      const r = importPlanText(notice, { id: '2023-11', laws });
      const reading = r.plan.materials!.find((m) => m.title === '《中华人民共和国劳动法》')!;
      expect(reading.source).toBe('法律法规库 社会法/劳动法(2018-12-29).md（2018-12-29 版本）');
      const file = r.files.get(`documents/${reading.document}.md`)!;
      const { parseDocument } = await import('../../src/content/documents.ts');
      const law = parseDocument(file, 'x.md', 'x');
      expect(law.units.find((u) => u.number === 1)?.paragraphs[0]).toMatch(/^第一条 为了保护劳动者的合法权益/);
      // A law the library does not hold stays a title only; nothing is made up.
      expect(r.plan.materials!.find((m) => m.title === '《中华人民共和国数据安全法》')).toEqual({ title: '《中华人民共和国数据安全法》', group: '有关网络安全法律法规学习' });
    } finally {
      laws.close();
    }
  });
});
