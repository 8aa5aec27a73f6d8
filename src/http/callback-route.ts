import type { FastifyInstance } from 'fastify';
import { CallbackError } from '../errors.ts';
import { busy, callbackBody } from './callback-common.ts';
import { textPrefix } from '../logger.ts';
import type { CallbackCodec, CallbackQuery } from '../wecom/callback-codec.ts';
import type { AppTransport } from '../wecom/app/transport.ts';
import { parseInboundMessage } from '../wecom/messages.ts';

export interface CallbackRouteOptions {
  codec: CallbackCodec;
  transport: AppTransport;
  bodyLimitBytes: number;
}

/**
 * GET/POST /wecom/callback: WeCom's URL verification and encrypted messages. Every bad request ends here
 * with a 4xx and a short error code, logged once, and never reaches a handler.
 */
export async function callbackRoutes(app: FastifyInstance, { codec, transport, bodyLimitBytes }: CallbackRouteOptions) {
  callbackBody(app, bodyLimitBytes, 'callback');

  app.get('/wecom/callback', async (req, reply) => {
    const plaintext = codec.verifyUrl(req.query as CallbackQuery);
    req.log.info({ reply: 'echostr' }, 'callback URL verified');
    return reply.type('text/plain; charset=utf-8').send(plaintext);
  });

  app.post('/wecom/callback', async (req, reply) => {
    const started = performance.now();
    const body = typeof req.body === 'string' ? req.body : '';
    if (!body.trim()) throw new CallbackError('bad_xml', 'empty body');
    const message = parseInboundMessage(codec.openMessage(req.query as CallbackQuery, body));
    const result = await transport.receive(message);
    req.log.info(
      {
        key: result.key,
        type: message.type === 'event' ? `event:${message.event}` : message.type,
        user: message.fromUserName,
        text: message.type === 'text' ? textPrefix(message.content) : undefined,
        handler: result.handledBy,
        durationMs: Math.round((performance.now() - started) * 10) / 10,
        reply: result.path,
      },
      'callback',
    );
    if (result.path === 'busy') return busy(reply);
    if (result.passiveReplyXml) return reply.type('application/xml; charset=utf-8').send(codec.sealReply(result.passiveReplyXml));
    // An empty 200 tells WeCom "received, no passive reply".
    return reply.code(200).send('');
  });
}
