import { createHash } from 'node:crypto';
import {
  AlignmentType,
  BorderStyle,
  Document,
  ImageRun,
  LineRuleType,
  Packer,
  Paragraph,
  Table,
  TableCell,
  TableLayoutType,
  TableRow,
  TextRun,
  WidthType,
  type IRunOptions,
} from 'docx';
import { withoutXmlForbidden } from '../xml-chars.ts';
import { formatDateWithWeekday, formatMonthDay, formatShanghaiTime } from '../content/dates.ts';
import { formatAbsentees, receiptWithVersion, secretaryNames, sessionLabel, versionName } from './format.ts';
import type { GroupNotebook, Notebook, NotebookSession } from './notebook.ts';
import { GROUP_KIND_LABEL } from './policy.ts';
import { CELL_STATUS_LABEL, firstSubmittedAt, type GroupFigures } from './status.ts';
import type { Content } from '../content/content.ts';
import { personName } from './format.ts';
import { imageSizeOf, imageTypeOf } from './photos.ts';

/** A record's photos, in order, for its page (read from the store by the caller: src/records/files.ts). */
export type NotebookPhotos = (receipt: string) => Promise<Array<{ n: number; data: Buffer }>>;
/**
 * The largest a photo is drawn, in pixels at 96 dpi: the text width (A4 less the margins, about 6.3 in) and a height that
 * leaves two landscape photos to a page. Smaller photos keep their size; larger ones are scaled down, proportions kept.
 */
const PHOTO_MAX = { width: 600, height: 400 };
/** The image types Word draws (docx's ImageRun); a WebP photo is named on the page instead, to be seen on the status page. */
const WORD_IMAGE_TYPE = { 'image/jpeg': 'jpg', 'image/png': 'png', 'image/gif': 'gif' } as const;

/**
 * The 学习记录本 as a Word document, laid out like the paper notebook: a cover (organisation, group, period,
 * secretary), one page per session (date, place, 应到/实到, absentees with reasons, theme, questions discussed,
 * summary, recorder, the receipt and version, 修改于 … where amended), and a closing table of the sessions and their
 * status with the group's figures. The whole organisation's file has a cover of its own and a table of every group.
 * Text is 仿宋 and headings 宋体, as Word names them (w:eastAsia), with Times New Roman for Latin letters and digits.
 */
const BODY_FONT = { ascii: 'Times New Roman', hAnsi: 'Times New Roman', eastAsia: '仿宋', cs: 'Times New Roman' };
const TITLE_FONT = { ascii: 'Times New Roman', hAnsi: 'Times New Roman', eastAsia: '宋体', cs: 'Times New Roman' };
/** Half-points: 四号 14 pt for the text, 二号 22 pt and 小初 36 pt for the cover, 三号 16 pt for a session's heading. */
const SIZE = { body: 28, table: 24, heading: 32, cover: 44, coverTitle: 72 } as const;

const clean = withoutXmlForbidden;

// The body font is the document's default (styles.xml), not repeated on every run: a semester of a large organisation
// is thousands of runs, and each one's attributes cost the generator memory (npm run bench:record-book).
const run = (text: string, o: Partial<IRunOptions> = {}) => new TextRun({ text: clean(text), ...o });
const title = (text: string, size: number) => new TextRun({ text: clean(text), font: TITLE_FONT, bold: true, size });

function para(text: string, o: { size?: number; center?: boolean; bold?: boolean; pageBreakBefore?: boolean; spacingAfter?: number } = {}): Paragraph {
  return new Paragraph({
    children: [run(text, { size: o.size ?? SIZE.body, bold: o.bold ?? false })],
    ...(o.center ? { alignment: AlignmentType.CENTER } : {}),
    ...(o.pageBreakBefore ? { pageBreakBefore: true } : {}),
    spacing: { after: o.spacingAfter ?? 80, line: 360 },
  });
}

/** A4 less 2.54 cm margins, in twips: the width tables are laid out in (fixed, so every reader keeps the columns). */
const PAGE_MARGIN = 1440;
const TEXT_WIDTH = 11906 - 2 * PAGE_MARGIN;
const columns = (percent: number[]) => ({ columnWidths: percent.map((p) => Math.round((TEXT_WIDTH * p) / 100)), layout: TableLayoutType.FIXED });

const border = { style: BorderStyle.SINGLE, size: 4, color: '000000' };
const tableBorders = { top: border, bottom: border, left: border, right: border, insideHorizontal: border, insideVertical: border };

/** A table cell of one or more paragraphs (a summary keeps its own line breaks). */
function cell(text: string | string[], o: { width?: number; bold?: boolean; size?: number } = {}): TableCell {
  const lines = (Array.isArray(text) ? text : text.split('\n')).map(
    (l) => new Paragraph({ children: [run(l, { ...(o.size ? { size: o.size } : {}), ...(o.bold ? { bold: true } : {}) })] }),
  );
  return new TableCell({
    children: lines.length ? lines : [new Paragraph('')],
    ...(o.width ? { width: { size: Math.round((TEXT_WIDTH * o.width) / 100), type: WidthType.DXA } } : {}),
    margins: { top: 60, bottom: 60, left: 100, right: 100 },
  });
}

function table(rows: string[][], widths: number[], headerRows = 1): Table {
  return new Table({
    width: { size: TEXT_WIDTH, type: WidthType.DXA },
    borders: tableBorders,
    ...columns(widths),
    rows: rows.map((r, i) => new TableRow({ tableHeader: i < headerRows, children: r.map((t, j) => cell(t, { width: widths[j]!, bold: i < headerRows })) })),
  });
}

/** A label column and a text column: the notebook's page for a session. */
function formTable(rows: Array<[string, string | string[]]>): Table {
  return new Table({
    width: { size: TEXT_WIDTH, type: WidthType.DXA },
    borders: tableBorders,
    ...columns([22, 78]),
    rows: rows.map(
      ([k, v]) =>
        new TableRow({ cantSplit: false, children: [cell(k, { width: 22, bold: true, size: SIZE.body - 2 }), cell(v, { width: 78, size: SIZE.body - 2 })] }),
    ),
  });
}

function cover(lines: Array<[string, string]>, heading: string, subtitle: string, pageBreakBefore: boolean): Paragraph[] {
  return [
    new Paragraph({ children: [title(heading, SIZE.cover)], alignment: AlignmentType.CENTER, spacing: { before: 2400, after: 600 }, pageBreakBefore }),
    new Paragraph({ children: [title('政治理论学习记录本', SIZE.coverTitle)], alignment: AlignmentType.CENTER, spacing: { after: 1800 } }),
    ...lines.map(
      ([k, v]) =>
        new Paragraph({
          children: [run(`${k}：`, { size: SIZE.heading, bold: true }), run(v, { size: SIZE.heading })],
          indent: { left: 1400 },
          spacing: { after: 240 },
        }),
    ),
    para(subtitle, { center: true, size: SIZE.table }),
  ];
}

/** "实到 12 / 应到 15（80%）", or 实到 alone where 应到 was never given. */
export function attendanceFigure(f: GroupFigures): string {
  if (!f.expectedPresent) return f.attended ? `实到合计 ${f.attended} 人次` : '无';
  return `实到 ${f.present} / 应到 ${f.expectedPresent}（${Math.round((f.present / f.expectedPresent) * 100)}%）`;
}

export function figuresLine(f: GroupFigures): string {
  const t = f.tally;
  return `按时提交 ${t.onTime} 次，逾期提交 ${t.late} 次，未交 ${t.missing} 次${t.notDue ? `，未到期 ${t.notDue} 次` : ''}；出勤：${attendanceFigure(f)}`;
}

/**
 * docx's ImageRun names an image by a SHA-1 of its bytes, computed in JavaScript (hash.js) at about 5 MB/s: a phone
 * photo of 1.5 MB cost 0.3 s, a semester's photos minutes (npm run bench:record-book -- --photos 2). So the run is made
 * with node's own SHA-1 of the photo as its stand-in bytes (same photo, same name: Word still keeps one copy) and the
 * photo put in its place before anything reads it. test/records/photos-chat.test.ts reads every photo back from
 * word/media/, so a docx release that changes this is caught there.
 */
function imageRun(options: ConstructorParameters<typeof ImageRun>[0] & { type: 'jpg' | 'png' | 'gif'; data: Buffer }): ImageRun {
  const run = new ImageRun({ ...options, data: createHash('sha1').update(options.data).digest() });
  const held = (run as unknown as { imageData?: { data?: unknown } }).imageData;
  if (!held || !(held.data instanceof Uint8Array)) return new ImageRun(options); // not the docx this was written for: the slow way
  held.data = options.data;
  return run;
}

/** The record's photos below its table, each scaled to fit the page, numbered as on the status page. */
async function photoParagraphs(receipt: string, photos: NotebookPhotos | undefined): Promise<Paragraph[]> {
  const list = photos ? await photos(receipt) : [];
  if (list.length === 0) return [];
  // The heading stays with the first photo, and each photo with its caption (keepNext), when they go to the next page.
  const out = [new Paragraph({ children: [title(`现场照片（${list.length} 张）`, SIZE.body)], spacing: { before: 240, after: 120 }, keepNext: true })];
  for (const p of list) {
    const mime = imageTypeOf(p.data);
    const type = mime && mime in WORD_IMAGE_TYPE ? WORD_IMAGE_TYPE[mime as keyof typeof WORD_IMAGE_TYPE] : undefined;
    const size = imageSizeOf(p.data);
    if (!type || !size) {
      out.push(para(`照片 ${p.n}：${mime === 'image/webp' ? 'WebP 格式，Word 不能显示，请在状态页查看' : '无法读取图片尺寸，请在状态页查看'}。`));
      continue;
    }
    const scale = Math.min(1, PHOTO_MAX.width / size.width, PHOTO_MAX.height / size.height);
    out.push(
      new Paragraph({
        children: [
          imageRun({
            type,
            data: p.data,
            transformation: { width: Math.max(1, Math.round(size.width * scale)), height: Math.max(1, Math.round(size.height * scale)) },
            altText: { name: `照片 ${p.n}`, description: `${receipt} 现场照片 ${p.n}`, title: `照片 ${p.n}` },
          }),
        ],
        alignment: AlignmentType.CENTER,
        keepNext: true,
        // Single spacing, said outright: the document's default line (320, no rule) made LibreOffice cut the photo to
        // one line's height.
        spacing: { after: 60, line: 240, lineRule: LineRuleType.AUTO },
      }),
      para(`照片 ${p.n}`, { center: true, size: SIZE.table, spacingAfter: 200 }),
    );
  }
  return out;
}

/** The session's page: every field of the record, or a note that none was handed in. */
async function sessionPage(content: Content, n: number, s: NotebookSession, photos: NotebookPhotos | undefined): Promise<Array<Paragraph | Table>> {
  const head = new Paragraph({ children: [title(`第${n}次学习　${sessionLabel(s.session)}`, SIZE.heading)], pageBreakBefore: true, spacing: { after: 240 } });
  const r = s.record;
  if (!r) return [head, para(`本次学习${s.status === 'missing' ? '未提交学习讨论记录（未交）' : '尚未提交学习讨论记录'}。`)];
  const f = r.fields;
  const a = f.attendees;
  const first = firstSubmittedAt(r);
  const version =
    r.revision > 1
      ? `${versionName(r.revision)}，修改于 ${formatShanghaiTime(r.submittedAt)}（${personName(content, r.submittedBy)}）；首次提交于 ${formatShanghaiTime(first)}（${personName(content, r.history[0]?.submittedBy ?? r.submittedBy)}）`
      : `${versionName(1)}，提交于 ${formatShanghaiTime(r.submittedAt)}（${personName(content, r.submittedBy)}）`;
  const rows: Array<[string, string | string[]]> = [
    [
      '学习日期',
      f.heldOn
        ? `${f.heldOn.slice(0, 4)}年${formatDateWithWeekday(f.heldOn)}${f.heldOn !== s.session.date ? `（原定${formatMonthDay(s.session.date)}）` : ''}`
        : '未填',
    ],
    ['学习地点', f.place ?? '未填'],
    ['应到人数', a?.expected !== undefined ? `${a.expected}人` : '未填'],
    ['实到人数', a ? `${a.count}人${a.names.length ? `（${a.names.join('、')}）` : ''}` : '未填'],
    ['缺席人员及原因', formatAbsentees(f.absentees)],
    ['学习主题', f.topic ?? '未填'],
    ['讨论题', f.questions?.length ? f.questions.map((q, i) => `${i + 1}. ${q}`) : '未填'],
    ['讨论情况', f.summary ?? '未填'],
    ['记录人', f.recorder ?? '未填'],
    ['回执编号', receiptWithVersion(r)],
    ['版本', version],
    ['提交情况', CELL_STATUS_LABEL[s.status]],
  ];
  return [head, formTable(rows), ...(await photoParagraphs(r.receipt, photos))];
}

/** The closing table: every session of the period with its status, time, 应到/实到 and recorder, then the figures. */
function closingTable(g: GroupNotebook): Array<Paragraph | Table> {
  const rows = g.sessions.map((s, i) => {
    const r = s.record;
    const a = r?.fields.attendees;
    return [
      String(i + 1),
      sessionLabel(s.session),
      CELL_STATUS_LABEL[s.status],
      r ? formatShanghaiTime(firstSubmittedAt(r)) : '',
      a?.expected !== undefined ? String(a.expected) : '',
      a ? String(a.count) : '',
      r?.fields.recorder ?? '',
    ];
  });
  return [
    new Paragraph({ children: [title(`学习情况汇总　${g.group.name}`, SIZE.heading)], pageBreakBefore: true, spacing: { after: 240 } }),
    table([['序号', '学习', '提交情况', '首次提交', '应到', '实到', '记录人'], ...rows], [7, 29, 13, 19, 8, 8, 16]),
    para(''),
    para(figuresLine(g.figures)),
  ];
}

async function groupPart(
  content: Content,
  nb: Notebook,
  g: GroupNotebook,
  first: boolean,
  photos: NotebookPhotos | undefined,
): Promise<Array<Paragraph | Table>> {
  const pages: Array<Paragraph | Table> = [];
  let n = 0;
  for (const s of g.sessions) if (s.status !== 'notDue') pages.push(...(await sessionPage(content, ++n, s, photos)));
  return [
    ...cover(
      [
        ['学习组', g.group.name],
        ['类　别', `${GROUP_KIND_LABEL[g.group.kind]}学习组`],
        ['学习期间', nb.period],
        ['记录员', secretaryNames(g.group)],
      ],
      nb.organisation,
      `${nb.planTitle}　·　生成于 ${formatShanghaiTime(nb.generatedAt)}（北京时间）`,
      !first,
    ),
    ...pages,
    ...closingTable(g),
  ];
}

/** The whole organisation's table of groups, for 党委宣传部: each group's figures over the period. */
function organisationTable(nb: Notebook): Array<Paragraph | Table> {
  const rows = nb.groups.map((g) => [
    g.group.name,
    GROUP_KIND_LABEL[g.group.kind],
    secretaryNames(g.group),
    String(g.figures.tally.onTime),
    String(g.figures.tally.late),
    String(g.figures.tally.missing),
    attendanceFigure(g.figures),
  ]);
  return [
    new Paragraph({ children: [title(`各学习组学习情况汇总（${nb.period}）`, SIZE.heading)], pageBreakBefore: true, spacing: { after: 240 } }),
    table([['学习组', '类别', '记录员', '按时提交', '逾期提交', '未交', '出勤'], ...rows], [24, 8, 16, 10, 10, 8, 24]),
  ];
}

/** The notebook as a .docx; `photos` gives a record's photos for its page (none without it). */
export async function notebookDocx(content: Content, nb: Notebook, photos?: NotebookPhotos): Promise<Buffer> {
  const children: Array<Paragraph | Table> = [];
  if (nb.whole) {
    children.push(
      ...cover(
        [
          ['单　位', nb.organisation],
          ['学习期间', nb.period],
          ['学习组', `${nb.groups.length} 个（${nb.groups.map((g) => g.group.name).join('、')}）`],
        ],
        nb.organisation,
        `${nb.planTitle}　·　生成于 ${formatShanghaiTime(nb.generatedAt)}（北京时间）`,
        false,
      ),
    );
  }
  for (const [i, g] of nb.groups.entries()) children.push(...(await groupPart(content, nb, g, i === 0 && !nb.whole, photos)));
  if (nb.whole) children.push(...organisationTable(nb));
  const doc = new Document({
    creator: nb.organisation,
    title: `政治理论学习记录本 ${nb.period}`,
    // Defaults carry what every run and paragraph share (table text size, line spacing), so they are not repeated.
    styles: { default: { document: { run: { font: BODY_FONT, size: SIZE.table }, paragraph: { spacing: { line: 320 } } } } },
    sections: [
      {
        properties: {
          page: { size: { width: 11906, height: 16838 }, margin: { top: PAGE_MARGIN, bottom: PAGE_MARGIN, left: PAGE_MARGIN, right: PAGE_MARGIN } },
        },
        children,
      },
    ],
  });
  return packWithStoredMedia(doc);
}

/** What docx's Packer compiles a document into (JSZip), as far as it is used here. */
interface CompiledZip {
  files: Record<string, { dir: boolean; async(type: 'nodebuffer'): Promise<Buffer> }>;
  file(name: string, data: Buffer, options: { compression: 'STORE' }): unknown;
  generateAsync(options: { type: 'nodebuffer'; mimeType: string; compression: 'DEFLATE' }): Promise<Buffer>;
}

/**
 * Packer.toBuffer, except that photos are stored in the zip as they are: JPEG, PNG and GIF are compressed already, and
 * deflating them again in JavaScript took most of a notebook's time with photos (npm run bench:record-book). Uses the
 * Packer's own compiler; a docx release without it falls back to Packer.toBuffer.
 */
async function packWithStoredMedia(doc: Document): Promise<Buffer> {
  const compiler = (Packer as unknown as { compiler?: { compile(file: Document, prettify: undefined, overrides: []): CompiledZip } }).compiler;
  if (!compiler) return Packer.toBuffer(doc);
  const zip = compiler.compile(doc, undefined, []);
  for (const [name, entry] of Object.entries(zip.files)) {
    if (!entry.dir && name.startsWith('word/media/')) zip.file(name, await entry.async('nodebuffer'), { compression: 'STORE' });
  }
  return zip.generateAsync({ type: 'nodebuffer', mimeType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', compression: 'DEFLATE' });
}
