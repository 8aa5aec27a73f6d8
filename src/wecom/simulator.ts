import { randomBytes } from 'node:crypto';
import Fastify, { type FastifyInstance } from 'fastify';
import type { Clock } from '../clock.ts';
import { utf8Length } from '../utf8-text.ts';

/**
 * A simulated WeCom API server: what local mode talks to instead of qyapi.weixin.qq.com, and the fake the
 * tests use. It follows the published protocol (paths, query parameters, errcodes, byte limits, token expiry,
 * robot rate limit) and records every message that would have been delivered. Faults can be injected.
 */
export interface SimulatedDelivery {
  seq: number;
  at: number;
  api: 'message/send' | 'appchat/send' | 'webhook/send' | 'aibot/response';
  /** touser/toparty/totag joined, the chat id, or the robot key. */
  to: string;
  msgtype: string;
  /** The text shown to people: content of text/markdown, title+description of a card, file name of a file. */
  text: string;
  body: Record<string, unknown>;
}

export interface SimulatedUpload {
  mediaId: string;
  filename: string;
  data: Buffer;
  /** When WeCom took it: temporary media lasts 3 days (media/get answers 40007 after that). */
  createdAt: number;
  contentType?: string;
}

/** Temporary media lasts 3 days (doc 90253). */
export const MEDIA_TTL_MS = 3 * 24 * 3600_000;
/** media/get gives a bigger file only in ranges; asked for whole, it answers 830002 (doc 90254). */
export const MEDIA_GET_WHOLE_MAX_BYTES = 20 * 1024 * 1024;

/** An injected failure for the next `times` calls of an API ('*': any), optionally only for one recipient (robot key, chat id). */
export type Fault = { api: string; to?: string; times?: number } & ({ errcode: number; errmsg?: string } | { httpStatus: number } | { delayMs: number });

/**
 * How the simulated WeCom is down: connections refused (nothing listens), timing out (requests are taken and never
 * answered, as a black hole in the network would), HTTP 5xx on every call, or errcode 45009 on every send.
 */
export type Outage = 'refused' | 'timeout' | 'http5xx' | 'busy';

export interface SimulatorOptions {
  corpId: string;
  secret: string;
  agentId: string;
  clock: Clock;
  tokenTtlSec?: number;
  /** Robot limit: messages per key per minute (WeCom: 20). */
  robotPerMinute?: number;
  /** Every call waits this long before answering (a slow WeCom). */
  latencyMs?: number;
  /** Share of send calls that fail at random, half with 45009 and half with HTTP 500 (for load tests). */
  failureRate?: number;
  random?: () => number;
}

const LIMITS: Record<string, number> = { text: 2048, markdown: 2048 };
const ROBOT_LIMITS: Record<string, number> = { text: 2048, markdown: 4096 };
const AIBOT_RESPONSE_LIMITS: Record<string, number> = { markdown: 20480 };

export class WeComSimulator {
  readonly deliveries: SimulatedDelivery[] = [];
  readonly uploads = new Map<string, SimulatedUpload>();
  readonly faults: Fault[] = [];
  /** Count of calls per API, including failed ones. */
  readonly calls = new Map<string, number>();
  readonly #tokens = new Map<string, number>();
  readonly #robotSends = new Map<string, number[]>();
  readonly #usedResponseCodes = new Set<string>();
  /** App messages sent with enable_duplicate_check, by their request JSON: when each was last accepted. */
  readonly #sentWithCheck = new Map<string, number>();
  /** App messages WeCom dropped as duplicates (enable_duplicate_check), as it does: answered ok, not delivered. */
  duplicatesDropped = 0;
  readonly #listeners = new Set<(d: SimulatedDelivery) => void>();
  readonly #o: Required<SimulatorOptions>;
  #app: FastifyInstance | undefined;
  #baseUrl = '';
  #port = 0;
  #outage: Outage | undefined;
  /** Requests held unanswered while timing out; dropped (socket destroyed) when the outage ends. */
  readonly #held = new Set<() => void>();

  constructor(options: SimulatorOptions) {
    this.#o = { tokenTtlSec: 7200, robotPerMinute: 20, latencyMs: 0, failureRate: 0, random: Math.random, ...options };
  }

  get baseUrl(): string {
    return this.#baseUrl;
  }

  /** Starts listening on loopback, on a free port unless one is given. */
  async start(port = 0): Promise<string> {
    const app = Fastify({ logger: false, bodyLimit: 25 * 1024 * 1024 });
    app.addContentTypeParser(/^multipart\/form-data/, { parseAs: 'buffer' }, (_req, body, done) => done(null, body));
    // preHandler, not onRequest: a fault may target one recipient, and message/send names it in the body.
    app.addHook('preHandler', async (req, reply) => {
      const api = apiName(req.url);
      this.calls.set(api, (this.calls.get(api) ?? 0) + 1);
      if (this.#outage === 'timeout') {
        // Never answered and never processed: the caller's timeout decides. The socket is dropped when it ends.
        await new Promise<void>((resolve) => this.#held.add(resolve));
        req.raw.socket.destroy();
        return reply.hijack();
      }
      if (this.#outage === 'http5xx') return reply.code(503).send('simulated outage');
      if (this.#outage === 'busy' && api.endsWith('/send')) return reply.send(err(45009, 'api freq out of limit'));
      if (this.#o.latencyMs) await new Promise((r) => setTimeout(r, this.#o.latencyMs));
      if (this.#o.failureRate && api.endsWith('/send') && this.#o.random() < this.#o.failureRate) {
        return this.#o.random() < 0.5 ? reply.send(err(45009, 'api freq out of limit')) : reply.code(500).send('simulated failure');
      }
      const q = req.query as Record<string, string>;
      const b = (req.body ?? {}) as Record<string, unknown>;
      const to = [q.key, b.chatid, b.touser, b.toparty, b.totag].filter(Boolean).map(String);
      const fault = this.#takeFault(api, to);
      if (!fault) return;
      if ('delayMs' in fault) await new Promise((r) => setTimeout(r, fault.delayMs));
      else if ('httpStatus' in fault) return reply.code(fault.httpStatus).send('simulated failure');
      else return reply.send({ errcode: fault.errcode, errmsg: fault.errmsg ?? 'simulated error' });
    });
    app.get('/cgi-bin/gettoken', async (req) => {
      const q = req.query as Record<string, string>;
      if (q.corpid !== this.#o.corpId) return err(40013, 'invalid corpid');
      if (q.corpsecret !== this.#o.secret) return err(40001, 'invalid credential');
      const token = randomBytes(24).toString('hex');
      this.#tokens.set(token, this.#o.clock.now() + this.#o.tokenTtlSec * 1000);
      return { errcode: 0, errmsg: 'ok', access_token: token, expires_in: this.#o.tokenTtlSec };
    });
    app.post('/cgi-bin/message/send', async (req) => {
      const bad = this.#checkToken(req.query);
      if (bad) return bad;
      const b = req.body as Record<string, unknown>;
      if (String(b.agentid) !== this.#o.agentId) return err(40056, 'invalid agentid');
      if (!b.touser && !b.toparty && !b.totag) return err(40035, 'invalid args: no recipient');
      // Doc 90236: with enable_duplicate_check, the same request JSON within duplicate_check_interval (default 1800 s,
      // at most 4 hours) is not delivered again.
      if (Number(b.enable_duplicate_check) === 1) {
        const key = JSON.stringify(b);
        const last = this.#sentWithCheck.get(key);
        const interval = Math.min(Number(b.duplicate_check_interval ?? 1800), 4 * 3600) * 1000;
        if (last !== undefined && this.#o.clock.now() - last < interval) {
          this.duplicatesDropped++;
          return { errcode: 0, errmsg: 'ok' };
        }
        const answer = this.#record('message/send', [b.touser, b.toparty, b.totag].filter(Boolean).join(' / '), b, LIMITS);
        if ((answer as { errcode: number }).errcode === 0) this.#sentWithCheck.set(key, this.#o.clock.now());
        return answer;
      }
      return this.#record('message/send', [b.touser, b.toparty, b.totag].filter(Boolean).join(' / '), b, LIMITS);
    });
    app.post('/cgi-bin/appchat/send', async (req) => {
      const bad = this.#checkToken(req.query);
      if (bad) return bad;
      const b = req.body as Record<string, unknown>;
      if (typeof b.chatid !== 'string' || !b.chatid) return err(86003, 'chat not found');
      return this.#record('appchat/send', b.chatid, b, LIMITS);
    });
    // A 智能机器人 message's response_url: takes one reply, once (doc 101138).
    app.post('/cgi-bin/aibot/response', async (req) => {
      const code = (req.query as Record<string, string>).response_code;
      if (!code) return err(93000, 'invalid response url');
      if (this.#usedResponseCodes.has(code)) return err(93002, 'response url already used');
      const answer = this.#record('aibot/response', code, req.body as Record<string, unknown>, AIBOT_RESPONSE_LIMITS);
      if ((answer as { errcode: number }).errcode === 0) this.#usedResponseCodes.add(code);
      return answer;
    });
    app.post('/cgi-bin/webhook/send', async (req) => {
      const key = (req.query as Record<string, string>).key;
      if (!key) return err(93000, 'invalid webhook url');
      const now = this.#o.clock.now();
      const recent = (this.#robotSends.get(key) ?? []).filter((t) => now - t < 60_000);
      if (recent.length >= this.#o.robotPerMinute) return err(45009, 'api freq out of limit');
      const answer = this.#record('webhook/send', key, req.body as Record<string, unknown>, ROBOT_LIMITS);
      if ((answer as { errcode: number }).errcode === 0) this.#robotSends.set(key, [...recent, now]);
      return answer;
    });
    app.get('/cgi-bin/media/get', async (req, reply) => {
      const bad = this.#checkToken(req.query);
      if (bad) return bad;
      const media = this.uploads.get(String((req.query as Record<string, string>).media_id ?? ''));
      if (!media || this.#o.clock.now() - media.createdAt > MEDIA_TTL_MS) return err(40007, 'invalid media_id');
      if (media.data.length > MEDIA_GET_WHOLE_MAX_BYTES) return err(830002, 'file size too large, please use range download');
      return reply
        .header('content-type', media.contentType ?? 'application/octet-stream')
        .header('content-disposition', `attachment; filename="${encodeURIComponent(media.filename)}"`)
        .send(media.data);
    });
    app.post('/cgi-bin/media/upload', async (req) => this.#checkToken(req.query) ?? this.#upload(req.headers['content-type'], req.body as Buffer));
    app.post('/cgi-bin/webhook/upload_media', async (req) => this.#upload(req.headers['content-type'], req.body as Buffer));
    await app.listen({ host: '127.0.0.1', port });
    const address = app.server.address();
    this.#app = app;
    this.#port = typeof address === 'object' && address ? address.port : port;
    this.#baseUrl = `http://127.0.0.1:${this.#port}`;
    return this.#baseUrl;
  }

  async stop(): Promise<void> {
    this.#releaseHeld();
    await this.#app?.close();
    this.#app = undefined;
  }

  /**
   * A file a user sent (an image in the app's chat): WeCom keeps it as temporary media and gives the app its media id
   * in the callback. Returns that id.
   */
  addMedia(data: Buffer, filename: string, contentType?: string): string {
    const mediaId = `sim-media-${randomBytes(8).toString('hex')}`;
    this.uploads.set(mediaId, { mediaId, filename, data, createdAt: this.#o.clock.now(), ...(contentType ? { contentType } : {}) });
    return mediaId;
  }

  /** WeCom goes down in the given way until `recover`. */
  async goDown(outage: Outage): Promise<void> {
    this.#outage = outage;
    if (outage === 'refused') await this.stop();
  }

  /** WeCom is back, on the same address; requests held by a timeout outage are dropped unanswered. */
  async recover(): Promise<void> {
    const was = this.#outage;
    this.#outage = undefined;
    this.#releaseHeld();
    if (was === 'refused') await this.start(this.#port);
  }

  #releaseHeld(): void {
    for (const release of this.#held) release();
    this.#held.clear();
  }

  /** Makes every issued token invalid, as WeCom does when it rotates them early. */
  expireTokens(): void {
    for (const t of this.#tokens.keys()) this.#tokens.set(t, 0);
  }

  onDelivery(listener: (d: SimulatedDelivery) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Deliveries to one user (direct app messages whose touser includes them). */
  /** A response_url as WeCom gives one with each 智能机器人 message. */
  aibotResponseUrl(code: string): string {
    return `${this.#baseUrl}/cgi-bin/aibot/response?response_code=${encodeURIComponent(code)}`;
  }

  deliveriesTo(userId: string): SimulatedDelivery[] {
    return this.deliveries.filter(
      (d) =>
        d.api === 'message/send' &&
        String(d.body.touser ?? '')
          .split('|')
          .some((u) => u === userId || u === '@all'),
    );
  }

  #takeFault(api: string, to: string[]): Fault | undefined {
    const i = this.faults.findIndex((f) => (f.api === api || f.api === '*') && (f.to === undefined || to.includes(f.to)));
    if (i < 0) return undefined;
    const f = this.faults[i]!;
    const times = (f.times ?? 1) - 1;
    if (times <= 0) this.faults.splice(i, 1);
    else this.faults[i] = { ...f, times };
    return f;
  }

  #checkToken(query: unknown): { errcode: number; errmsg: string } | undefined {
    const token = (query as Record<string, string>).access_token;
    if (!token) return err(41001, 'access_token missing');
    const exp = this.#tokens.get(token);
    if (exp === undefined) return err(40014, 'invalid access_token');
    if (exp <= this.#o.clock.now()) return err(42001, 'access_token expired');
    return undefined;
  }

  #record(api: SimulatedDelivery['api'], to: string, body: Record<string, unknown>, limits: Record<string, number>) {
    const msgtype = String(body.msgtype ?? '');
    const payload = body[msgtype] as Record<string, unknown> | undefined;
    if (!payload || typeof payload !== 'object') return err(40008, 'invalid message type');
    let text: string;
    switch (msgtype) {
      case 'text':
      case 'markdown':
        text = String(payload.content ?? '');
        if (!text) return err(44004, 'empty content');
        if (utf8Length(text) > limits[msgtype]!) return err(45002, 'content size out of limit');
        break;
      case 'textcard':
        text = `${payload.title}\n${payload.description}`;
        break;
      case 'file': {
        const upload = this.uploads.get(String(payload.media_id));
        if (!upload) return err(40007, 'invalid media_id');
        text = `[文件] ${upload.filename}`;
        break;
      }
      default:
        return err(40008, 'invalid message type');
    }
    const delivery: SimulatedDelivery = { seq: this.deliveries.length + 1, at: this.#o.clock.now(), api, to, msgtype, text, body };
    this.deliveries.push(delivery);
    for (const l of this.#listeners) l(delivery);
    return { errcode: 0, errmsg: 'ok', ...(api === 'message/send' ? { msgid: `sim-${delivery.seq}` } : {}) };
  }

  async #upload(contentType: string | undefined, body: Buffer | undefined) {
    if (!body || !contentType?.startsWith('multipart/form-data')) return err(41004, 'media data missing');
    let form: FormData;
    try {
      form = await new Response(body, { headers: { 'content-type': contentType } }).formData();
    } catch {
      return err(41004, 'media data missing');
    }
    const media = form.get('media');
    if (!media || typeof media === 'string') return err(41004, 'media data missing');
    const data = Buffer.from(await media.arrayBuffer());
    if (data.length <= 5) return err(40006, 'invalid file size');
    if (data.length > 20 * 1024 * 1024) return err(40006, 'invalid file size');
    const mediaId = `sim-media-${randomBytes(8).toString('hex')}`;
    this.uploads.set(mediaId, { mediaId, filename: (media as File).name, data, createdAt: this.#o.clock.now(), contentType: media.type });
    return { errcode: 0, errmsg: 'ok', type: 'file', media_id: mediaId, created_at: String(Math.floor(this.#o.clock.now() / 1000)) };
  }
}

function err(errcode: number, errmsg: string) {
  return { errcode, errmsg };
}

/** "/cgi-bin/message/send?access_token=…" → "message/send" (never the query: it carries secrets). */
function apiName(url: string): string {
  return url.split('?')[0]!.replace(/^\/cgi-bin\//, '');
}
