/**
 * Coded errors. Every error the service raises on purpose carries a stable `code`
 * (as Fastify's FST_ERR_* catalogue does) so logs, tests and HTTP answers can rely on it.
 * Messages never contain secrets: callers pass names of things, not their values.
 */
export class AppError extends Error {
  readonly code: string;
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}

/** Configuration problems found at start-up; `problems` lists every one of them. */
export class ConfigError extends AppError {
  readonly problems: readonly string[];
  constructor(problems: readonly string[]) {
    super('ERR_CONFIG', `配置有误 (configuration is invalid):\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.problems = problems;
  }
}

/** Broken content: names the file, line and field so an editor can fix it. */
export class ContentError extends AppError {
  readonly file: string;
  readonly line: number | undefined;
  readonly field: string | undefined;
  constructor(file: string, line: number | undefined, field: string | undefined, reason: string) {
    const where = `${file}${line !== undefined ? `:${line}` : ''}${field ? ` (${field})` : ''}`;
    super('ERR_CONTENT', `${where}: ${reason}`);
    this.file = file;
    this.line = line;
    this.field = field;
  }
}

/**
 * Every way a callback request is refused, with its HTTP status, in one table (Fastify's lib/errors.js is the
 * model): the codec throws by code, both callback routes answer from here, and tests and logs rely on the codes.
 * All are 4xx: the sender's mistakes (or an attack), never ours.
 */
export const CALLBACK_ERRORS = {
  missing_params: { status: 400, meaning: 'msg_signature, timestamp or nonce (or echostr) missing or repeated' },
  bad_signature: { status: 403, meaning: 'msg_signature does not match the token' },
  stale_timestamp: { status: 400, meaning: 'timestamp outside the accepted window (replay protection)' },
  bad_xml: { status: 400, meaning: 'the body is not the expected XML envelope' },
  bad_json: { status: 400, meaning: 'the body is not the expected JSON envelope' },
  forbidden_xml: { status: 400, meaning: 'XML with a DOCTYPE or entities (never sent by WeCom)' },
  bad_base64: { status: 400, meaning: 'Encrypt is not valid base64' },
  bad_ciphertext: { status: 400, meaning: 'ciphertext of the wrong length or with a bad length field' },
  bad_padding: { status: 400, meaning: 'invalid PKCS#7 padding' },
  bad_receive_id: { status: 400, meaning: 'encrypted for another receive id (another corp, or the other channel)' },
  body_too_large: { status: 413, meaning: 'body over CALLBACK_BODY_LIMIT' },
  bad_message: { status: 400, meaning: 'the decrypted message lacks a required field' },
} as const satisfies Record<string, { status: number; meaning: string }>;

export type CallbackErrorCode = keyof typeof CALLBACK_ERRORS;

/** A callback request that must be refused; its status comes from CALLBACK_ERRORS. */
export class CallbackError extends AppError {
  readonly status: number;
  constructor(code: CallbackErrorCode, message: string) {
    super(code, message);
    this.status = CALLBACK_ERRORS[code].status;
  }
}

/** The answer to any error at a callback route: a table entry, Fastify's own 4xx, or a 500 that says nothing more. */
export function callbackErrorAnswer(err: { code?: string; statusCode?: number }): { status: number; code: string } {
  if (err instanceof CallbackError) return { status: err.status, code: err.code };
  if (err.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return { status: 413, code: 'body_too_large' };
  const status = err.statusCode ?? 500;
  if (status >= 400 && status < 500) return { status, code: 'bad_request' };
  return { status: 500, code: 'internal_error' };
}

/** A non-zero errcode that WeCom answered to an API call; `errcode` is always WeCom's own (src/wecom/errcodes.ts). */
export class WeComApiError extends AppError {
  readonly errcode: number;
  readonly errmsg: string;
  readonly api: string;
  constructor(api: string, errcode: number, errmsg: string, options?: { cause?: unknown }) {
    super('ERR_WECOM_API', `WeCom API ${api} failed: errcode ${errcode} ${errmsg}`, options);
    this.api = api;
    this.errcode = errcode;
    this.errmsg = errmsg;
  }
}

/**
 * WeCom gave no answer of its own: the network failed, it answered an HTTP error status, or its body was not its JSON.
 * There is no errcode to report, so none is made up; `retryable` says whether another try may heal it (5xx, network).
 */
export class WeComTransportError extends AppError {
  readonly api: string;
  readonly detail: string;
  readonly retryable: boolean;
  constructor(api: string, detail: string, retryable: boolean, options?: { cause?: unknown }) {
    super('ERR_WECOM_TRANSPORT', `WeCom API ${api} gave no answer: ${detail}`, options);
    this.api = api;
    this.detail = detail;
    this.retryable = retryable;
  }
}

/** A robot target whose key variable is unset: a state of our configuration, not something WeCom said. */
export class TargetUnconfiguredError extends AppError {
  readonly keyEnv: string;
  constructor(keyEnv: string) {
    super('ERR_TARGET_UNCONFIGURED', `robot key variable ${keyEnv} is not set`);
    this.keyEnv = keyEnv;
  }
}
