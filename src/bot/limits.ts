import type { Reply } from './context.ts';
import { fitBytes, splitUtf8, utf8Length } from '../utf8-text.ts';

/**
 * How much work one incoming message may cause, whatever handler takes it and whichever channel it came through
 * (the app's XML callback or the 智能机器人). The policy is written up in docs/reliability.md ("Bounded work per
 * message"). Without it "第1-10条，" written 300 times (3.9 KB) made 600 message/send calls to one user, and
 * 15.6 KB made 4,000.
 *
 * - `maxTextChars`: longer texts are not handled at all; the sender is asked to split the message. It keeps the
 *   handlers' work per message bounded (their parsing is linear in the length, but 64 KB of it is still a lot).
 * - `maxQuestions`: a message of several questions gets the first ones answered and one note on the rest
 *   (handlers/multi-question.ts).
 * - `maxReplyParts` / `maxReplyBytes`: every reply of one message together. A part is one message the channel
 *   sends: one message/send call on the app channel (2,048 bytes each), one reply in the 智能机器人's stream. What
 *   does not fit is cut, and the last part says so. Enforced by the bot core on `ctx.reply`, so no handler can go past it.
 */
export interface MessageLimits {
  maxTextChars: number;
  maxQuestions: number;
  maxReplyParts: number;
  maxReplyBytes: number;
}

export const MESSAGE_LIMITS: MessageLimits = Object.freeze({
  // A secretary's summary may be long, but it is written over several messages (then 完成); 4,000 characters is two
  // pages of Chinese text.
  maxTextChars: 4000,
  maxQuestions: 5,
  // 预览本周推送 sends one message per target (four in the seed content); ten leaves room for more groups.
  maxReplyParts: 10,
  // Within one 智能机器人 stream frame (20,480 bytes) with room for the separators between replies.
  maxReplyBytes: 16_384,
});

export const CUT_NOTE = '（回复内容较多，其余部分已省略。请把问题拆开，一次少问几条。）';

/** The polite answer to a text over `maxTextChars`; nothing else is done with it. */
export function tooLongReply(chars: number, limits: MessageLimits): string {
  return `抱歉，这条消息有 ${chars} 个字，超过了单条 ${limits.maxTextChars} 字的上限，我没有处理。请分成几条发送（填写记录时，小结可以分几条发，最后发“完成”）。`;
}

/** Bytes kept back for the closing note (and one part for it), so a cut can always be said. */
const NOTE_RESERVE_BYTES = 512;

/**
 * The replies of one message, counted against the limits. `admit` says what of a reply may go: all of it, the
 * part that still fits (then the budget is spent), or nothing. One part and `NOTE_RESERVE_BYTES` are kept back for
 * the closing note (`closing`), which says that something was cut, or what the handler wants said last.
 */
export class ReplyBudget {
  #parts = 0;
  #bytes = 0;
  #cut = false;
  /** Replies dropped after the cut, for the log. */
  dropped = 0;

  /** `partBytes`: how much one message of the channel holds; without it a reply is one part however long. */
  constructor(
    private readonly limits: MessageLimits,
    private readonly partBytes: number | undefined,
  ) {}

  get cut(): boolean {
    return this.#cut;
  }

  get parts(): number {
    return this.#parts;
  }

  admit(reply: Reply): Reply[] {
    if (this.#cut) {
      this.dropped++;
      return [];
    }
    const text = typeof reply === 'string' ? reply : reply.markdown;
    const bytes = utf8Length(text);
    const pieces = this.partBytes && bytes > this.partBytes ? splitUtf8(text, this.partBytes) : [text];
    const maxParts = this.limits.maxReplyParts - 1;
    let room = this.limits.maxReplyBytes - NOTE_RESERVE_BYTES - this.#bytes;
    if (this.#parts + pieces.length <= maxParts && bytes <= room) {
      this.#parts += pieces.length;
      this.#bytes += bytes;
      return [reply];
    }
    // The reply that does not fit: what still fits, each piece a part of its own (so the channel cannot split it
    // into more parts than counted), then nothing more.
    this.#cut = true;
    const out: string[] = [];
    for (const piece of pieces) {
      if (this.#parts + out.length >= maxParts || room <= 0) break;
      const fitted = fitBytes(piece, room);
      if (!fitted) break;
      out.push(fitted);
      room -= utf8Length(fitted);
      if (fitted.length < piece.length) break;
    }
    this.#parts += out.length;
    this.#bytes = this.limits.maxReplyBytes - NOTE_RESERVE_BYTES - room;
    return out.map((t) => (typeof reply === 'string' ? t : { markdown: t }));
  }

  /** What goes last: the handler's closing note, or the cut note when something was cut; within the reserve. */
  closing(note: string | undefined): string | undefined {
    const last = note ?? (this.#cut ? CUT_NOTE : undefined);
    if (last === undefined) return undefined;
    this.#parts++;
    return fitBytes(last, Math.min(NOTE_RESERVE_BYTES, this.partBytes ?? NOTE_RESERVE_BYTES));
  }
}
