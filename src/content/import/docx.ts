import mammoth from 'mammoth';
import { checkDocxBounds, DOCX_LIMITS, type DocxLimits } from './docx-bounds.ts';

/**
 * A .docx plan (the format the office writes) → the same text layout as a Word text export, so one importer reads
 * both: paragraphs on their own lines, every table cell on a line starting with a tab (a cell's further paragraphs
 * on following lines without the tab), rows separated by a blank line.
 */
export async function docxToPlanText(data: Buffer, limits: DocxLimits = DOCX_LIMITS): Promise<{ text: string; messages: string[] }> {
  // A zip bomb is refused before the Word reader inflates anything (./docx-bounds.ts).
  await checkDocxBounds(data, limits);
  // Images are never read: the plan is text, and an image would only be inflated to be thrown away.
  const { value: html, messages } = await mammoth.convertToHtml({ buffer: data }, { convertImage: mammoth.images.imgElement(async () => ({ src: '' })) });
  const out: string[] = [];
  const decode = (s: string) =>
    s
      .replace(/<br\s*\/?>/g, '\n')
      .replace(/<[^>]+>/g, '')
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&quot;/g, '"')
      .replace(/&#39;/g, "'")
      .replace(/&amp;/g, '&');
  // mammoth's HTML is flat: tables of rows of cells of paragraphs, and top-level paragraphs/headings/lists.
  const parts = html.split(/(<table>[\s\S]*?<\/table>)/);
  for (const part of parts) {
    if (part.startsWith('<table>')) {
      for (const row of part.match(/<tr>[\s\S]*?<\/tr>/g) ?? []) {
        for (const cell of row.match(/<t[dh][^>]*>[\s\S]*?<\/t[dh]>/g) ?? []) {
          const paras = (cell.match(/<p>[\s\S]*?<\/p>/g) ?? [cell]).map((p) => decode(p).trim()).filter(Boolean);
          out.push(`\t${paras[0] ?? ''}`, ...paras.slice(1));
        }
        out.push('');
      }
    } else {
      for (const block of part.match(/<(p|h\d|li)[^>]*>[\s\S]*?<\/\1>/g) ?? []) out.push(decode(block), '');
    }
  }
  return { text: out.join('\n'), messages: messages.map((m) => `${m.type}: ${m.message}`) };
}
