import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import JSZip from 'jszip';
import { describe, expect, it } from 'vitest';
import { docxToPlanText } from '../../src/content/import/docx.ts';
import { importPlanText } from '../../src/content/import/plan-text.ts';
import { loadContent } from '../../src/content/content.ts';

const SOURCE = fileURLToPath(new URL('../fixtures/study-plan-2016-autumn.txt', import.meta.url));
const CONTENT = fileURLToPath(new URL('../../content', import.meta.url));
const source = readFileSync(SOURCE, 'utf8');

/** The documents already in content/: an import keeps their ids and names (set by the office after importing). */
async function knownDocuments() {
  const content = await loadContent(CONTENT);
  return content.documents.map((d) => ({ id: d.id, title: d.title, shortTitle: d.shortTitle, aliases: d.aliases }));
}

describe('the importer', () => {
  it('reproduces the checked-in content/ from the source plan, file for file', async () => {
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
  const zip = new JSZip();
  zip.file(
    '[Content_Types].xml',
    '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>',
  );
  zip.file(
    '_rels/.rels',
    '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>',
  );
  zip.file(
    'word/document.xml',
    `<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>${body}</w:body></w:document>`,
  );
  return zip.generateAsync({ type: 'nodebuffer' });
}
