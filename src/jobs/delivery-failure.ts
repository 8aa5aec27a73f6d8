import { TargetUnconfiguredError, WeComApiError, WeComTransportError } from '../errors.ts';
import { isRetryable } from '../wecom/client.ts';

/**
 * What went wrong with a delivery, as the ledger keeps it and an admin reads it. `errcode` is set only when WeCom
 * answered one; a network failure, an unset robot key or a bug of ours is told in `errmsg` alone, never as a made-up
 * errcode.
 */
export interface DeliveryFailure {
  errcode?: number;
  errmsg: string;
  /** Whether another try may heal it: WeCom busy or limiting, network, 5xx. Configuration errors will not. */
  retryable: boolean;
}

export function deliveryFailure(err: unknown): DeliveryFailure {
  if (err instanceof WeComApiError) return { errcode: err.errcode, errmsg: err.errmsg, retryable: isRetryable(err) };
  if (err instanceof WeComTransportError) return { errmsg: `企业微信无应答：${err.detail}`, retryable: err.retryable };
  if (err instanceof TargetUnconfiguredError) return { errmsg: `环境变量 ${err.keyEnv} 未设置`, retryable: false };
  // Anything else is ours (a bug, a file we could not read): worth another try later, and logged with its message.
  return { errmsg: `发送出错：${(err as Error).message}`, retryable: true };
}

/** "错误码 45009：api freq out of limit", or the message alone when WeCom gave no errcode. */
export function failureText(f: { errcode?: number | undefined; errmsg?: string | undefined }): string {
  if (f.errcode !== undefined) return `错误码 ${f.errcode}${f.errmsg ? `：${f.errmsg}` : ''}`;
  return f.errmsg || '原因不明';
}
