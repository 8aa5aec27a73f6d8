import type { Reply } from '../bot/context.ts';
import type { OutboundPart } from '../storage/ports.ts';
import { splitUtf8, utf8Length } from '../utf8-text.ts';
import { TEXT_LIMIT_BYTES } from './limits.ts';
import { buildXml } from './xml.ts';

/** A passive text reply's plaintext XML (doc 96238): encrypted by the codec before it leaves. */
export function passiveTextXml(toUser: string, corpId: string, createTime: number, content: string): string {
  return buildXml({ ToUserName: toUser, FromUserName: corpId, CreateTime: createTime, MsgType: 'text', Content: content });
}

/** WeCom can answer passively only with one text (no markdown) of at most 2048 bytes. */
export function fitsPassiveReply(replies: readonly Reply[]): replies is [string] {
  return replies.length === 1 && typeof replies[0] === 'string' && utf8Length(replies[0]) <= TEXT_LIMIT_BYTES;
}

/** A reply as outbox parts for message/send: markdown or text, split at WeCom's byte limit on character boundaries. */
export function replyParts(reply: Reply): OutboundPart[] {
  const markdown = typeof reply !== 'string';
  return splitUtf8(markdown ? reply.markdown : reply, TEXT_LIMIT_BYTES).map((part) =>
    markdown ? { msgtype: 'markdown', markdown: { content: part } } : { msgtype: 'text', text: { content: part } },
  );
}
