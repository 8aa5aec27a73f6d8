import type { Logger } from 'pino';
import type { Clock } from '../clock.ts';
import { MediaTooLargeError, ShuttingDownError, WeComApiError, WeComTransportError } from '../errors.ts';
import type { AppMessage, Recipients, RobotMessage, SendResult, UploadFile } from './api-types.ts';
import { RETRYABLE_ERRCODES, TOKEN_ERRCODES } from './errcodes.ts';

/**
 * The WeCom API client (doc 91039 gettoken, 90236 message/send, 90248 appchat/send, 99110 robots, 96484 upload).
 * - The access token is fetched on demand, cached until shortly before expires_in, shared by concurrent callers
 *   (one in-flight fetch), and dropped and fetched once more when WeCom says it is bad (40001/40014/42001).
 * - Frequency limits (45009/45033), system busy (-1), 5xx and network failures are retried with bounded
 *   exponential backoff and jitter; every other errcode becomes a WeComApiError at once. A failure with no errcode
 *   from WeCom (network, HTTP status, a body that is not its JSON) is a WeComTransportError: no errcode is made up.
 * - fetch, clock, sleep and randomness are injected so tests run against a fake WeCom without network or waits.
 * URLs carry the secret and the token, so they are never logged or put into errors: errors name the API only.
 */
export interface WeComClientOptions {
  corpId: string;
  secret: string;
  agentId: string;
  apiBase: string;
  clock: Clock;
  fetch?: typeof fetch;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  logger?: Logger;
  /** Total attempts for retryable failures (first try included). */
  maxAttempts?: number;
  /** Backoff base and cap, ms. */
  backoffBaseMs?: number;
  backoffMaxMs?: number;
  requestTimeoutMs?: number;
  /** Refresh the token this long before WeCom says it expires. */
  tokenRefreshMarginMs?: number;
  tokenCache?: TokenCache;
}

/** Where the access token lives: memory by default; a shared store lets several instances share one token. */
export interface TokenCache {
  get(): Promise<CachedToken | undefined>;
  set(token: CachedToken): Promise<void>;
  clear(token: string): Promise<void>;
  /** Runs a token fetch holding a lock shared by every instance (a database cache has one), so only one fetches. */
  exclusive?<T>(work: () => Promise<T>): Promise<T>;
}
export interface CachedToken {
  token: string;
  expiresAt: number;
}

export class MemoryTokenCache implements TokenCache {
  #value: CachedToken | undefined;
  async get() {
    return this.#value;
  }
  async set(token: CachedToken) {
    this.#value = token;
  }
  async clear(token: string) {
    if (this.#value?.token === token) this.#value = undefined;
  }
}

interface ApiResponse {
  errcode?: number;
  errmsg?: string;
  [k: string]: unknown;
}

type Body = { json: unknown } | { form: FormData } | undefined;

/** A file as media/get gives it: its bytes and the content type WeCom named. */
export interface MediaFile {
  data: Buffer;
  contentType: string;
}

/** How a call's answer is read: WeCom's JSON, or (media/get) a file up to a size, with JSON only for an error. */
type Read = { file: { maxBytes: number } } | undefined;

export class WeComClient {
  readonly #o: Required<Omit<WeComClientOptions, 'logger'>> & { logger: Logger | undefined };
  #inflightToken: Promise<string> | undefined;
  /** Set at shutdown's hand-over (`abortAll`): requests in flight end, none start, no retry waits. */
  #stopped = false;
  #onStop: () => void = () => {};
  readonly #whenStopped = new Promise<void>((r) => (this.#onStop = r));
  /** Requests in flight, to end at the hand-over. */
  readonly #inflight = new Set<AbortController>();

  constructor(options: WeComClientOptions) {
    this.#o = {
      fetch: globalThis.fetch,
      sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
      random: Math.random,
      maxAttempts: 4,
      backoffBaseMs: 500,
      backoffMaxMs: 8000,
      requestTimeoutMs: 10_000,
      tokenRefreshMarginMs: 5 * 60_000,
      tokenCache: new MemoryTokenCache(),
      ...options,
      logger: options.logger,
    };
  }

  /**
   * Ends every request in flight and refuses new ones (retryable, so the outbox keeps them for the next start):
   * shutdown's hand-over, when the drain deadline has come. An aborted request is a request that timed out: WeCom
   * may have taken it, the one doubt any HTTP API leaves.
   */
  abortAll(): void {
    this.#stopped = true;
    this.#onStop();
    for (const c of this.#inflight) c.abort(new ShuttingDownError());
  }

  get agentId(): string {
    return this.#o.agentId;
  }

  /** The cached access token, or a fresh one; concurrent callers share one fetch. */
  async getAccessToken(): Promise<string> {
    const cached = await this.#o.tokenCache.get();
    if (cached && cached.expiresAt - this.#o.tokenRefreshMarginMs > this.#o.clock.now()) return cached.token;
    this.#inflightToken ??= this.#fetchShared().finally(() => {
      this.#inflightToken = undefined;
    });
    return this.#inflightToken;
  }

  /** With a shared cache: take its lock, look again (another instance may just have fetched), fetch only if needed. */
  async #fetchShared(): Promise<string> {
    const cache = this.#o.tokenCache;
    if (!cache.exclusive) return this.#fetchToken();
    return cache.exclusive(async () => {
      const cached = await cache.get();
      if (cached && cached.expiresAt - this.#o.tokenRefreshMarginMs > this.#o.clock.now()) return cached.token;
      return this.#fetchToken();
    });
  }

  async #fetchToken(): Promise<string> {
    const { corpId, secret } = this.#o;
    const res = await this.#call('gettoken', () => `cgi-bin/gettoken?corpid=${encodeURIComponent(corpId)}&corpsecret=${encodeURIComponent(secret)}`, undefined);
    const token = res.access_token;
    const expiresIn = Number(res.expires_in);
    if (typeof token !== 'string' || !token || !Number.isFinite(expiresIn)) {
      throw new WeComTransportError('gettoken', 'response lacks access_token', true);
    }
    await this.#o.tokenCache.set({ token, expiresAt: this.#o.clock.now() + expiresIn * 1000 });
    return token;
  }

  /** message/send to users, departments or tags. */
  async sendMessage(to: Recipients, message: AppMessage, options: { duplicateCheckSec?: number } = {}): Promise<SendResult> {
    const body: Record<string, unknown> = {
      ...(to.touser?.length ? { touser: to.touser.join('|') } : {}),
      ...(to.toparty?.length ? { toparty: to.toparty.join('|') } : {}),
      ...(to.totag?.length ? { totag: to.totag.join('|') } : {}),
      agentid: Number(this.#o.agentId),
      ...message,
      ...(options.duplicateCheckSec ? { enable_duplicate_check: 1, duplicate_check_interval: options.duplicateCheckSec } : {}),
    };
    return (await this.#authed('message/send', 'cgi-bin/message/send', { json: body })) as SendResult;
  }

  /** appchat/send to a group chat the app created. */
  async sendAppChat(chatId: string, message: AppMessage): Promise<void> {
    await this.#authed('appchat/send', 'cgi-bin/appchat/send', { json: { chatid: chatId, ...message } });
  }

  /** Group robot webhook/send (20 messages per minute per robot). */
  async sendWebhook(key: string, message: RobotMessage): Promise<void> {
    await this.#call('webhook/send', () => `cgi-bin/webhook/send?key=${encodeURIComponent(key)}`, { json: message });
  }

  /** media/upload (type file): returns a media_id valid for 3 days. */
  async uploadMedia(file: UploadFile, type: 'file' | 'image' = 'file'): Promise<string> {
    const res = await this.#authed('media/upload', `cgi-bin/media/upload?type=${type}`, () => ({ form: toForm(file) }));
    return String(res.media_id);
  }

  /** Robot upload_media (type file): returns a media_id for the robot's file messages. */
  async uploadWebhookMedia(key: string, file: UploadFile): Promise<string> {
    const res = await this.#call(
      'webhook/upload_media',
      () => `cgi-bin/webhook/upload_media?key=${encodeURIComponent(key)}&type=file`,
      () => ({ form: toForm(file) }),
    );
    return String(res.media_id);
  }

  /**
   * media/get (doc 90254): a temporary media file (an image a user sent: 3 days) as bytes. WeCom answers an error as
   * JSON instead (40007: the media id is invalid or expired; 830002: too large to fetch whole). A file longer than
   * `maxBytes` is refused by its Content-Length, or cut off while read: MediaTooLargeError, never held whole.
   */
  async getMedia(mediaId: string, maxBytes: number): Promise<MediaFile> {
    const res = await this.#authed('media/get', `cgi-bin/media/get?media_id=${encodeURIComponent(mediaId)}`, undefined, { file: { maxBytes } });
    return res.file as MediaFile;
  }

  /** A call that needs the access token; a bad token is dropped and the call tried once more with a new one. */
  async #authed(api: string, path: string, body: Body | (() => Body), read?: Read): Promise<ApiResponse> {
    let usedToken = '';
    const url = async () => {
      usedToken = await this.getAccessToken();
      return `${path}${path.includes('?') ? '&' : '?'}access_token=${encodeURIComponent(usedToken)}`;
    };
    try {
      return await this.#call(api, url, body, read);
    } catch (err) {
      if (!(err instanceof WeComApiError) || !TOKEN_ERRCODES.has(err.errcode)) throw err;
      this.#o.logger?.warn({ api, errcode: err.errcode }, 'access token rejected; fetching a new one');
      await this.#o.tokenCache.clear(usedToken);
      return await this.#call(api, url, body, read);
    }
  }

  /**
   * One API call with bounded retries. `url` and `body` are functions so every attempt gets a fresh token
   * and a fresh multipart body (a FormData stream can be read only once).
   */
  async #call(api: string, url: () => string | Promise<string>, body: Body | (() => Body), read?: Read): Promise<ApiResponse> {
    const { maxAttempts, backoffBaseMs, backoffMaxMs } = this.#o;
    for (let attempt = 1; ; attempt++) {
      let error: WeComApiError | WeComTransportError;
      if (this.#stopped) throw new WeComTransportError(api, 'stopped: the service is shutting down', true);
      try {
        const res = await this.#once(api, await url(), typeof body === 'function' ? body() : body, read);
        if (!res.errcode) return res;
        error = new WeComApiError(api, res.errcode, String(res.errmsg ?? ''));
        if (!RETRYABLE_ERRCODES.has(res.errcode)) throw error;
      } catch (err) {
        if ((err instanceof WeComApiError || err instanceof WeComTransportError) && !isRetryable(err)) throw err;
        // A file over the caller's limit stays over it: no retry.
        if (err instanceof MediaTooLargeError) throw err;
        error =
          err instanceof WeComApiError || err instanceof WeComTransportError
            ? err
            : new WeComTransportError(api, `network error: ${(err as Error).message}`, true, { cause: err });
      }
      if (attempt >= maxAttempts) throw error;
      const delay = Math.min(backoffMaxMs, backoffBaseMs * 2 ** (attempt - 1)) * (0.5 + this.#o.random() / 2);
      this.#o.logger?.warn(
        { api, ...(error instanceof WeComApiError ? { errcode: error.errcode } : { error: error.detail }), attempt, delayMs: Math.round(delay) },
        'WeCom API call failed; retrying',
      );
      // A wait between retries ends at shutdown's hand-over too.
      await Promise.race([this.#o.sleep(delay), this.#whenStopped]);
    }
  }

  async #once(api: string, path: string, body: Body, read: Read): Promise<ApiResponse> {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(new DOMException('The operation was aborted due to timeout', 'TimeoutError')), this.#o.requestTimeoutMs);
    this.#inflight.add(controller);
    try {
      return await this.#request(api, path, body, controller.signal, read);
    } finally {
      clearTimeout(timer);
      this.#inflight.delete(controller);
    }
  }

  async #request(api: string, path: string, body: Body, signal: AbortSignal, read: Read): Promise<ApiResponse> {
    const init: RequestInit = { method: body ? 'POST' : 'GET', signal };
    if (body && 'json' in body) {
      init.headers = { 'content-type': 'application/json; charset=utf-8' };
      init.body = JSON.stringify(body.json);
    } else if (body) {
      init.body = body.form;
    }
    const res = await this.#o.fetch(`${this.#o.apiBase}/${path}`, init);
    if (!res.ok) throw new WeComTransportError(api, `HTTP ${res.status}`, res.status >= 500);
    const contentType = res.headers.get('content-type') ?? '';
    // A file comes as itself; an error as WeCom's JSON (or text holding it), read below.
    if (read && !/json|text\/plain/i.test(contentType)) return { file: await readFile(api, res, read.file.maxBytes, contentType) };
    let json: unknown;
    try {
      json = await res.json();
    } catch {
      throw new WeComTransportError(api, 'response is not JSON', true);
    }
    if (!json || typeof json !== 'object') throw new WeComTransportError(api, 'response is not a JSON object', true);
    return json as ApiResponse;
  }
}

/** Transport failures and server-side busy answers are worth another try; a 4xx HTTP status is not. */
export function isRetryable(err: WeComApiError | WeComTransportError): boolean {
  return err instanceof WeComTransportError ? err.retryable : RETRYABLE_ERRCODES.has(err.errcode);
}

/** The body as bytes, at most `maxBytes`: a longer one is refused by its length or as soon as it passes the limit. */
async function readFile(api: string, res: Response, maxBytes: number, contentType: string): Promise<MediaFile> {
  const declared = Number(res.headers.get('content-length') ?? NaN);
  if (declared > maxBytes) {
    await res.body?.cancel().catch(() => {});
    throw new MediaTooLargeError(api, maxBytes);
  }
  const chunks: Buffer[] = [];
  let total = 0;
  if (res.body) {
    const reader = res.body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.byteLength;
      if (total > maxBytes) {
        await reader.cancel().catch(() => {});
        throw new MediaTooLargeError(api, maxBytes);
      }
      chunks.push(Buffer.from(value));
    }
  }
  return { data: Buffer.concat(chunks, total), contentType };
}

function toForm(file: UploadFile): FormData {
  const form = new FormData();
  form.append('media', new Blob([file.data], { type: file.contentType ?? 'application/octet-stream' }), file.filename);
  return form;
}
