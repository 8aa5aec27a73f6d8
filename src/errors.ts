/**
 * Coded errors, in one table (Fastify's lib/errors.js and @fastify/error's createError are the model). Every error the
 * service raises has a code from ERRORS (or CALLBACK_ERRORS below), a message and a class, so logs, tests and HTTP
 * answers can rely on the code; docs/errors.md lists them all (test/config/errors.test.ts checks it, and that nothing
 * in src/ or handlers/ throws a plain Error). Messages never contain secrets: callers pass names of things, not values.
 */
export const ERRORS = {
  ERR_CONFIG: { class: 'ConfigError', meaning: 'the environment is invalid at start-up; every problem is listed by variable name' },
  ERR_CONTENT: { class: 'ContentError', meaning: 'a content file is invalid: file, line and field' },
  ERR_STORE: { class: 'AppError', meaning: 'the store cannot be read or written (a path, a permission, a full disk, PostgreSQL unreachable)' },
  ERR_STORE_DATA: { class: 'AppError', meaning: 'stored data has the wrong shape; it is left untouched' },
  ERR_STORE_KEY: { class: 'AppError', meaning: 'a key (a user id) that cannot be a file name' },
  ERR_STORE_LOCKED: { class: 'AppError', meaning: 'the lowdb data folder is in use by another process' },
  ERR_STORE_UNKNOWN_FILE: { class: 'AppError', meaning: 'a file in the data folder that the store did not write' },
  ERR_STORE_SCHEMA_NAME: { class: 'BadSchemaNameError', meaning: 'a PostgreSQL schema name that is not a plain identifier' },
  ERR_STORE_MIGRATION: { class: 'MigrationError', meaning: 'a PostgreSQL migration failed and was rolled back' },
  ERR_STORE_NO_CONNECTION: { class: 'NoConnectionError', meaning: 'the PostgreSQL pool gave neither a connection nor a reason' },
  ERR_FORM_UNREADABLE: {
    class: 'FormStateUnreadableError',
    meaning: "a user's stored form state is not readable (not JSON, wrong shape); it is moved aside and the user told",
  },
  ERR_NOT_QUEUED: { class: 'NotQueuedError', meaning: 'the store could not take a delivery (its claim failed); the caller delivers the message another way' },
  ERR_SHUTTING_DOWN: { class: 'ShuttingDownError', meaning: "a WeCom request ended by shutdown's hand-over; the outbox sends it at the next start" },
  ERR_USAGE: { class: 'AppError', meaning: 'a command-line tool was given arguments it cannot use; the message says what to write' },
  ERR_STORE_WRITE: { class: 'StoreWriteError', meaning: "the outbox could not record a delivery's state (it retries)" },
  ERR_DELIVERY_UNKNOWN: { class: 'UnknownDeliveryError', meaning: 'an update to a delivery the ledger does not have' },
  ERR_BROADCAST_UNKNOWN_TARGET: { class: 'UnknownTargetError', meaning: 'a push asked for a target that content/targets.yaml does not name' },
  ERR_TARGET_UNCONFIGURED: { class: 'TargetUnconfiguredError', meaning: 'a robot target whose key variable is unset' },
  ERR_WECOM_API: { class: 'WeComApiError', meaning: 'WeCom answered an API call with a non-zero errcode' },
  ERR_WECOM_TRANSPORT: { class: 'WeComTransportError', meaning: 'WeCom gave no answer of its own (network, HTTP status, not its JSON)' },
  ERR_MEDIA_TOO_LARGE: {
    class: 'MediaTooLargeError',
    meaning: 'a file fetched from WeCom (media/get) is larger than the caller accepts; it is not read further',
  },
  ERR_AES_KEY: { class: 'BadAesKeyError', meaning: 'an EncodingAESKey that is not 43 base64 characters' },
  ERR_UTF8_LIMIT: { class: 'Utf8LimitError', meaning: 'a text split asked for parts under 4 bytes (one character may need 4)' },
  ERR_DOCX_TOO_LARGE: { class: 'DocxTooLargeError', meaning: 'an uploaded .docx inflates past its bounds (a zip bomb); refused before it is read' },
  ERR_DOCX_UNREADABLE: { class: 'DocxUnreadableError', meaning: 'an uploaded .docx is not a zip the bounds check can walk (no directory, zip64, encrypted)' },
  ERR_NUMERAL_RANGE: { class: 'NumeralRangeError', meaning: 'a number that Chinese numerals are not written for here (0 to 99,999,999)' },
  ERR_MIDDLEWARE_NEXT: { class: 'NextCalledTwiceError', meaning: 'a handler called next() twice' },
  ERR_FORM_REFUSAL: { class: 'FormRefusal', meaning: 'a form step refuses an answer; the message is the polite reply' },
  ERR_FORM_REDIRECT: { class: 'FormRedirect', meaning: "a form's answers are out of date; the form applies the patch and asks again" },
} as const satisfies Record<string, { class: string; meaning: string }>;

export type ErrorCode = keyof typeof ERRORS;

export class AppError extends Error {
  readonly code: string;
  constructor(code: ErrorCode | CallbackErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}

/**
 * A class for one code, as @fastify/error's createError makes one: `new UnknownDeliveryError(job, target)` has the
 * code, the message made from its arguments, and the class name the table gives; `{ cause }` may follow the arguments.
 */
export function createError<A extends unknown[]>(code: ErrorCode, message: (...args: A) => string) {
  const named = {
    [ERRORS[code].class]: class extends AppError {
      constructor(...args: [...A] | [...A, { cause: unknown }]) {
        const last = args.at(-1);
        const withCause = args.length > message.length && typeof last === 'object' && last !== null && 'cause' in last;
        super(code, message(...((withCause ? args.slice(0, -1) : args) as A)), withCause ? (last as { cause: unknown }) : undefined);
      }
    },
  };
  return named[ERRORS[code].class]!;
}

export const BadSchemaNameError = createError(
  'ERR_STORE_SCHEMA_NAME',
  (schema: string) => `PostgreSQL schema 名称无效（只能是小写字母、数字和下划线）：${schema}`,
);
export const MigrationError = createError(
  'ERR_STORE_MIGRATION',
  (file: string, reason: string) => `数据库迁移 ${file} 失败，已回滚 (migration failed): ${reason}`,
);
export const NoConnectionError = createError('ERR_STORE_NO_CONNECTION', () => 'PostgreSQL 连接池未给出连接 (the pool gave no connection)');
export const StoreWriteError = createError('ERR_STORE_WRITE', () => '存储写入失败 (store write failed)');
export const UnknownDeliveryError = createError('ERR_DELIVERY_UNKNOWN', (job: string, target: string) => `没有这条投递记录 (no delivery): ${job} → ${target}`);
export const UnknownTargetError = createError('ERR_BROADCAST_UNKNOWN_TARGET', (target: string) => `没有名为“${target}”的推送对象`);
export const BadAesKeyError = createError('ERR_AES_KEY', () => 'EncodingAESKey 应为 43 个字母或数字 (EncodingAESKey must be 43 base64 characters)');
export const Utf8LimitError = createError('ERR_UTF8_LIMIT', (maxBytes: number) => `maxBytes must be at least 4, not ${maxBytes}`);
export const NumeralRangeError = createError('ERR_NUMERAL_RANGE', (n: number) => `cannot write ${n} in Chinese numerals`);
export const ShuttingDownError = createError('ERR_SHUTTING_DOWN', () => '服务正在停止，未发出的消息将在下次启动后发送 (the service is shutting down)');
export const NextCalledTwiceError = createError('ERR_MIDDLEWARE_NEXT', () => 'next() called twice by one middleware');

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

/** HTTP refusals outside the callback table: what the service answers, by code, with its status. */
export const HTTP_ERRORS = {
  repeated_parameter: { status: 400, meaning: 'a query parameter given twice (no route expects an array)' },
  in_progress: { status: 503, meaning: 'another worker holds this message; WeCom retries and gets the answer' },
  bad_request: { status: 400, meaning: 'a 4xx Fastify found before our code ran (a body it could not parse)' },
  internal_error: { status: 500, meaning: 'anything unexpected; the answer says nothing more, the log has the error' },
} as const satisfies Record<string, { status: number; meaning: string }>;

export type HttpErrorCode = keyof typeof HTTP_ERRORS;

/** The answer to any error at a callback route: a table entry, Fastify's own 4xx, or a 500 that says nothing more. */
export function callbackErrorAnswer(err: { code?: string; statusCode?: number }): { status: number; code: CallbackErrorCode | HttpErrorCode } {
  if (err instanceof CallbackError) return { status: err.status, code: err.code as CallbackErrorCode };
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

/** A file WeCom would send (media/get) that is larger than the caller takes: known from its length, or cut off reading. */
export const MediaTooLargeError = createError(
  'ERR_MEDIA_TOO_LARGE',
  (api: string, maxBytes: number) => `WeCom API ${api}: the file is larger than ${maxBytes} bytes`,
);

/** A robot target whose key variable is unset: a state of our configuration, not something WeCom said. */
export class TargetUnconfiguredError extends AppError {
  readonly keyEnv: string;
  constructor(keyEnv: string) {
    super('ERR_TARGET_UNCONFIGURED', `robot key variable ${keyEnv} is not set`);
    this.keyEnv = keyEnv;
  }
}
