/**
 * WeCom's global error codes that this service acts on, by name (after go-workwx's errcodes package; doc 90313).
 * Only WeCom's own codes belong here; the service's own delivery states are not errcodes.
 */
export const ErrCode = {
  /** 系统繁忙: retry later. */
  SystemBusy: -1,
  Ok: 0,
  /** 不合法的secret参数 */
  InvalidCredential: 40001,
  /** 不合法的access_token */
  InvalidAccessToken: 40014,
  /** access_token已过期 */
  AccessTokenExpired: 42001,
  /** 不合法的media_id */
  InvalidMediaId: 40007,
  /** media/get: 文件太大，需分段下载 (the file is too large to fetch whole; Range needed) */
  MediaTooLarge: 830002,
  /** 不合法的消息类型 */
  InvalidMessageType: 40008,
  /** 消息内容超过限制 */
  ContentSizeOutOfLimit: 45002,
  /** 接口调用超过限制 (frequency) */
  ApiFreqOutOfLimit: 45009,
  /** 接口并发调用超过限制 */
  ApiConcurrentOutOfLimit: 45033,
  /** 发送消息的接收人全部无效 */
  AllRecipientsInvalid: 81013,
  /** 群聊不存在，或不是本应用创建的群聊 (appchat/send reaches only chats the app created) */
  ChatNotFound: 86003,
  /** 无效的 webhook 地址 (robot key) */
  InvalidWebhookUrl: 93000,
} as const;

/** The access token is bad: drop it, fetch once more, retry once. */
export const TOKEN_ERRCODES: ReadonlySet<number> = new Set([ErrCode.InvalidCredential, ErrCode.InvalidAccessToken, ErrCode.AccessTokenExpired]);
/** WeCom is busy or limiting: back off and retry. */
export const RETRYABLE_ERRCODES: ReadonlySet<number> = new Set([ErrCode.SystemBusy, ErrCode.ApiFreqOutOfLimit, ErrCode.ApiConcurrentOutOfLimit]);
