import { buildXml, parseXmlDocument, textField } from './xml.ts';
import type { CallbackCodec } from './callback-codec.ts';

/**
 * The WeCom side of the callback protocol: builds encrypted, signed callbacks exactly as WeCom sends them
 * and opens the passive replies. The local chat page, the `ask` CLI, tests and benchmarks all reach the bot
 * through this, so they exercise the real callback path rather than going around it.
 */
export type PostCallback = (query: Record<string, string>, body: string) => Promise<{ status: number; body: string }>;

export interface SentCallback {
  status: number;
  /** The decrypted passive reply text, if the service answered passively. */
  passiveReply?: string;
}

export class CallbackSender {
  #seq = 0;
  readonly #seqBase = Math.floor(Math.random() * 1_000_000);

  constructor(
    private readonly codec: CallbackCodec,
    private readonly corpId: string,
    private readonly agentId: string,
    private readonly post: PostCallback,
    private readonly now: () => number = Date.now,
  ) {}

  /** Sends a text message from a user. */
  sendText(userId: string, content: string, msgId = this.nextMsgId()): Promise<SentCallback> {
    return this.sendXml(this.textXml(userId, content, msgId));
  }

  /** Sends an image message from a user, as WeCom does after taking the picture as temporary media (`mediaId`). */
  sendImage(userId: string, mediaId: string, picUrl = '', msgId = this.nextMsgId()): Promise<SentCallback> {
    const xml = buildXml({
      ToUserName: this.corpId,
      FromUserName: userId,
      CreateTime: Math.floor(this.now() / 1000),
      MsgType: 'image',
      PicUrl: picUrl,
      MediaId: mediaId,
      MsgId: msgId,
      AgentID: Number(this.agentId),
    });
    return this.sendXml(xml);
  }

  /** Sends an event (enter_agent, click …) from a user. */
  sendEvent(userId: string, event: string, eventKey = ''): Promise<SentCallback> {
    const xml = buildXml({
      ToUserName: this.corpId,
      FromUserName: userId,
      CreateTime: Math.floor(this.now() / 1000),
      MsgType: 'event',
      Event: event,
      EventKey: eventKey,
      AgentID: Number(this.agentId),
    });
    return this.sendXml(xml);
  }

  textXml(userId: string, content: string, msgId = this.nextMsgId()): string {
    return buildXml({
      ToUserName: this.corpId,
      FromUserName: userId,
      CreateTime: Math.floor(this.now() / 1000),
      MsgType: 'text',
      Content: content,
      MsgId: msgId,
      AgentID: Number(this.agentId),
    });
  }

  /** Encrypts and posts any inner XML; decrypts a passive reply if there is one. */
  async sendXml(innerXml: string): Promise<SentCallback> {
    const { query, body } = this.codec.sealInbound(innerXml, this.agentId);
    const res = await this.post(query, body);
    if (res.status !== 200 || !res.body) return { status: res.status };
    const replyXml = this.codec.openReply(res.body);
    const content = textField(parseXmlDocument(replyXml), 'Content');
    return { status: res.status, ...(content !== undefined ? { passiveReply: content } : {}) };
  }

  /** A fresh 64-bit-looking MsgId (kept as a string, as WeCom's are). */
  nextMsgId(): string {
    // A random start per sender: a restarted service's sender (tests, the chat page) on a clock at the same moment must
    // not hand out the MsgIds the previous one did; WeCom's are unique, and forms remember them (issue 23).
    return (BigInt(this.now()) * 1_000_000n + BigInt((this.#seqBase + ++this.#seq) % 1_000_000)).toString();
  }
}
