import { formatShanghaiTime } from '../content/dates.ts';
import type { Delivery } from '../storage/ports.ts';
import { ErrCode } from '../wecom/errcodes.ts';
import { UNCERTAIN_TEXT } from './broadcaster.ts';
import { failureText } from './delivery-failure.ts';

/**
 * A delivery as an admin reads it in 推送状态: what happened, in words. The read model between the ledger and the
 * office's chat commands: it is the one place that reads WeCom's errcodes for them, so handlers know no protocol.
 */
export function deliveryStatusText(d: Delivery | undefined, due: boolean, now: number): string {
  if (!d) return due ? '未发送' : '无相关活动，不推送';
  if (d.status === 'sent') return `已发送（${formatShanghaiTime(d.sentAt ?? d.updatedAt)}${d.forcedResends ? `，人工重发 ${d.forcedResends} 次` : ''}）`;
  const error = `${failureText(d)}，已尝试 ${d.attempts} 次`;
  if (d.status === 'failed' && d.maybeDelivered) return UNCERTAIN_TEXT;
  if (d.status === 'failed' && (d.retryUntil ?? 0) > now) return `暂未发出，将自动重试至 ${formatShanghaiTime(d.retryUntil!)}（${error}）`;
  if (d.status === 'failed' && d.errcode === ErrCode.ChatNotFound) {
    return `发送失败：企业微信找不到这个群聊（错误码 ${ErrCode.ChatNotFound}）。应用群聊只能发到本应用创建的群；已有的群请在群里添加群机器人，改用它的 key（content/targets.yaml 的 robot.keyEnv）`;
  }
  if (d.status === 'failed') return `发送失败（${error}）。可发送“补发本周推送”重试`;
  return `发送中（已尝试 ${d.attempts} 次${d.errcode !== undefined || d.errmsg ? `，上次：${failureText(d)}` : ''}）`;
}

/** A reminder or reply that gave up, in words: it may have gone out, or why it did not. */
export function gaveUpText(d: Delivery): string {
  return d.maybeDelivered ? '可能已发出（发送时服务中断）' : `未能发出（${failureText(d)}）`;
}
