import type { FastifyError, FastifyInstance, FastifyReply } from 'fastify';
import { callbackErrorAnswer } from '../errors.ts';

/**
 * What both encrypted callback routes (the app's XML one and the 智能机器人's JSON one) do alike, in their own
 * encapsulated plugin: the body is read as a string whatever its Content-Type says (the codec judges it), and every
 * refusal is a 4xx from the table in src/errors.ts, logged once, never reaching a handler.
 */
export function callbackBody(app: FastifyInstance, bodyLimitBytes: number, label: string): void {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'string', bodyLimit: bodyLimitBytes }, (_req, body, done) => done(null, body));
  app.setErrorHandler((err: FastifyError, req, reply) => {
    const { status, code } = callbackErrorAnswer(err);
    if (status >= 500) req.log.error({ err }, `${label} failed`);
    else req.log.warn({ error: code, reason: err.message, method: req.method }, `${label} rejected`);
    return reply.code(status).type('application/json; charset=utf-8').send({ error: code });
  });
}

/** Another worker holds the message: not a 200, so WeCom tries again, and by then it is answered or taken over. */
export function busy(reply: FastifyReply): FastifyReply {
  return reply.code(503).header('retry-after', '5').type('application/json; charset=utf-8').send({ error: 'in_progress', message: '该消息正在处理中，请稍后重试' });
}
