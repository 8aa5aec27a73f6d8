import JSZip from 'jszip';

/**
 * A .docx read back as Word would lay it out: its paragraphs' text (tables' cells are paragraphs too), in order, and
 * split into pages where a paragraph starts a new page (w:pageBreakBefore). Entities decoded.
 */
export interface DocxText {
  xml: string;
  styles: string;
  paragraphs: string[];
  pages: string[][];
}

const decode = (s: string) =>
  s
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, '&');

export async function readDocx(data: Buffer): Promise<DocxText> {
  const zip = await JSZip.loadAsync(data);
  const xml = await zip.file('word/document.xml')!.async('string');
  const styles = (await zip.file('word/styles.xml')?.async('string')) ?? '';
  const paragraphs: string[] = [];
  const pages: string[][] = [[]];
  for (const m of xml.matchAll(/<w:p[ >][\s\S]*?<\/w:p>/g)) {
    const p = m[0];
    const text = [...p.matchAll(/<w:t(?: [^>]*)?>([^<]*)<\/w:t>/g)].map((t) => decode(t[1]!)).join('');
    if (/<w:pageBreakBefore\/>|<w:pageBreakBefore w:val="(?:true|1|on)"\/>/.test(p)) pages.push([]);
    paragraphs.push(text);
    pages.at(-1)!.push(text);
  }
  return { xml, styles, paragraphs, pages };
}
