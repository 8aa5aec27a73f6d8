import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { ContentError } from '../errors.ts';
import { parseNumber, toChineseNumber } from './numerals.ts';

/**
 * A regulation document parsed into structure (not a bag of words). The file format is markdown, the same as the
 * national-law corpus uses: optional front matter, `# title`, preamble paragraphs, `##`/`###` headings (chapters,
 * sections), one paragraph per block. How numbered units are recognised depends on `numbering`:
 * - articles: a paragraph that starts "第…条" (optionally 之一), with or without a space after it ("第四条高等教育…"),
 *   and only when its number follows the previous article's: "第二十九条规定的…" inside an article, or
 *   "依照教育法第五十六条" (not at a paragraph's start), are text, not headings;
 * - points: top-level paragraphs "一、…" (the eight-point regulation's 一、…七、), addressed as 第一条…第七条;
 * - sections: every paragraph is a unit under its headings (the national plans: 一、 （一） 1．).
 */
export type Numbering = 'articles' | 'points' | 'sections';

export interface Unit {
  /** Stable id: `${docId}#a47`, `#a47-1` (之一), `#p3`, `#s12`. */
  id: string;
  docId: string;
  kind: 'article' | 'point' | 'paragraph';
  /** Article or point number; undefined for plain paragraphs. */
  number: number | undefined;
  /** 之一 → 1 */
  suffix: number | undefined;
  /** "第四十七条", "第三条", "" */
  label: string;
  /** Headings above the unit, outermost first, as written ("第五章　高等学校教师和其他教育工作者"). */
  path: string[];
  /** The unit's paragraphs as written. */
  paragraphs: string[];
  /** 1-based line in the file where the unit starts. */
  line: number;
}

export interface RegulationDocument {
  id: string;
  title: string;
  shortTitle: string;
  aliases: string[];
  numbering: Numbering;
  /** Content-relative file name, for errors and `npm run index`. */
  file: string;
  preamble: string[];
  chapters: string[];
  units: Unit[];
}

const frontMatterSchema = z.strictObject({
  id: z.string().regex(/^[a-z0-9-]+$/, { error: 'id 只能包含小写字母、数字和 -' }),
  title: z.string().min(1).optional(),
  shortTitle: z.string().min(1).optional(),
  aliases: z.array(z.string().min(1)).default([]),
  numbering: z.enum(['articles', 'points', 'sections']).default('articles'),
});

const CN_NUM = '零〇一二两三四五六七八九十百千万';
const ARTICLE = new RegExp(`^第([${CN_NUM}0-9０-９]+)条(?:之([一二三四五六七八九十]+))?[\\s　]*`);
const POINT = new RegExp(`^([${CN_NUM}]+)、`);

interface Block {
  kind: 'heading' | 'paragraph';
  level: number;
  text: string;
  line: number;
}

/** Splits markdown into headings and paragraphs (a paragraph is consecutive non-blank lines, joined). */
function blocks(body: string, firstLine: number): { title: string | undefined; blocks: Block[] } {
  const out: Block[] = [];
  let title: string | undefined;
  let para: string[] = [];
  let paraLine = 0;
  const flush = () => {
    if (para.length) out.push({ kind: 'paragraph', level: 0, text: para.join('\n'), line: paraLine });
    para = [];
  };
  body.split('\n').forEach((raw, i) => {
    const line = raw.replace(/\s+$/, '');
    const lineNo = firstLine + i;
    const heading = /^(#{1,6})\s+(.*)$/.exec(line);
    if (heading) {
      flush();
      if (heading[1]!.length === 1 && title === undefined) title = heading[2]!.trim();
      else out.push({ kind: 'heading', level: heading[1]!.length, text: heading[2]!.trim(), line: lineNo });
    } else if (line.trim() === '' || /^<!--.*-->$/.test(line.trim())) {
      flush();
    } else {
      if (!para.length) paraLine = lineNo;
      para.push(line.trim());
    }
  });
  flush();
  return { title, blocks: out };
}

/** Parses one document file. `file` is used in errors; `fallbackId` when there is no front matter (the corpus). */
export function parseDocument(source: string, file: string, fallbackId: string): RegulationDocument {
  const text = source.replace(/^\ufeff/, '').replace(/\r\n?/g, '\n');
  let meta: z.infer<typeof frontMatterSchema> = { id: fallbackId, aliases: [], numbering: 'articles' };
  let body = text;
  let bodyLine = 1;
  const fm = /^---\n([\s\S]*?)\n---\n/.exec(text);
  if (fm) {
    let raw: unknown;
    try {
      raw = parseYaml(fm[1]!);
    } catch (err) {
      throw new ContentError(file, 2, undefined, `文档开头的属性 (front matter) 格式错误：${(err as Error).message.split('\n')[0]}`);
    }
    const parsed = frontMatterSchema.safeParse(raw);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      throw new ContentError(file, 2, issue.path.join('.') || undefined, issue.message);
    }
    meta = parsed.data;
    body = text.slice(fm[0].length);
    bodyLine = fm[0].split('\n').length;
  }
  const { title: heading, blocks: list } = blocks(body, bodyLine);
  const title = meta.title ?? heading;
  if (!title) throw new ContentError(file, bodyLine, 'title', '文档缺少标题（第一行应为 “# 标题”）');

  const doc: RegulationDocument = {
    id: meta.id,
    title,
    shortTitle: meta.shortTitle ?? title.replace(/^中华人民共和国/, ''),
    aliases: meta.aliases,
    numbering: meta.numbering,
    file,
    preamble: [],
    chapters: [],
    units: [],
  };
  const path: string[] = [];
  let current: Unit | undefined;
  let lastNumber = 0;
  let paragraphs = 0;
  for (const b of list) {
    if (b.kind === 'heading') {
      // "## 第一章 总则" is level 2; deeper headings nest under it.
      path.length = Math.max(0, b.level - 2);
      path.push(b.text);
      if (b.level === 2) doc.chapters.push(b.text);
      current = undefined;
      continue;
    }
    const numbered = doc.numbering === 'sections' ? undefined : startOfUnit(b.text, doc.numbering, lastNumber);
    if (numbered) {
      lastNumber = numbered.number;
      const kind = doc.numbering === 'articles' ? 'article' : 'point';
      current = {
        id: `${doc.id}#${kind === 'article' ? 'a' : 'p'}${numbered.number}${numbered.suffix ? `-${numbered.suffix}` : ''}`,
        docId: doc.id,
        kind,
        number: numbered.number,
        suffix: numbered.suffix,
        label: `第${toChineseNumber(numbered.number)}条${numbered.suffix ? `之${toChineseNumber(numbered.suffix)}` : ''}`,
        path: [...path],
        paragraphs: [b.text],
        line: b.line,
      };
      doc.units.push(current);
    } else if (current && doc.numbering === 'articles') {
      current.paragraphs.push(b.text);
    } else if (doc.numbering !== 'sections' && doc.units.length === 0 && path.length === 0) {
      doc.preamble.push(b.text);
    } else {
      current = undefined;
      doc.units.push({
        id: `${doc.id}#s${++paragraphs}`,
        docId: doc.id,
        kind: 'paragraph',
        number: undefined,
        suffix: undefined,
        label: '',
        path: [...path],
        paragraphs: [b.text],
        line: b.line,
      });
    }
  }
  return doc;
}

/** Whether a paragraph opens the next article/point, given the last number seen. */
function startOfUnit(text: string, numbering: 'articles' | 'points', last: number): { number: number; suffix: number | undefined } | undefined {
  const m = (numbering === 'articles' ? ARTICLE : POINT).exec(text);
  if (!m) return undefined;
  const number = parseNumber(m[1]!);
  if (number === undefined) return undefined;
  const suffix = m[2] ? parseNumber(m[2]) : undefined;
  if (suffix !== undefined) return number === last ? { number, suffix } : undefined;
  // The first may have any number (a code's later book starts at 第四百六十三条). After it, published texts skip a few
  // repealed numbers, while a paragraph opening with a reference to another article jumps backwards or far ahead.
  if (last > 0 && (number <= last || number > last + 10)) return undefined;
  if (numbering === 'articles' && text.length === m[0].length) return undefined; // a bare "第五条" line is not an article
  return { number, suffix: undefined };
}

/** A unit's text without the number it opens with ("第四十七条　", "三、"), for a preview of its first words. */
export function textAfterHeading(unit: Unit): string {
  const text = unit.paragraphs.join('');
  const head = unit.kind === 'article' ? ARTICLE.exec(text) : unit.kind === 'point' ? POINT.exec(text) : null;
  return (head ? text.slice(head[0].length) : text).replace(/^[\s　]+/, '');
}

/** "《中华人民共和国高等教育法》" */
export function bookTitle(doc: RegulationDocument): string {
  return `《${doc.title}》`;
}
