import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadContent } from '../../src/content/content.ts';
import { openLawLibrary } from '../../src/content/import/law-library.ts';
import { importPlanText } from '../../src/content/import/plan-text.ts';
import { parseLawQuestions } from '../../src/content/search-expansions.ts';
import { ContentError } from '../../src/errors.ts';
import { searchContent } from '../../handlers/search.ts';

const NOTICES = fileURLToPath(new URL('../fixtures/notices/tuning', import.meta.url));

/**
 * Document expansion for laws (src/content/search-expansions.ts): a law brought in from the law library (the sample
 * of test/fixtures) beside the semester's content, searched with and without the shipped content/law-expansions.tsv.
 */
describe('content/law-expansions.tsv', () => {
  let dir: string;
  beforeAll(() => {
    dir = path.join(mkdtempSync(path.join(tmpdir(), 'expansions-')), 'content');
    cpSync('content', dir, { recursive: true });
    // The law as the importer writes it for a reading (docs/plans.md), from the sample library.
    const laws = openLawLibrary(fileURLToPath(new URL('../fixtures/laws-sample.tar.gz', import.meta.url)));
    try {
      const notice = readFileSync(path.join(NOTICES, '2023-11-odd-weeks-nested.txt'), 'utf8').replace('《中华人民共和国网络安全法》', '《中华人民共和国劳动法》');
      const r = importPlanText(notice, { id: '2023-11', laws });
      const reading = r.plan.materials!.find((m) => m.title === '《中华人民共和国劳动法》')!;
      writeFileSync(path.join(dir, 'documents', 'labour-law.md'), r.files.get(`documents/${reading.document}.md`)!.replace(/^id: .*$/m, 'id: labour-law'));
    } finally {
      laws.close();
    }
  });
  afterAll(() => rmSync(path.dirname(dir), { recursive: true, force: true }));

  const QUESTION = '老板跟我说好不交社保，这样的约定有效吗';

  it('lets a lay question find the article people asked about in those words', async () => {
    const content = await loadContent(dir);
    const first = searchContent(QUESTION, content).hits[0]?.unit;
    expect(content.document(first!.docId)!.title).toBe('中华人民共和国劳动法');
    // The article the shipped file ties to "不缴纳社保 书面约定" (social insurance), whose text says 社会保险.
    expect(first!.label).toBe('第七十二条');
  });

  it('is what made the difference: without the file the same question ranks otherwise', async () => {
    rmSync(path.join(dir, 'law-expansions.tsv'));
    try {
      const content = await loadContent(dir);
      const first = searchContent(QUESTION, content).hits[0]?.unit;
      expect(first?.label).not.toBe('第七十二条');
    } finally {
      cpSync(path.join('content', 'law-expansions.tsv'), path.join(dir, 'law-expansions.tsv'));
    }
  });

  it('names file, line and field of a broken line', () => {
    const text = '# comment\n中华人民共和国劳动法\t第三十六条\t加班\n中华人民共和国劳动法\t第36条\t加班\n';
    const err = (() => {
      try {
        parseLawQuestions(text, 'content/law-expansions.tsv');
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(ContentError);
    expect((err as ContentError).line).toBe(3);
    expect((err as ContentError).field).toBe('article');
    expect(() => parseLawQuestions('中华人民共和国劳动法\t第三十六条\n', 'x.tsv')).toThrow(/x\.tsv:1: .*三栏/);
  });

  it('adds the words of every line of an article together, and reads consecutive lines with the same words as one question', () => {
    const learned = parseLawQuestions('法A\t第一条\t加班 工资\n法A\t第二条\t加班 工资\n法A\t第一条\t调休\n', 'x.tsv');
    expect(learned.texts.get('法A#第一条')).toBe('加班 工资 调休');
    expect(learned.questions).toEqual([
      { text: '加班 工资', keys: ['法A#第一条', '法A#第二条'] },
      { text: '调休', keys: ['法A#第一条'] },
    ]);
  });
});
