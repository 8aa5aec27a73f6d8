import { randomUUID } from 'node:crypto';
import type { PostCallback } from '../callback-sender.ts';
import type { AibotCodec } from './codec.ts';

/**
 * The WeCom side of the 智能机器人's callback, as WeCom behaves: an @-mention in a group is sent encrypted, and an
 * unfinished stream is refreshed until it finishes (WeCom polls for up to 6 minutes; here `maxWaitMs`). The local
 * chat page reaches the robot through this, so it exercises the real route.
 */
export interface GroupAnswer {
  status: number;
  /** The stream's text as the group would show it at the end. */
  text: string;
  finished: boolean;
}

export class AibotSender {
  constructor(
    private readonly codec: AibotCodec,
    private readonly post: PostCallback,
    private readonly responseUrl: (msgid: string) => string,
    private readonly sleep: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms)),
  ) {}

  /** "@学习助手 text" from `userId` in the group `chatId`. */
  async mention(userId: string, chatId: string, text: string, maxWaitMs = 10_000): Promise<GroupAnswer> {
    const msgid = randomUUID();
    const content = text.trimStart().startsWith('@') ? text : `@学习助手 ${text}`;
    const message = {
      msgid,
      aibotid: 'local-aibot',
      chatid: chatId,
      chattype: 'group',
      from: { userid: userId },
      response_url: this.responseUrl(msgid),
      msgtype: 'text',
      text: { content },
    };
    let frame = await this.#send(message);
    const deadline = Date.now() + maxWaitMs;
    while (frame.stream && !frame.stream.finish && Date.now() < deadline) {
      await this.sleep(300);
      frame = await this.#send({
        msgid: randomUUID(),
        aibotid: 'local-aibot',
        chatid: chatId,
        chattype: 'group',
        from: { userid: userId },
        msgtype: 'stream',
        stream: { id: frame.stream.id },
      });
    }
    return { status: frame.status, text: frame.stream?.content ?? '', finished: frame.stream?.finish ?? true };
  }

  async #send(message: object): Promise<{ status: number; stream?: { id: string; finish: boolean; content: string } }> {
    const { query, body } = this.codec.sealInbound(message);
    const res = await this.post(query, body);
    if (res.status !== 200 || !res.body) return { status: res.status };
    const reply = this.codec.openReply(res.body) as { stream?: { id: string; finish: boolean; content: string } };
    return { status: res.status, ...(reply.stream ? { stream: reply.stream } : {}) };
  }
}
