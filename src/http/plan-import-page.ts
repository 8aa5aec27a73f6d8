import { createHmac, timingSafeEqual } from 'node:crypto';
import multipart from '@fastify/multipart';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Clock } from '../clock.ts';
import type { Content } from '../content/content.ts';
import { formatShanghaiTime, shanghaiDate } from '../content/dates.ts';
import { DocxTooLargeError } from '../content/import/docx-bounds.ts';
import { docxToPlanText } from '../content/import/docx.ts';
import { confirmImport, draftYear, parseAddedDates, previewLines, readDraft, withdrawImport, type ImportDraft } from '../content/import/plan-import-flow.ts';
import { personName } from '../records/index.ts';
import type { Store } from '../storage/ports.ts';

/**
 * The status page's import (管理页面 → 导入学习计划): the chat's 导入学习计划 as ordinary HTML forms, no script.
 * Paste the notice (urlencoded) or upload a .docx/.txt (multipart) → the same report as the chat (what was
 * recognised, what is missing) → fill the year or dates → 确认. The draft travels in the form itself (a hidden
 * field), so any instance can take the next step; the plan is stored through the same flow as the chat's
 * (src/content/import/plan-import-flow.ts) and every instance serves it. The list of imports, each with a withdraw
 * button (refused once records exist, as 撤销导入).
 *
 * Access is the status page's own (its admin check: signed link or session cookie, admins only). Against cross-site
 * posts: the session cookie is SameSite=Strict, the CSP allows forms to post only to this origin, and every post
 * carries a token derived from the session cookie (HMAC), which another site cannot read.
 */
export const UPLOAD_LIMIT_BYTES = 5 * 1024 * 1024;
/** A notice is a few pages; the text (pasted, or read from a file) round-trips in the forms, so it is bounded. */
export const TEXT_LIMIT_CHARS = 200_000;
/** Urlencoded CJK is 9 bytes a character: the text limit, with room for the other fields. */
const FORM_BODY_LIMIT = TEXT_LIMIT_CHARS * 9 + 64 * 1024;

export interface PlanImportPageOptions {
  content: Content;
  store: Store;
  clock: Clock;
  secret: string;
  planSync?: { refresh(): Promise<void> } | undefined;
  /** The status page's admin check: the admin's user id, or undefined once it has answered the refusal itself. */
  admin: (req: FastifyRequest, reply: FastifyReply) => Promise<string | undefined>;
  /** The status page's session cookie on this request (or the one its admin check has just set). */
  sessionOf: (req: FastifyRequest, reply: FastifyReply) => string | undefined;
  page: (title: string, body: string) => string;
  esc: (s: string) => string;
}

export async function planImportPageRoutes(parent: FastifyInstance, o: PlanImportPageOptions): Promise<void> {
  // A child context: the status page's hooks (headers, CSP) apply, while multipart and the error page stay here.
  await parent.register(async (app) => routes(app, o));
}

async function routes(app: FastifyInstance, o: PlanImportPageOptions): Promise<void> {
  const { content, store, clock, secret, esc } = o;
  const flow = { content, store, planSync: o.planSync };
  // Only this context parses multipart, and a file part is bounded; the route reads one file, a few small fields.
  await app.register(multipart, { limits: { fileSize: UPLOAD_LIMIT_BYTES, files: 1, fields: 5, fieldSize: 4096, parts: 6 } });

  const csrfOf = (session: string) => createHmac('sha256', secret).update(`plan-import-form:${session}`).digest('base64url');
  const csrfOk = (req: FastifyRequest, reply: FastifyReply, given: unknown) => {
    const session = o.sessionOf(req, reply);
    if (!session || typeof given !== 'string') return false;
    const a = Buffer.from(given);
    const b = Buffer.from(csrfOf(session));
    return a.length === b.length && timingSafeEqual(a, b);
  };
  const csrfField = (req: FastifyRequest, reply: FastifyReply) => {
    const session = o.sessionOf(req, reply);
    return session ? `<input type="hidden" name="csrf" value="${esc(csrfOf(session))}">` : '';
  };
  const html = (reply: FastifyReply, status: number, title: string, body: string) =>
    reply
      .code(status)
      .type('text/html; charset=utf-8')
      .send(o.page(title, `<h1>${esc(title)}</h1><p><a href="/status">← 返回提交情况</a> · <a href="/status/import">导入学习计划</a></p>${body}`));
  const refuse = (reply: FastifyReply, status: number, message: string) => html(reply, status, '导入学习计划', `<p class="miss">${esc(message)}</p>`);
  // A body Fastify refuses before a route runs (too large, unreadable) is answered as a page in Chinese too.
  app.setErrorHandler((err: { statusCode?: number; code?: string }, req, reply) => {
    const status = err.statusCode && err.statusCode >= 400 && err.statusCode < 500 ? err.statusCode : 500;
    if (status === 500) req.log.error({ err }, 'plan import page failed');
    else req.log.warn({ code: err.code }, 'plan import form refused');
    const message =
      status === 413
        ? '提交的内容太大，没有导入。'
        : status === 500
          ? '导入时出错，没有导入任何内容。请稍后重试。'
          : '提交的内容无法读取，没有导入。请在页面上重新提交。';
    return refuse(reply, status, message);
  });
  const STALE_FORM = '表单已失效（可能已退出或重新打开了链接）。请刷新“导入学习计划”页面后重试。';

  /** The form to start from, and the list of imports with their withdraw buttons. */
  const startPage = async (req: FastifyRequest, reply: FastifyReply, status = 200, notice = '') => {
    const csrf = csrfField(req, reply);
    const imports = await store.planImports.list();
    const rows = imports
      .map((p) => {
        const title = content.planById(p.id)?.plan.title;
        const state =
          p.withdrawnAt !== undefined
            ? `${esc(personName(content, p.withdrawnBy ?? ''))} 于 ${esc(formatShanghaiTime(p.withdrawnAt))} 撤销`
            : `<form method="post" action="/status/import/withdraw" style="margin:0">${csrf}<input type="hidden" name="id" value="${esc(p.id)}"><button type="submit">撤销导入</button></form>`;
        return `<tr><td>${esc(p.id)}</td><td>${esc(title ?? '')}</td><td>${esc(personName(content, p.importedBy))} 于 ${esc(formatShanghaiTime(p.importedAt))} 导入</td><td>${state}</td></tr>`;
      })
      .join('');
    return html(
      reply,
      status,
      '导入学习计划',
      `${notice}<h2>粘贴通知全文</h2>
<form method="post" action="/status/import/preview">${csrf}<textarea name="text" rows="14" style="width:100%;box-sizing:border-box" aria-label="通知全文" required></textarea>
<p><button type="submit">识别</button></p></form>
<h2>或上传文件（.docx 或 .txt，不超过 ${UPLOAD_LIMIT_BYTES / 1024 / 1024} MB）</h2>
<form method="post" action="/status/import/upload" enctype="multipart/form-data">${csrf}<input type="file" name="file" accept=".docx,.txt" aria-label="通知文件" required> <button type="submit">上传并识别</button></form>
<h2>已导入的学习计划</h2>${imports.length ? `<div class="wrap"><table><thead><tr><th>id</th><th>标题</th><th>导入</th><th></th></tr></thead><tbody>${rows}</tbody></table></div>` : '<p>还没有导入过学习计划。</p>'}`,
    );
  };

  /** The report on a draft, with the fields to fill and the buttons to read it again or confirm it. */
  const previewPage = (req: FastifyRequest, reply: FastifyReply, d: ImportDraft, status = 200, notice = '') => {
    const { id, result, dates, leftOut } = readDraft(d, flow);
    const lines = previewLines(id, result);
    // An added day that cannot be a session is said and dropped from the field, as in the chat.
    if (leftOut.length) notice += leftOut.map((l) => `<p class="miss">${esc(l)}</p>`).join('');
    d = { ...d, dates };
    return html(
      reply,
      status,
      '导入学习计划：识别结果',
      `${notice}<pre>${esc(lines.join('\n'))}</pre>
<form method="post" action="/status/import/confirm">${csrfField(req, reply)}<input type="hidden" name="text" value="${esc(d.text)}">
<p><label>补充年份（通知未写年份时）<input name="year" inputmode="numeric" size="6" value="${d.year ?? ''}"></label></p>
<p><label>补充学习日期（如 5月16日、5月30日）<input name="dates" size="30" value="${esc(d.dates.map((x) => `${Number(x.slice(0, 4))}年${Number(x.slice(5, 7))}月${Number(x.slice(8))}日`).join('、'))}"></label></p>
<p><button type="submit" formaction="/status/import/preview">按补充内容重新识别</button> <button type="submit">确认导入</button></p></form>`,
    );
  };

  /** The draft a posted form describes, or the reason it cannot be read (already answered). */
  const draftFrom = (req: FastifyRequest, reply: FastifyReply): ImportDraft | undefined => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    if (!csrfOk(req, reply, body.csrf)) return void refuse(reply, 403, STALE_FORM);
    const text = typeof body.text === 'string' ? body.text.replace(/\r\n?/g, '\n') : '';
    if (!text.trim()) return void refuse(reply, 400, '没有收到通知的内容。请粘贴通知全文，或上传 .docx / .txt 文件。');
    if (text.length > TEXT_LIMIT_CHARS) return void refuse(reply, 413, `通知太长（超过 ${TEXT_LIMIT_CHARS} 字），没有导入。`);
    const yearText = typeof body.year === 'string' ? body.year.trim().replace(/年$/, '') : '';
    if (yearText && !/^(19|20)\d{2}$/.test(yearText))
      return void previewPage(
        req,
        reply,
        { text, dates: [] },
        400,
        `<p class="miss">没有看懂补充的年份“${esc(yearText.slice(0, 20))}”，请写四位数字，如 2024。</p>`,
      );
    const d: ImportDraft = { text, ...(yearText ? { year: Number(yearText) } : {}), dates: [] };
    const datesText = typeof body.dates === 'string' ? body.dates.trim() : '';
    if (datesText) {
      const dates = parseAddedDates(datesText, draftYear(d, shanghaiDate(clock.now())));
      if (!dates) return void previewPage(req, reply, d, 400, '<p class="miss">没有看懂补充的日期，请写成“5月16日”（几个日期用顿号隔开）。</p>');
      d.dates = [...new Set(dates)];
    }
    return d;
  };

  app.get('/status/import', async (req, reply) => {
    if (!(await o.admin(req, reply))) return reply;
    return startPage(req, reply);
  });

  app.post('/status/import/preview', { bodyLimit: FORM_BODY_LIMIT }, async (req, reply) => {
    if (!(await o.admin(req, reply))) return reply;
    const d = draftFrom(req, reply);
    if (!d) return reply;
    return previewPage(req, reply, d);
  });

  app.post('/status/import/upload', async (req, reply) => {
    if (!(await o.admin(req, reply))) return reply;
    if (!req.isMultipart()) return refuse(reply, 415, '请通过页面上的“上传并识别”提交文件。');
    let file;
    let data: Buffer;
    try {
      file = await req.file();
      if (!file) return refuse(reply, 400, '没有收到文件，请选择 .docx 或 .txt 文件后再上传。');
      data = await file.toBuffer();
    } catch (err) {
      const code = (err as { code?: string }).code;
      if (code === 'FST_REQ_FILE_TOO_LARGE') return refuse(reply, 413, `文件太大（上限 ${UPLOAD_LIMIT_BYTES / 1024 / 1024} MB），没有导入。`);
      req.log.warn({ code }, 'plan upload not read');
      return refuse(reply, 400, '上传的内容无法读取，请重新选择文件上传。');
    }
    const csrf = (file.fields.csrf as { value?: unknown } | undefined)?.value;
    if (!csrfOk(req, reply, csrf)) return refuse(reply, 403, STALE_FORM);
    const name = file.filename.toLowerCase();
    let text: string;
    if (name.endsWith('.docx')) {
      try {
        text = (await docxToPlanText(data)).text;
      } catch (err) {
        if (err instanceof DocxTooLargeError) {
          req.log.warn({ entry: err.entry, limitBytes: err.limitBytes, uploadBytes: data.length }, 'plan upload refused: inflates too large');
          return refuse(
            reply,
            413,
            `这个 Word 文件解压后超过 ${err.limitBytes / 1024 / 1024} MB（正常的通知远小于此，文件可能已损坏或被改动），无法读取，没有导入任何内容。请在 Word 中另存为新的 .docx，或直接粘贴通知全文。`,
          );
        }
        return refuse(reply, 400, '无法读取这个 Word 文件（可能已损坏，或不是 .docx 格式；旧的 .doc 请在 Word 中另存为 .docx）。没有导入任何内容。');
      }
    } else if (name.endsWith('.txt')) {
      text = plainText(data);
    } else {
      return refuse(
        reply,
        415,
        `只能上传 .docx 或 .txt 文件。${name.endsWith('.doc') || name.endsWith('.wps') ? '请在 Word 或 WPS 中将文件另存为 .docx 后再上传。' : ''}`,
      );
    }
    text = text.replace(/\r\n?/g, '\n');
    if (!text.trim()) return refuse(reply, 400, '文件中没有文字，没有导入。');
    if (text.length > TEXT_LIMIT_CHARS) return refuse(reply, 413, `通知太长（超过 ${TEXT_LIMIT_CHARS} 字），没有导入。`);
    return previewPage(req, reply, { text, dates: [] });
  });

  app.post('/status/import/confirm', { bodyLimit: FORM_BODY_LIMIT }, async (req, reply) => {
    const user = await o.admin(req, reply);
    if (!user) return reply;
    const d = draftFrom(req, reply);
    if (!d) return reply;
    const done = await confirmImport(flow, d, user, clock.now(), () => '在本页的“已导入的学习计划”中点“撤销导入”');
    if (!done.ok) return previewPage(req, reply, d, 409, `<p class="miss">${esc(done.message)}</p>`);
    return startPage(req, reply, 200, `<p class="ok">${esc(done.message)}</p>`);
  });

  app.post('/status/import/withdraw', async (req, reply) => {
    const user = await o.admin(req, reply);
    if (!user) return reply;
    const body = (req.body ?? {}) as Record<string, unknown>;
    if (!csrfOk(req, reply, body.csrf)) return refuse(reply, 403, STALE_FORM);
    const id = typeof body.id === 'string' ? body.id.trim() : '';
    if (!id) return refuse(reply, 400, '没有指明要撤销的导入。');
    const done = await withdrawImport(flow, id, user, clock.now());
    return startPage(req, reply, done.ok ? 200 : 409, `<p class="${done.ok ? 'ok' : 'miss'}">${esc(done.message)}</p>`);
  });
}

/**
 * A .txt as offices save them: UTF-8 (with or without a BOM), else GB18030 (Windows Notepad's "ANSI" on a Chinese
 * system). Text that is not valid UTF-8 is almost never valid-looking GB18030 by accident the other way round.
 */
function plainText(data: Buffer): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(data).replace(/^\uFEFF/, '');
  } catch {
    return new TextDecoder('gb18030').decode(data);
  }
}
