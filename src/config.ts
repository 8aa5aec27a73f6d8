import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { z } from 'zod';
import { ConfigError } from './errors.ts';

/**
 * The service's configuration: parsed once from the environment by one zod schema,
 * every problem reported together, frozen, passed down. Nothing else reads process.env.
 */
export interface WeComCredentials {
  corpId: string;
  agentId: string;
  secret: string;
  token: string;
  encodingAesKey: string;
}

export interface Config {
  /** live: real WeCom credentials; local: throw-away credentials and the in-process simulator. */
  mode: 'live' | 'local';
  port: number;
  host: string;
  wecom: WeComCredentials & { apiBase: string };
  callback: {
    /** Seconds a callback's timestamp may differ from our clock (replay protection). */
    timestampWindowSec: number;
    /** Largest accepted callback body, bytes. */
    bodyLimitBytes: number;
    /** How long a handler may take before we stop waiting and answer through the API instead. */
    passiveReplyBudgetMs: number;
  };
  contentDir: string;
  /** The law library for run-time imports (LAWS_CORPUS); none: laws named in a notice stay titles. */
  lawsCorpus: string | undefined;
  dataDir: string;
  /** PostgreSQL (postgres://…) for several instances; lowdb in dataDir when unset. */
  databaseUrl: string | undefined;
  /** Where people reach this service (links in chat, e.g. the status page). */
  publicBaseUrl: string;
  /** Signs status-page links and sessions (HMAC-SHA256). Random per process when not set: links die on restart. */
  statusPageSecret: string;
  /**
   * The 智能机器人 (group @-mentions, route /wecom/aibot): its own callback Token and EncodingAESKey. Off in live mode
   * unless both are set; local mode makes throw-away ones, so the chat page can talk to it.
   */
  aibot: { token: string; encodingAesKey: string } | undefined;
  /**
   * Limits on every HTTP connection, so a client that trickles its headers or body cannot hold a connection (and a
   * file descriptor) for minutes: the whole request, the headers, and silence on the socket.
   */
  http: {
    requestTimeoutMs: number;
    headersTimeoutMs: number;
    idleTimeoutMs: number;
  };
  /**
   * How long SIGTERM waits for in-flight work before handing what is left to the outbox (the next start sends it);
   * the process exits within it plus a little for flushing the store.
   */
  shutdownDrainMs: number;
  /** Group-robot webhook keys by environment variable name (WECOM_ROBOT_KEY_*), referenced from content/targets.yaml. */
  robotKeys: Readonly<Record<string, string>>;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** BOT_NOW (local mode only): the demo starts at this instant (ms since the epoch) and its clock runs on from there. */
  demoNow: number | undefined;
}

export const DEFAULT_API_BASE = 'https://qyapi.weixin.qq.com';

const CREDENTIAL_VARS = ['WECOM_CORP_ID', 'WECOM_AGENT_ID', 'WECOM_SECRET', 'WECOM_TOKEN', 'WECOM_ENCODING_AES_KEY'] as const;

const optionalText = z
  .string()
  .transform((s) => s.trim())
  .optional()
  .transform((s) => (s === '' ? undefined : s));

const int = (name: string, min: number, max: number) =>
  z.coerce
    .number({ error: `${name} 应为整数 (must be an integer)` })
    .int({ error: `${name} 应为整数 (must be an integer)` })
    .min(min, { error: `${name} 不能小于 ${min} (must be ≥ ${min})` })
    .max(max, { error: `${name} 不能大于 ${max} (must be ≤ ${max})` });

const envSchema = z.object({
  PORT: int('PORT', 0, 65535).default(3000),
  HOST: optionalText,
  WECOM_CORP_ID: optionalText.pipe(
    z
      .string()
      .regex(/^[A-Za-z0-9_-]{1,64}$/, { error: '只能包含字母、数字、_ 和 - (letters, digits, _ and - only)' })
      .optional(),
  ),
  WECOM_AGENT_ID: optionalText.pipe(
    z
      .string()
      .regex(/^\d{1,12}$/, { error: '应为数字 (must be digits)' })
      .optional(),
  ),
  WECOM_SECRET: optionalText.pipe(z.string().min(8, { error: '太短 (too short)' }).optional()),
  WECOM_TOKEN: optionalText.pipe(
    z
      .string()
      .regex(/^[A-Za-z0-9]{1,32}$/, { error: '应为 1–32 位字母或数字 (1–32 letters or digits)' })
      .optional(),
  ),
  WECOM_ENCODING_AES_KEY: optionalText.pipe(
    z
      .string()
      .regex(/^[A-Za-z0-9]{43}$/, { error: '应为 43 位字母或数字 (must be 43 letters or digits)' })
      .optional(),
  ),
  WECOM_AIBOT_TOKEN: optionalText.pipe(
    z
      .string()
      .regex(/^[A-Za-z0-9]{1,32}$/, { error: '应为 1–32 位字母或数字 (1–32 letters or digits)' })
      .optional(),
  ),
  WECOM_AIBOT_ENCODING_AES_KEY: optionalText.pipe(
    z
      .string()
      .regex(/^[A-Za-z0-9]{43}$/, { error: '应为 43 位字母或数字 (must be 43 letters or digits)' })
      .optional(),
  ),
  WECOM_API_BASE: optionalText.pipe(
    z
      .url({ protocol: /^https?$/, error: '应为 http(s) 地址 (must be an http(s) URL)' })
      .transform((u) => u.replace(/\/+$/, ''))
      .optional(),
  ),
  CALLBACK_TIMESTAMP_WINDOW: int('CALLBACK_TIMESTAMP_WINDOW', 1, 86_400).default(300),
  CALLBACK_BODY_LIMIT: int('CALLBACK_BODY_LIMIT', 1024, 10 * 1024 * 1024).default(64 * 1024),
  PASSIVE_REPLY_BUDGET_MS: int('PASSIVE_REPLY_BUDGET_MS', 0, 4500).default(2000),
  // WeCom waits 5 s for an answer; a legitimate callback arrives in well under a second.
  HTTP_REQUEST_TIMEOUT_MS: int('HTTP_REQUEST_TIMEOUT_MS', 100, 600_000).default(15_000),
  HTTP_HEADERS_TIMEOUT_MS: int('HTTP_HEADERS_TIMEOUT_MS', 100, 600_000).default(10_000),
  HTTP_IDLE_TIMEOUT_MS: int('HTTP_IDLE_TIMEOUT_MS', 100, 600_000).default(10_000),
  SHUTDOWN_DRAIN_MS: int('SHUTDOWN_DRAIN_MS', 1000, 300_000).default(10_000),
  PUBLIC_BASE_URL: optionalText.pipe(
    z
      .url({ protocol: /^https?$/, error: '应为 http(s) 地址 (must be an http(s) URL)' })
      .transform((u) => u.replace(/\/+$/, ''))
      .optional(),
  ),
  DATABASE_URL: optionalText.pipe(
    z
      .string()
      .regex(/^postgres(ql)?:\/\/.+/, { error: '应为 postgres:// 开头的连接地址 (must be a postgres:// URL)' })
      .optional(),
  ),
  STATUS_PAGE_SECRET: optionalText.pipe(z.string().min(16, { error: '至少 16 个字符 (at least 16 characters)' }).optional()),
  CONTENT_DIR: optionalText.transform((s) => s ?? './content'),
  // The law library (LawRefBook format: its .tar.gz or an unpacked folder): laws named in a notice imported in chat or
  // on the status page get their text from it, as with npm run import.
  LAWS_CORPUS: optionalText,
  DATA_DIR: optionalText.transform((s) => s ?? './data'),
  // An ISO date-time; without a zone it is Beijing time, the zone every user sees.
  BOT_NOW: optionalText.pipe(
    z
      .string()
      .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})?$/, {
        error: '应为 ISO 日期时间，例如 2016-09-21T10:00:00+08:00 (must be an ISO date-time)',
      })
      .transform((s) => Date.parse(/(Z|[+-]\d{2}:\d{2})$/.test(s) ? s : `${s}+08:00`))
      .refine((ms) => Number.isFinite(ms), { error: '不是有效的日期时间 (not a valid date-time)' })
      .optional(),
  ),
  LOG_LEVEL: optionalText.pipe(
    z
      .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], {
        error: '应为 fatal|error|warn|info|debug|trace|silent 之一',
      })
      .optional(),
  ),
});

export interface LoadConfigOptions {
  /** Source of randomness for local-mode credentials (tests pass a fixed one). */
  randomBytes?: (n: number) => Buffer;
}

/** Parses an environment (normally process.env) into a frozen Config, or throws ConfigError listing every problem. */
export function loadConfig(env: Record<string, string | undefined>, options: LoadConfigOptions = {}): Config {
  const parsed = envSchema.safeParse(env);
  const problems: string[] = [];
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const name = issue.path.join('.') || '(environment)';
      // zod's messages never echo the input value; ours neither, so secrets stay out.
      problems.push(`${name}: ${issue.message}`);
    }
  }
  const setVars = CREDENTIAL_VARS.filter((v) => (env[v] ?? '').trim() !== '');
  if (setVars.length > 0 && setVars.length < CREDENTIAL_VARS.length) {
    const missing = CREDENTIAL_VARS.filter((v) => !setVars.includes(v));
    problems.push(
      `${missing.join(', ')}: 未设置。连接真实企业微信需要全部 ${CREDENTIAL_VARS.length} 项；全部留空则以本地模式运行 ` +
        `(missing: set all WeCom credentials, or none for local mode)`,
    );
  }
  const aibotVars = ['WECOM_AIBOT_TOKEN', 'WECOM_AIBOT_ENCODING_AES_KEY'] as const;
  const aibotSet = aibotVars.filter((v) => (env[v] ?? '').trim() !== '');
  if (aibotSet.length === 1) {
    problems.push(
      `${aibotVars.find((v) => !aibotSet.includes(v))}: 未设置。智能机器人需要 Token 和 EncodingAESKey 两项；都留空则不启用 (set both, or neither to leave the 智能机器人 off)`,
    );
  }
  if (setVars.length > 0 && (env.BOT_NOW ?? '').trim() !== '') {
    // A live bot on a made-up date would push, remind and stamp records on the wrong day for real people.
    problems.push('BOT_NOW: 只能在本地模式（未设置企业微信凭据）下使用；连接真实企业微信时请删除此项 (demo clock: local mode only)');
  }
  const laws = (env.LAWS_CORPUS ?? '').trim();
  if (laws && !existsSync(laws)) {
    problems.push('LAWS_CORPUS: 找不到这个法律法规库（应为 LawRefBook 格式的 .tar.gz 文件或解压后的文件夹）(no such file or folder)');
  }
  if (problems.length > 0 || !parsed.success) throw new ConfigError(problems);
  const e = parsed.data;
  const mode = setVars.length === 0 ? 'local' : 'live';
  const credentials = mode === 'live' ? liveCredentials(e) : localCredentials(options.randomBytes ?? randomBytes);
  return deepFreeze({
    mode,
    port: e.PORT,
    // Local mode is a developer's machine: listen on loopback unless told otherwise.
    host: e.HOST ?? (mode === 'local' ? '127.0.0.1' : '0.0.0.0'),
    wecom: { ...credentials, apiBase: e.WECOM_API_BASE ?? DEFAULT_API_BASE },
    callback: {
      timestampWindowSec: e.CALLBACK_TIMESTAMP_WINDOW,
      bodyLimitBytes: e.CALLBACK_BODY_LIMIT,
      passiveReplyBudgetMs: e.PASSIVE_REPLY_BUDGET_MS,
    },
    contentDir: e.CONTENT_DIR,
    lawsCorpus: e.LAWS_CORPUS,
    dataDir: e.DATA_DIR,
    databaseUrl: e.DATABASE_URL,
    publicBaseUrl: e.PUBLIC_BASE_URL ?? `http://${e.HOST && e.HOST !== '0.0.0.0' ? e.HOST : '127.0.0.1'}:${e.PORT}`,
    statusPageSecret: e.STATUS_PAGE_SECRET ?? (options.randomBytes ?? randomBytes)(32).toString('hex'),
    aibot:
      e.WECOM_AIBOT_TOKEN && e.WECOM_AIBOT_ENCODING_AES_KEY
        ? { token: e.WECOM_AIBOT_TOKEN, encodingAesKey: e.WECOM_AIBOT_ENCODING_AES_KEY }
        : mode === 'local'
          ? (({ token, encodingAesKey }) => ({ token, encodingAesKey }))(localCredentials(options.randomBytes ?? randomBytes))
          : undefined,
    http: {
      requestTimeoutMs: e.HTTP_REQUEST_TIMEOUT_MS,
      // Node requires the headers timeout not to exceed the request timeout.
      headersTimeoutMs: Math.min(e.HTTP_HEADERS_TIMEOUT_MS, e.HTTP_REQUEST_TIMEOUT_MS),
      idleTimeoutMs: e.HTTP_IDLE_TIMEOUT_MS,
    },
    shutdownDrainMs: e.SHUTDOWN_DRAIN_MS,
    robotKeys: Object.fromEntries(
      Object.entries(env)
        .filter((kv): kv is [string, string] => /^WECOM_ROBOT_KEY_[A-Z0-9_]+$/.test(kv[0]) && Boolean(kv[1]?.trim()))
        .map(([k, v]) => [k, v.trim()]),
    ),
    logLevel: e.LOG_LEVEL ?? 'info',
    demoNow: e.BOT_NOW,
  } satisfies Config);
}

function liveCredentials(e: z.infer<typeof envSchema>): WeComCredentials {
  return {
    corpId: e.WECOM_CORP_ID!,
    agentId: e.WECOM_AGENT_ID!,
    secret: e.WECOM_SECRET!,
    token: e.WECOM_TOKEN!,
    encodingAesKey: e.WECOM_ENCODING_AES_KEY!,
  };
}

/** Throw-away credentials for local mode: valid in form, known to nobody but this process. */
function localCredentials(random: (n: number) => Buffer): WeComCredentials {
  const alnum = (n: number) => {
    const chars = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
    return [...random(n)].map((b) => chars[b % chars.length]).join('');
  };
  return {
    corpId: `wwlocal${alnum(9).toLowerCase()}`,
    agentId: '1000002',
    secret: alnum(43),
    token: alnum(32),
    encodingAesKey: alnum(43),
  };
}

/** Reads ./.env (if present) into process.env without overriding what is already set; then returns process.env. */
export function readEnvironment(envFile = '.env'): Record<string, string | undefined> {
  if (existsSync(envFile)) process.loadEnvFile(envFile);
  return process.env;
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}
