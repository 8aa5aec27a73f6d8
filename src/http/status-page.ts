import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Clock } from '../clock.ts';
import type { Content } from '../content/content.ts';
import { formatShanghaiTime, shanghaiDate } from '../content/dates.ts';
import {
  CELL_STATUS_LABEL,
  NOT_OWED_LABEL,
  personName,
  receiptWithVersion,
  RECORD_FIELD_LABELS,
  recordRows,
  RecordPolicy,
  secretaryNames,
  sessionLabel,
  statusCsv,
  statusMatrix,
  tally,
  versionName,
  type RecordFields,
  type Scope,
} from '../records/index.ts';
import type { Store, Submission } from '../storage/ports.ts';
import { planImportPageRoutes } from './plan-import-page.ts';
import { signToken, verifyToken } from './signed-token.ts';
import { recordFile } from '../records/files.ts';
import { figuresSvg } from '../records/figures-svg.ts';
import { groupFigures } from '../records/status.ts';
import type { RecordFileKind } from '../records/request.ts';
import { PHOTO_EXTENSIONS, type PhotoMime } from '../records/photos.ts';

/**
 * The party office's status page: groups × sessions of the semester (submitted / late / missing), filters by month
 * and kind, each submitted cell opening the record, the same CSV export. Access: a link the bot gives an admin
 * (管理页面) with a signed token bound to them, valid 15 minutes; opening it sets an HttpOnly, SameSite=Strict session
 * cookie. Admins only; no other login.
 */
export interface StatusPageOptions {
  content: Content;
  store: Store;
  clock: Clock;
  secret: string;
  /** The public address is HTTPS: the session cookie is marked Secure. */
  secureCookie?: boolean;
  /** Applies a plan imported on the page at once (./plan-import-page.ts). */
  planSync?: { refresh(): Promise<void> };
}

export const LINK_TTL_MS = 15 * 60_000;
const SESSION_TTL_MS = 8 * 3600_000;
const COOKIE = 'status_session';

export function statusLink(publicBaseUrl: string, secret: string, userId: string, now: number): string {
  return `${publicBaseUrl}/status?token=${signToken(secret, { u: userId, exp: now + LINK_TTL_MS, k: 'link' })}`;
}

/**
 * Opened from the chat's link, the page takes the token out of the address bar (the session cookie carries on), so it
 * is not bookmarked, shared or shown. Not a redirect: a cross-site redirect would not send the Strict cookie.
 */
const DROP_TOKEN_JS = `const u = new URL(location.href); u.searchParams.delete('token'); history.replaceState(null, '', u.pathname + u.search);\n`;
// Served as a file: the pages' Content-Security-Policy allows no inline script.
const DROP_TOKEN_SCRIPT = `<script src="/status/page.js"></script>`;

/**
 * No inline script, nothing from elsewhere; styles are inline in the page (and in style attributes), so allowed.
 * A link cannot be sent on to another site's form (form-action) nor the page framed (frame-ancestors).
 */
export const STATUS_CSP =
  "default-src 'none'; script-src 'self'; style-src 'unsafe-inline'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function page(title: string, body: string): string {
  return `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${esc(title)}</title>
<style>
body{font-family:system-ui,"PingFang SC","Microsoft YaHei",sans-serif;margin:0;padding:12px;background:#f5f6f8;color:#111}
h1{font-size:18px;margin:4px 0 12px}.bar{display:flex;flex-wrap:wrap;gap:8px;align-items:center;margin-bottom:10px}
select,button,a.btn{font-size:14px;padding:6px 10px;border-radius:6px;border:1px solid #ccc;background:#fff;color:#111;text-decoration:none}
.wrap{overflow-x:auto;background:#fff;border-radius:8px;box-shadow:0 1px 3px rgba(0,0,0,.08)}
table{border-collapse:collapse;width:100%;font-size:13px}th,td{border-bottom:1px solid #eee;padding:8px;text-align:left;white-space:nowrap}
th{background:#fafafa;position:sticky;top:0}.ok{color:#0a7d32}.late{color:#b26a00}.miss{color:#c62828;font-weight:600}
.sum{margin:8px 0;color:#444;font-size:13px}pre{white-space:pre-wrap;background:#fff;padding:12px;border-radius:8px}
.due{color:#6b7280}.chart{padding:10px}a.book{font-size:12px;font-weight:400;color:#1f6feb;margin-left:6px}.na{color:#9ca3af}h2{font-size:15px;margin:16px 0 8px}.hist{list-style:none;margin:0;padding:0}
.hist li{background:#fff;border-radius:8px;box-shadow:0 1px 3px rgba(0,0,0,.08);padding:10px 12px;margin-bottom:8px;font-size:13px}
.hist .changed{color:#444;margin-top:4px}details summary{cursor:pointer;color:#1f6feb;margin-top:6px}
.photos{display:flex;flex-wrap:wrap;gap:8px}.photos a{display:block;background:#fff;border-radius:8px;box-shadow:0 1px 3px rgba(0,0,0,.08);padding:4px;font-size:12px;color:#444;text-align:center;text-decoration:none}
.photos img{display:block;width:160px;height:120px;object-fit:cover;border-radius:4px;margin-bottom:2px}
/* A phone: one card per group, each session a line with its label (a table 5 columns wide does not fit 390 px). */
@media (max-width:600px){
.wrap.matrix{background:none;box-shadow:none;overflow:visible}
.matrix table,.matrix tbody,.matrix tr,.matrix td{display:block;width:auto}.matrix thead{display:none}
.matrix tr{background:#fff;border-radius:8px;box-shadow:0 1px 3px rgba(0,0,0,.08);margin-bottom:10px;padding:4px 0}
.matrix td{white-space:normal;display:flex;justify-content:space-between;gap:12px;border-bottom:1px solid #f0f0f0}
.matrix td:last-child{border-bottom:0}.matrix td::before{content:attr(data-label);color:#666;flex:none}
.matrix td.group{font-size:15px;font-weight:600}.matrix td.group::before{content:none}
.record th{white-space:nowrap;vertical-align:top}.record td{white-space:pre-wrap;word-break:break-word}
}
</style></head><body>${body}</body></html>`;
}

function deny(reply: FastifyReply, status: number, message: string) {
  return reply
    .code(status)
    .type('text/html; charset=utf-8')
    .send(page('无法访问', `<h1>无法访问</h1><p>${esc(message)}</p>`));
}

export async function statusPageRoutes(app: FastifyInstance, { content, store, clock, secret, secureCookie = false, planSync }: StatusPageOptions) {
  // The link's token must not travel on (Referer) or be kept (caches); the pages are not to be framed.
  app.addHook('onSend', async (_req, reply) => {
    reply
      .header('referrer-policy', 'no-referrer')
      .header('cache-control', 'no-store')
      .header('x-frame-options', 'DENY')
      .header('x-content-type-options', 'nosniff');
    reply.header('content-security-policy', STATUS_CSP);
  });
  /**
   * A link opens one session: its id is remembered until it expires (here, and in the store's dedupe ledger so other
   * instances know too); a session ended with 退出 is remembered until it would have expired (here, and in the store's
   * shared marks on PostgreSQL, so every instance refuses its cookie). With STATUS_PAGE_SECRET unset a restart
   * invalidates every link and session anyway.
   */
  const usedLinks = new Map<string, number>();
  const endedSessions = new Map<string, number>();
  const remember = (m: Map<string, number>, id: string, exp: number) => {
    m.set(id, exp);
    if (m.size > 10_000) for (const [k, e] of m) if (e <= clock.now()) m.delete(k);
  };
  const ended = async (id: string) => endedSessions.has(id) || ((await store.marks?.has(`status-session-ended:${id}`, clock.now())) ?? false);
  const cookieOf = (req: { headers: { cookie?: string | undefined } }) => /(?:^|;\s*)status_session=([^;]+)/.exec(req.headers.cookie ?? '')?.[1];
  /** The admin behind this request, from a fresh link or the session cookie; answers the refusal itself otherwise. */
  const admin = async (req: { query: unknown; headers: { cookie?: string | undefined } }, reply: FastifyReply): Promise<string | undefined> => {
    const token = (req.query as Record<string, unknown>).token;
    const cookie = cookieOf(req);
    const session = cookie ? verifyToken(secret, cookie, 'session', clock.now()) : undefined;
    const sessionUser = session?.ok && !(await ended(session.claims.n)) ? session.claims.u : undefined;
    const check = token !== undefined ? verifyToken(secret, token, 'link', clock.now()) : session;
    if (!check) return void deny(reply, 401, '请在企业微信中向学习助手发送“管理页面”，点击它给出的链接打开本页。');
    if (!check.ok) {
      return void deny(
        reply,
        403,
        check.reason === 'expired'
          ? '链接已过期（有效期 15 分钟）。请在企业微信中向学习助手发送“管理页面”获取新链接。'
          : '链接无效。请在企业微信中向学习助手发送“管理页面”获取新链接。',
      );
    }
    if (!content.isAdmin(check.claims.u)) return void deny(reply, 403, '本页面仅限党委办公室的管理员使用。');
    if (token === undefined) {
      if (!sessionUser) return void deny(reply, 401, '您已退出。请在企业微信中向学习助手发送“管理页面”获取新链接。');
      return sessionUser;
    }
    const first = !usedLinks.has(check.claims.n) && (await store.dedupe.claim(`status-link:${check.claims.n}`, clock.now(), LINK_TTL_MS)).status === 'new';
    if (!first) {
      // The same browser coming back with its session is fine; anyone else holding the link is not let in.
      if (sessionUser === check.claims.u) return sessionUser;
      return void deny(reply, 403, '此链接已使用过，每个链接只能打开一次。请在企业微信中向学习助手发送“管理页面”获取新链接。');
    }
    remember(usedLinks, check.claims.n, check.claims.exp);
    const fresh = signToken(secret, { u: check.claims.u, exp: clock.now() + SESSION_TTL_MS, k: 'session' });
    reply.header(
      'set-cookie',
      `${COOKIE}=${fresh}; Path=/status; HttpOnly; SameSite=Strict; Max-Age=${SESSION_TTL_MS / 1000}${secureCookie ? '; Secure' : ''}`,
    );
    return check.claims.u;
  };

  // 导入学习计划 on the page: its own file, behind this page's admin check and session.
  const sessionOf = (req: { headers: { cookie?: string | undefined } }, reply: FastifyReply) =>
    /^status_session=([^;]+)/.exec(String(reply.getHeader('set-cookie') ?? ''))?.[1] ?? cookieOf(req);
  await planImportPageRoutes(app, { content, store, clock, secret, planSync, admin, sessionOf, page, esc });

  app.get('/status/page.js', async (_req, reply) => reply.type('text/javascript; charset=utf-8').send(DROP_TOKEN_JS));

  /** 退出: ends this session here and now (the cookie is cleared and its id refused until it would have expired). */
  app.get('/status/logout', async (req, reply) => {
    const cookie = cookieOf(req);
    const session = cookie ? verifyToken(secret, cookie, 'session', clock.now()) : undefined;
    if (session?.ok) {
      remember(endedSessions, session.claims.n, session.claims.exp);
      // Every instance refuses the ended session's cookie (PostgreSQL); lowdb's one process needs only the map.
      await store.marks?.mark(`status-session-ended:${session.claims.n}`, session.claims.exp);
    }
    reply.header('set-cookie', `${COOKIE}=; Path=/status; HttpOnly; SameSite=Strict; Max-Age=0${secureCookie ? '; Secure' : ''}`);
    return reply
      .type('text/html; charset=utf-8')
      .send(page('已退出', '<h1>已退出</h1><p>您已退出提交情况页面。需要时请在企业微信中向学习助手发送“管理页面”获取新链接。</p>'));
  });

  /**
   * The page's plan (?plan=<id>, `seed` for the seed plan; the plan around today by default), month and kind of group.
   * Undefined for a plan the content does not hold.
   */
  const scopeOf = (q: Record<string, string>) => {
    const policy = RecordPolicy.of(content);
    const current = policy.planAround(shanghaiDate(clock.now()));
    const plan = q.plan ? content.plans.find((p) => RecordPolicy.planKey(p) === q.plan) : current;
    if (!plan) return undefined;
    // The plans to choose from: those with sessions to collect, and the current one even without.
    const choices = content.plans.filter((p) => p === current || p === plan || policy.sessionsOfPlan(p).length);
    const month = /^\d{1,2}$/.test(q.month ?? '') ? q.month : undefined;
    const kind = q.kind === 'staff' || q.kind === 'student' ? q.kind : undefined;
    const ofPlan = policy.sessionsOfPlan(plan);
    const sessions = ofPlan.filter((e) => !month || Number(e.date.slice(5, 7)) === Number(month));
    const months = [...new Set(ofPlan.map((e) => Number(e.date.slice(5, 7))))];
    const scope: Scope = { label: month ? `${month}月` : plan.plan.semester, sessions };
    return { scope, kind, month, plan, key: q.plan ? RecordPolicy.planKey(plan) : undefined, choices, months };
  };
  const noPlan = (reply: FastifyReply) => deny(reply, 404, '没有这个学习计划。请从提交情况页面的“学习计划”列表中选择。');

  app.get('/status', async (req, reply) => {
    const user = await admin(req, reply);
    if (!user) return reply;
    const q = req.query as Record<string, string>;
    const read = scopeOf(q);
    if (!read) return noPlan(reply);
    const { scope, kind, month, plan, key, choices, months } = read;
    const today = shanghaiDate(clock.now());
    const cells = statusMatrix(content, scope, await store.submissions.list({ sessions: scope.sessions.map((s) => s.date) }), today).filter(
      (c) => !kind || c.group.kind === kind,
    );
    const groups = content.roster.groups.filter((g) => !kind || g.kind === kind);
    const head = `<tr><th>学习组</th><th>记录员</th>${scope.sessions.map((s) => `<th>${esc(sessionLabel(s))}</th>`).join('')}</tr>`;
    const rows = groups
      .map((g) => {
        const tds = scope.sessions.map((s) => {
          const c = cells.find((x) => x.group.id === g.id && x.session.date === s.date);
          if (!c) return `<td class="na" data-label="${esc(sessionLabel(s))}">${NOT_OWED_LABEL}</td>`;
          if (c.submission) {
            const href = `/status/record/${encodeURIComponent(g.id)}/${s.date}`;
            return `<td data-label="${esc(sessionLabel(s))}"><a class="${c.late ? 'late' : 'ok'}" href="${href}">${c.late ? '逾期提交' : '已提交'} ${esc(formatShanghaiTime(c.submission.submittedAt))}</a></td>`;
          }
          // Not yet due is not a failing: grey, not the red of 未交.
          return c.due
            ? `<td class="miss" data-label="${esc(sessionLabel(s))}">${CELL_STATUS_LABEL.missing}</td>`
            : `<td class="due" data-label="${esc(sessionLabel(s))}">${CELL_STATUS_LABEL.notDue}</td>`;
        });
        const book = `/status/notebook.docx?${new URLSearchParams({ ...(key ? { plan: key } : {}), ...(month ? { month } : {}), group: g.id }).toString()}`;
        return `<tr><td class="group">${esc(g.name)} <a class="book" href="${esc(book)}" title="下载${esc(g.name)}的学习记录本">记录本</a></td><td data-label="记录员">${esc(secretaryNames(g))}</td>${tds.join('')}</tr>`;
      })
      .join('');
    const counts = tally(cells);
    const opt = (v: string, label: string, cur: string | undefined) => `<option value="${v}"${cur === v ? ' selected' : ''}>${label}</option>`;
    const qs = new URLSearchParams({ ...(key ? { plan: key } : {}), ...(month ? { month } : {}), ...(kind ? { kind } : {}) }).toString();
    const planKey = RecordPolicy.planKey(plan);
    // More than one plan: a selector (the current plan first is the default; an older one's months follow it).
    const planSelect =
      choices.length > 1
        ? `<select name="plan" aria-label="学习计划">${choices.map((p) => opt(esc(RecordPolicy.planKey(p)), esc(`${p.plan.semester} · ${p.plan.title}`), esc(planKey))).join('')}</select>`
        : '';
    return reply.type('text/html; charset=utf-8').send(
      page(
        '学习讨论记录提交情况',
        `<h1>学习讨论记录提交情况 · ${esc(scope.label)}</h1>
<form class="bar" method="get" action="/status">
${planSelect}<select name="month" aria-label="月份">${opt('', '全部月份', month ?? '')}${months.map((m) => opt(String(m), `${m}月`, month)).join('')}</select>
<select name="kind" aria-label="类别">${opt('', '全部学习组', kind ?? '')}${opt('staff', '教职工', kind)}${opt('student', '学生', kind)}</select>
<button type="submit">筛选</button><a class="btn" href="/status/export.csv${qs ? `?${qs}` : ''}">导出 CSV</a><a class="btn" href="/status/notebook.docx${qs ? `?${qs}` : ''}">学习记录本（Word）</a><a class="btn" href="/status/records.xlsx${qs ? `?${qs}` : ''}">记录明细（Excel）</a><a class="btn" href="/status/import">导入学习计划</a><a class="btn" href="/status/logout">退出</a></form>
<div class="sum">已提交 ${counts.submitted} / 应提交 ${counts.expected}${counts.notDue ? `，未到期 ${counts.notDue}` : ''}（${esc(plan.plan.title)}${scope.sessions.length ? '' : '；这个学习计划没有需要提交记录的学习活动'}；北京时间 ${esc(formatShanghaiTime(clock.now()))}）</div>
<div class="wrap matrix"><table><thead>${head}</thead><tbody>${rows}</tbody></table></div>
<h2>各学习组提交与出勤 · ${esc(scope.label)}</h2><div class="wrap chart">${figuresSvg(groupFigures(cells, groups), scope.label)}</div>${q.token ? DROP_TOKEN_SCRIPT : ''}`,
      ),
    );
  });

  app.get('/status/record/:group/:session', async (req, reply) => {
    if (!(await admin(req, reply))) return reply;
    const { group, session } = req.params as { group: string; session: string };
    const g = content.roster.groups.find((x) => x.id === group);
    const s = g && /^\d{4}-\d{2}-\d{2}$/.test(session) ? await store.submissions.get(g.id, session) : undefined;
    if (!g || !s) return deny(reply, 404, '没有这条记录。');
    const rows: Array<[string, string]> = [
      ['回执', receiptWithVersion(s)],
      ['提交', `${formatShanghaiTime(s.submittedAt)} · ${personName(content, s.submittedBy)}`],
      ...recordRows(s.fields),
    ];
    return reply
      .type('text/html; charset=utf-8')
      .send(
        page(
          `${g.name} 学习讨论记录`,
          `<h1>${esc(g.name)} · ${esc(session)}</h1><p><a href="/status">← 返回提交情况</a></p><div class="wrap record"><table>${rows.map(([k, v]) => `<tr><th>${esc(k)}</th><td style="white-space:pre-wrap">${esc(v)}</td></tr>`).join('')}</table></div>` +
            (await photoSection(store, s.receipt)) +
            revisionHistory(s, content),
        ),
      );
  });

  /**
   * A record's photo, for the admin whose session this is: never a public address. Served as the type its bytes were
   * checked to be when stored (nosniff is set for every page), shown in the page (inline), not downloaded.
   */
  app.get('/status/photo/:receipt/:n', async (req, reply) => {
    if (!(await admin(req, reply))) return reply;
    const { receipt, n } = req.params as { receipt: string; n: string };
    const number = /^\d{1,3}$/.test(n) ? Number(n) : 0;
    const photo = /^JL-\d{8}-\d{3}$/.test(receipt) && number ? (await store.photos.list(receipt)).find((p) => p.n === number) : undefined;
    const data = photo ? await store.photos.read(receipt, number) : undefined;
    if (!photo || !data) return deny(reply, 404, '没有这张照片。');
    return reply
      .type(photo.mime)
      .header('content-disposition', `inline; filename="${receipt}-${number}.${PHOTO_EXTENSIONS[photo.mime as PhotoMime] ?? 'bin'}"`)
      .send(data);
  });

  /**
   * The record book (.docx) and the records spreadsheet (.xlsx) of the filtered groups (or one: ?group=) and period,
   * for the admin whose session this is: the same files as 导出记录本 / 导出记录表 in chat.
   */
  const download = (kind: RecordFileKind) => async (req: { query: unknown; headers: { cookie?: string | undefined } }, reply: FastifyReply) => {
    if (!(await admin(req, reply))) return reply;
    const q = req.query as Record<string, string>;
    const read = scopeOf(q);
    if (!read) return noPlan(reply);
    const { scope, kind: groupKind, month } = read;
    const groups = content.roster.groups.filter((g) => (!groupKind || g.kind === groupKind) && (!q.group || g.id === q.group));
    if (!groups.length) return deny(reply, 404, '没有这个学习组。');
    if (!scope.sessions.length) return deny(reply, 404, `${scope.label}没有需要提交学习讨论记录的学习活动。`);
    const year = scope.sessions[0]!.date.slice(0, 4);
    const file = await recordFile(kind, { content, store, now: clock.now() }, scope, groups, month ? `${year}年${scope.label}` : scope.label);
    return reply
      .type(file.contentType!)
      .header('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent(file.filename)}`)
      .send(file.data);
  };
  app.get('/status/notebook.docx', download('notebook'));
  app.get('/status/records.xlsx', download('workbook'));

  app.get('/status/export.csv', async (req, reply) => {
    if (!(await admin(req, reply))) return reply;
    const read = scopeOf(req.query as Record<string, string>);
    if (!read) return noPlan(reply);
    const { scope } = read;
    const cells = statusMatrix(content, scope, await store.submissions.list({ sessions: scope.sessions.map((s) => s.date) }), shanghaiDate(clock.now()));
    return reply
      .type('text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent(`学习讨论记录提交情况-${scope.label}.csv`)}`)
      .send(statusCsv(content, scope, cells));
  });
}

/** The record's photos as thumbnails, each a link to the photo itself (both behind the admin's session). */
async function photoSection(store: Store, receipt: string): Promise<string> {
  const photos = await store.photos.list(receipt);
  if (photos.length === 0) return '<p class="sum">现场照片：无</p>';
  const items = photos.map((p) => {
    const href = `/status/photo/${encodeURIComponent(receipt)}/${p.n}`;
    return `<a href="${href}" target="_blank" rel="noopener"><img src="${href}" alt="现场照片 ${p.n}" loading="lazy">照片 ${p.n} · ${esc(formatShanghaiTime(p.addedAt))}</a>`;
  });
  return `<h2>现场照片（${photos.length} 张）</h2><div class="photos">${items.join('')}</div>`;
}

/** Field names as the record shows them, for the history's "what changed". */
const FIELD_LABELS: Record<string, string> = RECORD_FIELD_LABELS;

/** Every revision, newest first: when, by whom, which fields changed from the one before, and that revision in full. */
function revisionHistory(s: Submission, content: Content): string {
  const revisions = [...s.history, { revision: s.revision, submittedBy: s.submittedBy, submittedAt: s.submittedAt, fields: s.fields }].sort(
    (a, b) => b.revision - a.revision,
  );
  const byRevision = new Map(revisions.map((r) => [r.revision, r]));
  const items = revisions.map((r) => {
    const before = byRevision.get(r.revision - 1);
    const keys = [...new Set([...Object.keys(r.fields), ...Object.keys(before?.fields ?? {})])];
    const at = (f: RecordFields | undefined, k: string) => JSON.stringify((f as Record<string, unknown> | undefined)?.[k]);
    const changed = before ? keys.filter((k) => at(r.fields, k) !== at(before.fields, k)).map((k) => FIELD_LABELS[k] ?? k) : [];
    const what = !before ? '首次提交' : changed.length ? `修改了：${changed.join('、')}` : '重新确认，内容未变';
    const full = recordRows(r.fields)
      .map(([k, v]) => `${k}：${v}`)
      .join('\n');
    return (
      `<li><b>${versionName(r.revision)}${r.revision === s.revision ? '（当前）' : ''}</b> · ${esc(formatShanghaiTime(r.submittedAt))} · ${esc(personName(content, r.submittedBy))}` +
      `<div class="changed">${esc(what)}</div>` +
      (r.revision === s.revision ? '' : `<details><summary>查看${versionName(r.revision)}内容</summary><pre>${esc(full)}</pre></details>`) +
      '</li>'
    );
  });
  return `<h2>修改历史（共 ${revisions.length} 版）</h2><ol class="hist">${items.join('')}</ol>`;
}
