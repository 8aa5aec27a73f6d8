import type { FastifyInstance } from 'fastify';
import { textPrefix } from '../logger.ts';
import type { AibotCodec } from '../wecom/aibot/codec.ts';
import { parseAibotMessage } from '../wecom/aibot/messages.ts';
import type { AibotTransport } from '../wecom/aibot/transport.ts';
import { encryptedCallbackRoutes } from './callback-common.ts';

export interface AibotRouteOptions {
  codec: AibotCodec;
  transport: AibotTransport;
  bodyLimitBytes: number;
}

/**
 * GET/POST /wecom/aibot: the 智能机器人's URL verification and encrypted JSON callbacks (on only when its token and
 * key are configured), answered with an encrypted stream frame when there is one. Bad requests get a 4xx with a short
 * code, as on /wecom/callback.
 */
export async function aibotRoutes(app: FastifyInstance, { codec, transport, bodyLimitBytes }: AibotRouteOptions) {
  encryptedCallbackRoutes(app, bodyLimitBytes, {
    path: '/wecom/aibot',
    label: 'aibot callback',
    emptyBody: 'bad_json',
    verifyUrl: (query) => codec.verifyUrl(query),
    open: (query, body) => parseAibotMessage(codec.openMessage(query, body)),
    receive: (message) => transport.receive(message),
    describe: (message) => ({
      type: message.msgtype === 'event' ? `event:${message.event?.eventtype}` : message.msgtype,
      chat: message.chattype,
      user: message.from.userid,
      text: message.text ? textPrefix(message.text.content) : undefined,
    }),
    sealed: (result) => (result.reply ? { contentType: 'application/json; charset=utf-8', body: codec.sealReply(result.reply) } : undefined),
  });
}
