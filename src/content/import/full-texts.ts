import { stringify } from 'yaml';
import type { Numbering } from '../documents.ts';

/**
 * The full texts that follow a plan (its 学习资料 part): each starts at a line naming one of the plan's materials and
 * runs to the next. Each becomes documents/<id>.md, numbered by articles, points or sections as its text shows.
 */
export interface KnownDocument {
  id: string;
  title: string;
  shortTitle: string;
  aliases: readonly string[];
}

export interface ImportedDocument {
  id: string;
  matches: string;
  markdown: string;
}

/** "《中华人民共和国某某法》(最新修改版全文)" → "中华人民共和国某某法" */
export function normaliseTitle(t: string): string {
  return t.replace(/[（(]最新修改版全文[）)]/, '').replace(/[《》\s　]/g, '');
}

/**
 * `known`: the documents already in the content folder. A text whose title is already there keeps that document's
 * id, short title and aliases (edited by the office after an earlier import), so importing again changes nothing.
 */
export function parseFullTexts(lines: readonly string[], materials: readonly string[], known: readonly KnownDocument[], idPrefix: string, recognised: string[], problems: string[]): ImportedDocument[] {
  const wanted = new Map(materials.map((m) => [normaliseTitle(m), m]));
  const starts: Array<{ at: number; material: string }> = [];
  lines.forEach((line, i) => {
    const m = wanted.get(normaliseTitle(line));
    if (m && line.trim()) starts.push({ at: i, material: m });
  });
  for (const m of materials) if (!starts.some((s) => s.material === m)) problems.push(`学习资料“${m}”的全文未找到`);
  return starts.map((s, k) => {
    const end = starts[k + 1]?.at ?? lines.length;
    const body = lines.slice(s.at + 1, end);
    // Section markers between documents ("学生专题", "（见教职工专题）") are not part of any text.
    while ((body.length && /^\s*([（(]见.*专题[）)]|.*专题)\s*$/.test(body.at(-1)!)) || (body.length && !body.at(-1)!.trim())) body.pop();
    const doc = toMarkdown(s.material, body, known, idPrefix);
    recognised.push(`《${doc.title}》：${doc.summary}`);
    return { id: doc.id, matches: s.material, markdown: doc.markdown };
  });
}

const CHAPTER = /^第[一二三四五六七八九十]+章[\s　]*\S/;

function toMarkdown(material: string, body: string[], known: readonly KnownDocument[], idPrefix: string): { id: string; title: string; summary: string; markdown: string } {
  const title = normaliseTitle(material);
  const same = known.find((d) => normaliseTitle(d.title) === title);
  const id = same?.id ?? `${idPrefix}document-${Buffer.from(title).toString('hex').slice(0, 8)}`;
  const paragraphs = body.map((l) => l.trim()).filter(Boolean);
  const isLaw = paragraphs.some((p) => /^第[一二三四五六七八九十百零]+条/.test(p));
  const isPoints = !isLaw && paragraphs.some((p) => /^一、/.test(p)) && !paragraphs.some((p) => /^（一）/.test(p));
  const numbering: Numbering = isLaw ? 'articles' : isPoints ? 'points' : 'sections';
  const out: string[] = [];
  let summary = '';
  if (isLaw) {
    // Drop the table of contents (目录 and the chapter list before the first real chapter).
    const tocAt = paragraphs.findIndex((p) => p === '目录');
    let rest = paragraphs;
    if (tocAt >= 0) {
      const chapters = paragraphs.slice(tocAt + 1).filter((p) => CHAPTER.test(p));
      const firstChapter = chapters[0];
      const realStart = paragraphs.findIndex((p, i) => i > tocAt + 1 && p === firstChapter && paragraphs[i + 1] && !CHAPTER.test(paragraphs[i + 1]!));
      rest = [...paragraphs.slice(0, tocAt), ...paragraphs.slice(realStart)];
    }
    let articles = 0;
    let chapters = 0;
    for (const p of rest) {
      if (CHAPTER.test(p)) {
        out.push(`## ${p}`);
        chapters++;
      } else {
        if (/^第[一二三四五六七八九十百零]+条/.test(p)) articles++;
        out.push(p);
      }
    }
    summary = `${chapters} 章，${articles} 条`;
  } else if (isPoints) {
    out.push(...paragraphs);
    summary = `${paragraphs.filter((p) => /^[一二三四五六七八九十]+、/.test(p)).length} 条`;
  } else {
    let h2 = 0;
    let h3 = 0;
    for (const p of paragraphs) {
      if (/^[一二三四五六七八九十]+、/.test(p) && p.length <= 40) {
        out.push(`## ${p}`);
        h2++;
      } else if (/^（[一二三四五六七八九十]+）/.test(p) && p.length <= 40) {
        out.push(`### ${p}`);
        h3++;
      } else out.push(p);
    }
    summary = `${h2} 部分，${h3} 节，${paragraphs.length - h2 - h3} 段`;
  }
  // Without an earlier import: the title without 中华人民共和国 and a bracketed span of years is the short name.
  const shortTitle = same?.shortTitle ?? title.replace(/^中华人民共和国/, '').replace(/[（(][^）)]*\d{4}[^）)]*[）)]$/, '');
  const aliases = same ? [...same.aliases] : [...new Set([shortTitle])];
  const front = stringify({ id, shortTitle, aliases, numbering }, { lineWidth: 0 });
  const markdown = `---\n${front}---\n# ${title}\n\n${out.join('\n\n')}\n`;
  return { id, title, summary, markdown };
}
