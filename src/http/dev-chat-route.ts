import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { CallbackSender } from '../wecom/callback-sender.ts';
import type { WeComSimulator } from '../wecom/simulator.ts';
import { DEV_CHAT_HTML } from './dev-chat-page.ts';
import { DEV_CHAT_JS } from './dev-chat-script.ts';

export interface DevChatOptions {
  sender: CallbackSender;
  simulator: WeComSimulator;
}

// A user id names the user's form file: no path characters, and not made of dots only ("..", ".").
const userId = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9_.@-]{1,64}$/, { error: '用户 ID 只能包含字母、数字和 _.@-' })
  .refine((u) => /[A-Za-z0-9]/.test(u), { error: '用户 ID 至少要包含一个字母或数字' });

const DEV_CSP = "default-src 'none'; script-src 'self'; style-src 'unsafe-inline'; connect-src 'self'; form-action 'none'; frame-ancestors 'none'; base-uri 'none'";
const sendBody = z.object({ user: userId, text: z.string().min(1, { error: '消息不能为空' }).max(4000, { error: '消息太长' }) });
const eventBody = z.object({ user: userId, event: z.enum(['enter_agent', 'subscribe']) });

/** Local mode only: the chat page and its endpoints. Messages go through the real encrypted callback. */
export async function devChatRoutes(app: FastifyInstance, { sender, simulator }: DevChatOptions) {
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

  app.get('/dev/chat', async (_req, reply) => reply.type('text/html; charset=utf-8').send(DEV_CHAT_HTML));
  app.get('/dev/chat/chat.js', async (_req, reply) => reply.type('text/javascript; charset=utf-8').send(DEV_CHAT_JS));

  app.post('/dev/chat/send', async (req, reply) => {
    const parsed = sendBody.safeParse(req.body);
    if (!parsed.success) return reply.code(400).send({ error: parsed.error.issues[0]?.message ?? '请求有误' });
    return sender.sendText(parsed.data.user, parsed.data.text);
  });

  app.post('/dev/chat/event', async (req, reply) => {
    const parsed = eventBody.safeParse(req.body);
    if (!parsed.success) return reply.code(400).send({ error: parsed.error.issues[0]?.message ?? '请求有误' });
    return sender.sendEvent(parsed.data.user, parsed.data.event);
  });

  app.get('/dev/chat/deliveries', async (req) => {
    const after = Number((req.query as Record<string, string>).after ?? 0) || 0;
    return { deliveries: simulator.deliveries.filter((d) => d.seq > after).map(({ body: _body, ...d }) => d) };
  });
}
