import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { AibotSender } from '../wecom/aibot/sender.ts';
import type { CallbackSender } from '../wecom/callback-sender.ts';
import type { WeComSimulator } from '../wecom/simulator.ts';
import { devChatHtml, formReplyHtml, type DemoPerson } from './dev-chat-page.ts';
import { DevChatJournal } from './dev-chat-journal.ts';
import { DEV_CHAT_JS } from './dev-chat-script.ts';
import { devHostCheck } from './dev-host-check.ts';

export interface DevChatOptions {
  sender: CallbackSender;
  simulator: WeComSimulator;
  /** The 智能机器人 as WeCom drives it, for @-mentions in the page's group chat. */
  aibot?: AibotSender;
  /** The roster's people with their roles, for the page's user picker. */
  people?: readonly DemoPerson[];
  /** The content's name of the target a delivery went to (a group robot, an app chat, tagged members), if any. */
  targetName?: (delivery: { api: string; to: string; body: Record<string, unknown> }) => string | undefined;
  /** Host names this service is reached by besides localhost and loopback: the configured HOST, PUBLIC_BASE_URL's. */
  hostNames?: readonly string[];
  /** Where the page's delivery journal is kept across restarts (DATA_DIR/dev-chat); in memory without one. */
  journalDir?: string;
}

// A user id names the user's form file: no path characters, and not made of dots only ("..", ".").
const userId = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9_.@-]{1,64}$/, { error: '用户 ID 只能包含字母、数字和 _.@-' })
  .refine((u) => /[A-Za-z0-9]/.test(u), { error: '用户 ID 至少要包含一个字母或数字' });

const DEV_CSP =
  "default-src 'none'; script-src 'self'; style-src 'unsafe-inline'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";
const FORM_TYPE = 'application/x-www-form-urlencoded';
const sendBody = z.object({ user: userId, text: z.string().min(1, { error: '消息不能为空' }).max(4000, { error: '消息太长' }) });
const groupBody = z.object({
  user: userId,
  chat: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9_-]{1,64}$/)
    .default('local-group'),
  text: z.string().min(1, { error: '消息不能为空' }).max(4000, { error: '消息太长' }),
});
const eventBody = z.object({ user: userId, event: z.enum(['enter_agent', 'subscribe']) });
/**
 * An image from the page's file input, as base64: up to 16 MB, so a photo over WeCom's 10 MB can be tried too (the bot
 * refuses it as WeCom's users would see it). Its name and type are what the browser said; the bot judges the bytes.
 */
const IMAGE_MAX_BYTES = 16 * 1024 * 1024;
const imageBody = z.object({
  user: userId,
  name: z.string().trim().max(200).default('image'),
  type: z.string().trim().max(100).default('application/octet-stream'),
  data: z
    .string()
    .min(1, { error: '图片不能为空' })
    .max(Math.ceil(IMAGE_MAX_BYTES / 3) * 4, { error: '图片太大（本地模拟最多 16 MB）' })
    .regex(/^[A-Za-z0-9+/]*={0,2}$/, { error: '图片应为 base64 编码' }),
});

/** Local mode only: the chat page and its endpoints. Messages go through the real encrypted callback. */
export async function devChatRoutes(app: FastifyInstance, { sender, simulator, people = [], targetName, aibot, hostNames = [], journalDir }: DevChatOptions) {
  const html = devChatHtml(people);
  // Every /dev route, reads included (the deliveries list shows every user's messages): see devHostCheck.
  app.addHook('onRequest', devHostCheck(hostNames));
  const journal = new DevChatJournal({ simulator, ...(journalDir ? { dir: journalDir } : {}), ...(targetName ? { targetName } : {}) });
  app.addHook('onClose', async () => journal.close());
  app.addHook('onSend', async (_req, reply) => {
    reply.header('content-security-policy', DEV_CSP).header('x-content-type-options', 'nosniff').header('x-frame-options', 'DENY');
  });
  /**
   * Anyone may act as anyone here, so only this page may: a JSON body (a form on another site cannot send one without
   * a CORS preflight, which we never grant) and, when the browser says where the request comes from, our own origin.
   * The page's plain form (for a browser without script) posts urlencoded, which any site's form could also do: that
   * is taken only when the browser proves it comes from this page (Origin or Sec-Fetch-Site), and only to /send.
   */
  app.addHook('preHandler', async (req, reply) => {
    if (req.method !== 'POST') return;
    const type = String(req.headers['content-type'] ?? '').toLowerCase();
    const origin = req.headers.origin;
    const site = req.headers['sec-fetch-site'];
    const sameOrigin = origin === `${req.protocol}://${req.headers.host}` || site === 'same-origin';
    if (type.startsWith(FORM_TYPE)) {
      if (req.url.split('?')[0] !== '/dev/chat/send') return reply.code(415).send({ error: '请以 JSON 格式发送 (application/json)' });
      if (!sameOrigin) return reply.code(403).send({ error: '只接受来自本地聊天页面的表单' });
      return;
    }
    if (!type.startsWith('application/json')) {
      return reply.code(415).send({ error: '请以 JSON 格式发送 (application/json)，或从聊天页面的表单提交' });
    }
    if ((origin !== undefined && !sameOrigin) || (site !== undefined && site !== 'same-origin' && site !== 'none')) {
      return reply.code(403).send({ error: '只接受来自本地聊天页面的请求' });
    }
  });

  app.get('/dev/chat', async (_req, reply) => reply.type('text/html; charset=utf-8').send(html));
  app.get('/dev/chat/chat.js', async (_req, reply) => reply.type('text/javascript; charset=utf-8').send(DEV_CHAT_JS));

  app.post('/dev/chat/send', async (req, reply) => {
    // The plain form (no script) gets a page back; the script gets JSON.
    const asForm = String(req.headers['content-type']).toLowerCase().startsWith(FORM_TYPE);
    const parsed = sendBody.safeParse(req.body);
    if (!parsed.success) {
      const error = parsed.error.issues[0]?.message ?? '请求有误';
      return asForm ? reply.code(400).type('text/html; charset=utf-8').send(formReplyHtml({ error })) : reply.code(400).send({ error });
    }
    const before = journal.last;
    const result = await sender.sendText(parsed.data.user, parsed.data.text);
    if (!asForm) return result;
    const { user, text } = parsed.data;
    const viaApi = journal.after(before).filter((e) => e.api === 'message/send' && e.to.split('|').includes(user));
    const replies = [...(result.passiveReply !== undefined ? [result.passiveReply] : []), ...viaApi.map((e) => e.text)];
    return reply.type('text/html; charset=utf-8').send(formReplyHtml({ user, text, replies }));
  });

  /**
   * An image sent as a WeCom user sends one: the simulated WeCom takes it as temporary media, then calls the app back
   * with an image message carrying its media id, and the bot fetches it with media/get, as in production.
   */
  app.post('/dev/chat/image', { bodyLimit: Math.ceil(IMAGE_MAX_BYTES / 3) * 4 + 4096 }, async (req, reply) => {
    const parsed = imageBody.safeParse(req.body);
    if (!parsed.success) return reply.code(400).send({ error: parsed.error.issues[0]?.message ?? '请求有误' });
    const data = Buffer.from(parsed.data.data, 'base64');
    if (data.length === 0) return reply.code(400).send({ error: '图片不能为空' });
    const mediaId = simulator.addMedia(data, parsed.data.name, parsed.data.type);
    return sender.sendImage(parsed.data.user, mediaId);
  });

  // "@学习助手 …" in the page's group chat: through the 智能机器人's real route, refreshed as WeCom does.
  app.post('/dev/chat/group-send', async (req, reply) => {
    if (!aibot) return reply.code(404).send({ error: '智能机器人未启用' });
    const parsed = groupBody.safeParse(req.body);
    if (!parsed.success) return reply.code(400).send({ error: parsed.error.issues[0]?.message ?? '请求有误' });
    return aibot.mention(parsed.data.user, parsed.data.chat, parsed.data.text);
  });

  app.post('/dev/chat/event', async (req, reply) => {
    const parsed = eventBody.safeParse(req.body);
    if (!parsed.success) return reply.code(400).send({ error: parsed.error.issues[0]?.message ?? '请求有误' });
    return sender.sendEvent(parsed.data.user, parsed.data.event);
  });

  /**
   * What the simulated WeCom delivered after the page's last number. A page holding another journal's id (the data
   * directory was wiped) starts from 0; a new tab asks for `after=end` and is shown only what comes from now on, not
   * a finished form's last question as if it were new.
   */
  app.get('/dev/chat/deliveries', async (req, reply) => {
    const q = req.query as Record<string, string | undefined>;
    const after = q.after === 'end' ? journal.last : q.journal !== undefined && q.journal !== journal.id ? 0 : Number(q.after ?? 0);
    if (!Number.isInteger(after) || after < 0) return reply.code(400).send({ error: 'after 应为非负整数或 end' });
    return { journal: journal.id, last: journal.last, deliveries: journal.after(after) };
  });

  // A file message (导出's CSV) as a download, as a WeCom client offers it.
  app.get('/dev/chat/files/:seq', async (req, reply) => {
    const file = journal.file(Number((req.params as { seq: string }).seq));
    if (!file) return reply.code(404).send({ error: '没有这个文件' });
    const ascii = file.name.replace(/[^\x20-\x7e]|["\\]/g, '_');
    return reply
      .type('application/octet-stream')
      .header('content-disposition', `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(file.name)}`)
      .send(file.data);
  });
}
