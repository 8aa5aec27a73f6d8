import type { FastifyInstance } from 'fastify';
import { textPrefix } from '../logger.ts';
import type { AppTransport } from '../wecom/app/transport.ts';
import type { CallbackCodec } from '../wecom/callback-codec.ts';
import { parseInboundMessage } from '../wecom/messages.ts';
import { encryptedCallbackRoutes } from './callback-common.ts';

export interface CallbackRouteOptions {
  codec: CallbackCodec;
  transport: AppTransport;
  bodyLimitBytes: number;
}

/**
 * GET/POST /wecom/callback: the self-built app's URL verification and encrypted XML messages, answered with an
 * encrypted passive reply when the transport has one. Every bad request ends with a 4xx and a short error code.
 */
export async function callbackRoutes(app: FastifyInstance, { codec, transport, bodyLimitBytes }: CallbackRouteOptions) {
  encryptedCallbackRoutes(app, bodyLimitBytes, {
    path: '/wecom/callback',
    label: 'callback',
    emptyBody: 'bad_xml',
    verifyUrl: (query) => codec.verifyUrl(query),
    open: (query, body) => parseInboundMessage(codec.openMessage(query, body)),
    receive: (message) => transport.receive(message),
    describe: (message) => ({
      type: message.type === 'event' ? `event:${message.event}` : message.type,
      user: message.fromUserName,
      text: message.type === 'text' ? textPrefix(message.content) : undefined,
    }),
    sealed: (result) => (result.passiveReplyXml ? { contentType: 'application/xml; charset=utf-8', body: codec.sealReply(result.passiveReplyXml) } : undefined),
  });
}
