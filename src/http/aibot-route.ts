import type { FastifyInstance } from 'fastify';
import { CallbackError } from '../errors.ts';
import { busy, callbackBody } from './callback-common.ts';
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
  callbackBody(app, bodyLimitBytes, 'aibot callback');

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
    if (result.path === 'busy') return busy(reply);
    if (result.reply) return reply.type('application/json; charset=utf-8').send(codec.sealReply(result.reply));
    return reply.code(200).send('');
  });
}
