import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { AibotSender } from '../wecom/aibot/sender.ts';
import type { CallbackSender } from '../wecom/callback-sender.ts';
import type { WeComSimulator } from '../wecom/simulator.ts';
import { devChatHtml, type DemoPerson } from './dev-chat-page.ts';
import { wecomMarkdownToHtml } from './wecom-markdown.ts';
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
}

// A user id names the user's form file: no path characters, and not made of dots only ("..", ".").
const userId = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9_.@-]{1,64}$/, { error: '用户 ID 只能包含字母、数字和 _.@-' })
  .refine((u) => /[A-Za-z0-9]/.test(u), { error: '用户 ID 至少要包含一个字母或数字' });

const DEV_CSP = "default-src 'none'; script-src 'self'; style-src 'unsafe-inline'; connect-src 'self'; form-action 'none'; frame-ancestors 'none'; base-uri 'none'";
const sendBody = z.object({ user: userId, text: z.string().min(1, { error: '消息不能为空' }).max(4000, { error: '消息太长' }) });
const groupBody = z.object({ user: userId, chat: z.string().trim().regex(/^[A-Za-z0-9_-]{1,64}$/).default('local-group'), text: z.string().min(1, { error: '消息不能为空' }).max(4000, { error: '消息太长' }) });
const eventBody = z.object({ user: userId, event: z.enum(['enter_agent', 'subscribe']) });

/** Local mode only: the chat page and its endpoints. Messages go through the real encrypted callback. */
export async function devChatRoutes(app: FastifyInstance, { sender, simulator, people = [], targetName, aibot, hostNames = [] }: DevChatOptions) {
  const html = devChatHtml(people);
  // Every /dev route, reads included (the deliveries list shows every user's messages): see devHostCheck.
  app.addHook('onRequest', devHostCheck(hostNames));
  app.addHook('onSend', async (_req, reply) => {
    reply.header('content-security-policy', DEV_CSP).header('x-content-type-options', 'nosniff').header('x-frame-options', 'DENY');
  });
  /**
   * Anyone may act as anyone here, so only this page may: a JSON body (a form on another site cannot send one without
   * a CORS preflight, which we never grant) and, when the browser says where the request comes from, our own origin.
   */
  app.addHook('preHandler', async (req, reply) => {
    if (req.method !== 'POST') return;
    if (!String(req.headers['content-type'] ?? '').toLowerCase().startsWith('application/json')) {
      return reply.code(415).send({ error: '请以 JSON 格式发送 (application/json)' });
    }
    const origin = req.headers.origin;
    const site = req.headers['sec-fetch-site'];
    if ((origin !== undefined && origin !== `${req.protocol}://${req.headers.host}`) || (site !== undefined && site !== 'same-origin' && site !== 'none')) {
      return reply.code(403).send({ error: '只接受来自本地聊天页面的请求' });
    }
  });

  app.get('/dev/chat', async (_req, reply) => reply.type('text/html; charset=utf-8').send(html));
  app.get('/dev/chat/chat.js', async (_req, reply) => reply.type('text/javascript; charset=utf-8').send(DEV_CHAT_JS));

  app.post('/dev/chat/send', async (req, reply) => {
    const parsed = sendBody.safeParse(req.body);
    if (!parsed.success) return reply.code(400).send({ error: parsed.error.issues[0]?.message ?? '请求有误' });
    return sender.sendText(parsed.data.user, parsed.data.text);
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

  app.get('/dev/chat/deliveries', async (req) => {
    const after = Number((req.query as Record<string, string>).after ?? 0) || 0;
    // A push is shown under the name content gives its target, not the robot's stand-in key; a markdown message
    // also comes as the HTML a WeCom client would show (escaped: only WeCom's own few tags can appear).
    return {
      deliveries: simulator.deliveries
        .filter((d) => d.seq > after)
        .map(({ body, ...d }) => ({ ...d, to: targetName?.({ ...d, body }) ?? d.to, ...(d.msgtype === 'markdown' ? { html: wecomMarkdownToHtml(d.text) } : {}) })),
    };
  });
}
