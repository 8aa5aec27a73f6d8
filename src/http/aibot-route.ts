import type { FastifyError, FastifyInstance } from 'fastify';
import { CallbackError, callbackErrorAnswer } from '../errors.ts';
import { textPrefix } from '../logger.ts';
import type { CallbackQuery } from '../wecom/callback-codec.ts';
import type { AibotCodec } from '../wecom/aibot/codec.ts';
import { parseAibotMessage } from '../wecom/aibot/messages.ts';
import type { AibotTransport } from '../wecom/aibot/transport.ts';

export interface AibotRouteOptions {
  codec: AibotCodec;
  transport: AibotTransport;
  bodyLimitBytes: number;
}

/**
 * GET/POST /wecom/aibot: the 智能机器人's URL verification and encrypted JSON callbacks (on only when its token and
 * key are configured). Bad requests get a 4xx with a short code, as on /wecom/callback.
 */
export async function aibotRoutes(app: FastifyInstance, { codec, transport, bodyLimitBytes }: AibotRouteOptions) {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'string', bodyLimit: bodyLimitBytes }, (_req, body, done) => done(null, body));

  app.setErrorHandler((err: FastifyError, req, reply) => {
    const { status, code } = callbackErrorAnswer(err);
    if (status >= 500) req.log.error({ err }, 'aibot callback failed');
    else req.log.warn({ error: code, reason: err.message, method: req.method }, 'aibot callback rejected');
    return reply.code(status).type('application/json; charset=utf-8').send({ error: code });
  });

  app.get('/wecom/aibot', async (req, reply) => {
    const plaintext = codec.verifyUrl(req.query as CallbackQuery);
    req.log.info({ reply: 'echostr' }, 'aibot URL verified');
    return reply.type('text/plain; charset=utf-8').send(plaintext);
  });

  app.post('/wecom/aibot', async (req, reply) => {
    const started = performance.now();
    const body = typeof req.body === 'string' ? req.body : '';
    if (!body.trim()) throw new CallbackError('bad_json', 'empty body');
    const message = parseAibotMessage(codec.openMessage(req.query as CallbackQuery, body));
    const result = await transport.receive(message);
    req.log.info(
      {
        key: result.key,
        type: message.msgtype === 'event' ? `event:${message.event?.eventtype}` : message.msgtype,
        chat: message.chattype,
        user: message.from.userid,
        text: message.text ? textPrefix(message.text.content) : undefined,
        handler: result.handledBy,
        durationMs: Math.round((performance.now() - started) * 10) / 10,
        reply: result.path,
      },
      'aibot callback',
    );
    if (result.path === 'busy') {
      // Not a 200: WeCom tries again, and by then the claim is answered or, its worker dead, taken over.
      return reply.code(503).header('retry-after', '5').type('application/json; charset=utf-8').send({ error: 'in_progress', message: '该消息正在处理中，请稍后重试' });
    }
    if (result.reply) return reply.type('application/json; charset=utf-8').send(codec.sealReply(result.reply));
    return reply.code(200).send('');
  });
}
