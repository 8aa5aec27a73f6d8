import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadContent } from '../../src/content/content.ts';
import { parseDocument } from '../../src/content/documents.ts';
import { SearchIndex, type SearchIndexOptions } from '../../src/content/search-index.ts';
import { kindOf, versionDate } from '../../src/content/search-priors.ts';
import { expandQuery, termList } from '../../src/content/terms.ts';
import { ContentError } from '../../src/errors.ts';
import { keywords } from '../../handlers/search.ts';
import { FIXTURE_CONTENT } from '../helpers/content.ts';

/** A small law in the corpus's format: "# title", then one article a paragraph. */
function law(file: string, id: string, title: string, articles: string[]) {
  const body = articles.map((a, i) => `第${'一二三四五六七八九十'[i]}条　${a}`).join('\n\n');
  return parseDocument(`# ${title}\n\n## 第一章　总则\n\n${body}\n`, file, id);
}

// Article 1 identical in both versions; article 2 differs by one character, so both match a question equally.
const OLD = law('行政法/示例法(2015-01-01).md', 'old', '中华人民共和国示例法', ['高等学校实行教师职务制度。', '学生缴纳学费，按期缴纳。', '本法自2015年施行。']);
const NEW = law('行政法/示例法(2020-06-01).md', 'new', '中华人民共和国示例法', ['高等学校实行教师职务制度。', '学生缴纳学费，按时缴纳。', '本法自2020年施行。']);
const OTHER = law('行政法规/宿舍管理条例(2019-01-01).md', 'other', '宿舍管理条例', ['学生宿舍实行统一管理。', '宿舍内不得使用大功率电器。', '学生应当缴纳住宿费。']);

describe('the keyword index', () => {
  it('ranks every unit that shares a term, without a coverage rule', () => {
    const index = new SearchIndex([OTHER], { unigramWeight: 0 });
    // Only one of four terms (宿舍) is in the text: still found.
    expect(index.search('宿舍 熄灯 时间 规定', { floor: 0 }).map((h) => h.unit.id)).toContain('other#a1');
  });

  it('gives no hit below the relevance floor, a hit above it', () => {
    const index = new SearchIndex([OLD, NEW, OTHER]);
    expect(index.search('恐龙灭绝的原因')).toEqual([]);
    expect(index.search('火星 登陆 飞船 宿舍')).toEqual([]);
    expect(index.search('宿舍 电器')[0]?.unit.id).toBe('other#a2');
  });

  it('shows identical text of an older version once, from the newest version', () => {
    const index = new SearchIndex([OLD, NEW]);
    const hits = index.search('教师职务制度', { limit: 10 });
    expect(hits.map((h) => h.unit.id)).toEqual(['new#a1']);
    // Left out of the index altogether (3 + 2 units, not 6).
    expect(index.size).toBe(5);
  });

  it('prefers the newest version where the texts differ, and still finds the older one', () => {
    const index = new SearchIndex([OLD, NEW]);
    const ids = index.search('学生 缴纳学费', { limit: 10 }).map((h) => h.unit.id);
    expect(ids.slice(0, 2)).toEqual(['new#a2', 'old#a2']);
    // Without the priors they tie and the first loaded (older) comes first: the prior is what orders them.
    const plain = new SearchIndex([OLD, NEW], { priors: false });
    expect(plain.search('学生 缴纳学费', { limit: 10 }).map((h) => h.unit.id)[0]).toBe('old#a2');
  });

  it("prefers the semester's own materials over anything else loaded", () => {
    const semester = law('content/documents/handbook.md', 'handbook', '学生手册', ['学生宿舍实行统一管理。']);
    expect(new SearchIndex([OTHER, semester]).search('宿舍实行统一管理')[0]!.unit.id).toBe('other#a1');
    expect(new SearchIndex([OTHER, semester], { preferred: ['handbook'] }).search('宿舍实行统一管理')[0]!.unit.id).toBe('handbook#a1');
  });

  it('reads version dates from file names and kinds of law from titles', () => {
    expect(versionDate('行政法/高等教育法(2018-12-29).md')).toBe('2018-12-29');
    expect(versionDate('content/documents/higher-education-law.md')).toBe('');
    expect(kindOf('中华人民共和国民法典')).toBe('code');
    expect(kindOf('中华人民共和国高等教育法')).toBe('law');
    expect(kindOf('个体工商户条例')).toBe('regulation');
    expect(kindOf('最高人民法院关于审理民间借贷案件适用法律若干问题的规定')).toBe('judicial');
    expect(kindOf('中华人民共和国刑法修正案（十一）')).toBe('amendment');
  });

  it('weighs expansions below the words the user wrote', () => {
    const index = new SearchIndex([law('x/a.md', 'a', '甲法', ['夫妻应当互相忠实。', '老公和老婆是口语。'])]);
    const terms = termList({ weight: 0.6, pairs: { 老公: ['夫妻', '配偶'] } });
    expect(expandQuery('老公 出轨', terms)).toEqual([
      { text: '  出轨', weight: 1 },
      { text: '老公', weight: 0.6 },
      { text: '夫妻', weight: 0.6, own: false },
      { text: '配偶', weight: 0.6, own: false },
    ]);
    expect(index.search(expandQuery('老公', terms), { limit: 2, floor: 0 }).map((h) => h.unit.id)).toContain('a#a1');
  });
});

describe('law agreement', () => {
  it('lifts, among the best units, those of the law the similar questions point to', () => {
    const a = law('x/a.md', 'a', '甲法', ['借款合同应当采用书面形式。', '出借人与借款人约定的利息，宿舍电器管理另行规定。']);
    const b = law('x/b.md', 'b', '乙法', ['宿舍电器统一管理。']);
    // One known question, answered by 甲法 第一条: it votes for that law as a whole.
    const neighbours = { questions: [{ text: '借钱 写借条', units: [a.units[0]!] }], k: 10, weight: 0.02 };
    const query = '借钱 宿舍电器';
    const ids = (options: SearchIndexOptions) => new SearchIndex([a, b], options).search(query, { limit: 3, floor: 0 }).map((h) => h.unit.id);
    const plain = ids({ neighbours });
    expect(plain.indexOf('b#a1')).toBeLessThan(plain.indexOf('a#a2'));
    const agreed = ids({ neighbours, lawAgreement: { pool: 20, weight: 1 } });
    expect(agreed.indexOf('a#a2')).toBeLessThan(agreed.indexOf('b#a1'));
    // Without similar questions there is nothing to agree with: the order is the plain one.
    expect(ids({ lawAgreement: { pool: 20, weight: 1 } })).toEqual(ids({}));
  });
});

describe('question words', () => {
  it.each([
    ['残疾学生能不能上大学', '残疾学生 上大学'],
    ['开会能发纪念品吗？', '开会能发纪念品'],
    ['教师职务有哪几种', '教师职务'],
    ['高教法47条讲的啥', '高教法47条'],
    ['请问关于学位制度有什么规定', '学位制度'],
    ['学术委员会的职责是什么', '学术委员会 职责'],
    ['我老公打我怎么办', '老公打'],
    ['其他人可以查看我的个人信息吗', '其他人 查看 个人信息'],
  ])('%s → %s', (question, expected) => expect(keywords(question)).toBe(expected));
});

describe('content/terms.yaml', () => {
  it('loads with the content and expands lay words', async () => {
    const content = await loadContent(FIXTURE_CONTENT);
    expect(content.terms.pairs.length).toBeGreaterThanOrEqual(50);
    expect(expandQuery('高校开会', content.terms).map((t) => t.text)).toEqual(expect.arrayContaining(['高等学校', '会议']));
  });

  it('names file, line and field of a broken pair', async () => {
    const dir = path.join(mkdtempSync(path.join(tmpdir(), 'terms-')), 'content');
    cpSync(FIXTURE_CONTENT, dir, { recursive: true });
    const file = path.join(dir, 'terms.yaml');
    const lines = readFileSync(file, 'utf8').split('\n');
    const at = lines.findIndex((l) => l.startsWith('  开会:'));
    lines[at] = '  开会: "会 议"';
    writeFileSync(file, lines.join('\n'));
    const err = await loadContent(dir).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(ContentError);
    expect((err as ContentError).file).toBe(path.join('content', 'terms.yaml'));
    expect((err as ContentError).line).toBe(at + 1);
    expect((err as ContentError).field).toBe('pairs.开会');
    expect((err as ContentError).message).toContain('只能是汉字、字母或数字');
  });
});
