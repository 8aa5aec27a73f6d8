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
 * A callback request that must be refused. `status` is always 4xx: these are the
 * sender's mistakes (or an attack), never ours.
 */
export class CallbackError extends AppError {
  readonly status: number;
  constructor(code: CallbackErrorCode, message: string, status = 400) {
    super(code, message);
    this.status = status;
  }
}

export type CallbackErrorCode =
  | 'missing_params'
  | 'bad_signature'
  | 'stale_timestamp'
  | 'bad_xml'
  | 'bad_json'
  | 'forbidden_xml'
  | 'bad_base64'
  | 'bad_ciphertext'
  | 'bad_padding'
  | 'bad_receive_id'
  | 'body_too_large'
  | 'bad_message';

/** A non-zero errcode from a WeCom API call (or a transport failure, errcode -1). */
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
