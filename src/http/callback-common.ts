import type { FastifyError, FastifyInstance, FastifyReply } from 'fastify';
import { CallbackError, callbackErrorAnswer, type CallbackErrorCode, type HttpErrorCode } from '../errors.ts';
import type { CallbackQuery } from '../wecom/callback-codec.ts';

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
  return reply
    .code(503)
    .header('retry-after', '5')
    .type('application/json; charset=utf-8')
    .send({ error: 'in_progress' satisfies HttpErrorCode, message: '该消息正在处理中，请稍后重试' });
}

/** What one encrypted callback route needs from its channel: everything else is the same for both (see below). */
export interface EncryptedCallback<M, R extends { key: string; path: string; handledBy?: string; intent?: string }> {
  path: string;
  /** The log line's message, also used for refusals: "callback", "aibot callback". */
  label: string;
  /** The refusal for an empty body: the envelope the channel expected. */
  emptyBody: CallbackErrorCode;
  verifyUrl(query: CallbackQuery): string;
  /** Checks the signature, decrypts and parses the message (refusing with a CallbackError). */
  open(query: CallbackQuery, body: string): M;
  receive(message: M): Promise<R>;
  /** What the log line says of the message, beside its dedupe key, handler, time and reply path. */
  describe(message: M): Record<string, unknown>;
  /** The encrypted answer to send with the 200, if any. */
  sealed(result: R): { contentType: string; body: string } | undefined;
}

/**
 * GET (URL verification) and POST (an encrypted message) of one callback channel: the body checked, the message
 * opened and handed to its transport, one log line, then 503 when another worker holds it, the sealed answer, or an
 * empty 200 ("received, no passive reply").
 */
export function encryptedCallbackRoutes<M, R extends { key: string; path: string; handledBy?: string; intent?: string }>(
  app: FastifyInstance,
  bodyLimitBytes: number,
  channel: EncryptedCallback<M, R>,
): void {
  callbackBody(app, bodyLimitBytes, channel.label);

  app.get(channel.path, async (req, reply) => {
    const plaintext = channel.verifyUrl(req.query as CallbackQuery);
    req.log.info({ reply: 'echostr' }, `${channel.label} URL verified`);
    return reply.type('text/plain; charset=utf-8').send(plaintext);
  });

  app.post(channel.path, async (req, reply) => {
    const started = performance.now();
    const body = typeof req.body === 'string' ? req.body : '';
    if (!body.trim()) throw new CallbackError(channel.emptyBody, 'empty body');
    const message = channel.open(req.query as CallbackQuery, body);
    const result = await channel.receive(message);
    req.log.info(
      {
        key: result.key,
        ...channel.describe(message),
        handler: result.handledBy,
        intent: result.intent,
        durationMs: Math.round((performance.now() - started) * 10) / 10,
        reply: result.path,
      },
      channel.label,
    );
    if (result.path === 'busy') return busy(reply);
    const sealed = channel.sealed(result);
    if (sealed) return reply.type(sealed.contentType).send(sealed.body);
    return reply.code(200).send('');
  });
}
