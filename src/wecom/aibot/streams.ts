import { utf8Length } from '../../utf8-text.ts';

/**
 * The 智能机器人's open stream replies, kept in this process between WeCom's refresh calls (issue 23: streams were
 * never freed and had no size limit; 27 long answers took the heap from 58 to 348 MB). Each stream is bounded:
 * - in time: WeCom refreshes a stream for at most 6 minutes after the user's message (docs 100719, 101031); after
 *   that window nobody can ask for it, so it is freed (swept on the next callback, oldest first);
 * - in size: its text stops growing at `maxBytes` (what one frame plus one response_url message can carry), and once
 *   finished only the finished frame's text is kept, the rest having gone to response_url;
 * - in number: at most `maxStreams` at once; when full, finished streams whose frame WeCom already got go first, and
 *   if none can go the caller answers through response_url instead of opening a stream.
 * A refresh is answered only for the stream's own user in its own chat: a stream id is not a bearer token.
 * With a shared store (PostgreSQL) the transport also writes each stream's latest frame there (issue 22), so a refresh
 * that lands on another instance is answered too; the registry tells it which streams it freed, so their frames go too.
 */
export interface Stream {
  id: string;
  /** Who asked, and where: a refresh from anyone else is not given the answer. */
  userId: string;
  chat: string;
  text: string;
  /** UTF-8 bytes of `text` (kept, so appending is linear in the reply, not in the whole text). */
  bytes: number;
  /** Text was dropped at the size bound: the reader is told the answer was cut. */
  cut: boolean;
  done: boolean;
  /** How much of `text` WeCom has been shown in frames (the rest goes to response_url). */
  shown: number;
  startedAt: number;
  /** The finished frame went to WeCom at least once. */
  served: boolean;
  responseUrl: string | undefined;
  /** The response_url was used (it takes one message). */
  responded: boolean;
  /** No place was free for it: its whole answer goes to response_url when ready. */
  late?: boolean;
  /** It has a place in the registry (WeCom was given its id): its frames are shared when the store is. */
  open?: boolean;
  /** Writes of its frame to the shared store, one after another (the last write is the latest frame). */
  sharing?: Promise<void>;
  /** The frame last written there (a reply that changes nothing in the frame, one past its size, writes nothing). */
  shared?: { content: string; done: boolean };
}

/** WeCom stops refreshing a stream 6 minutes after the user's message. */
export const STREAM_WINDOW_MS = 6 * 60_000;

export function newStream(id: string, userId: string, chat: string, startedAt: number, responseUrl: string | undefined): Stream {
  return { id, userId, chat, text: '', bytes: 0, cut: false, done: false, shown: 0, startedAt, served: false, responseUrl, responded: false };
}

/** Adds a reply to the stream's text, up to `maxBytes`; what does not fit is dropped and the stream marked cut. */
export function appendReply(stream: Stream, reply: string, maxBytes: number): void {
  if (stream.cut) return;
  const piece = stream.text ? `\n\n${reply}` : reply;
  const n = utf8Length(piece);
  if (stream.bytes + n <= maxBytes) {
    stream.text += piece;
    stream.bytes += n;
    return;
  }
  let room = maxBytes - stream.bytes;
  let end = 0;
  for (const ch of piece) {
    const b = utf8Length(ch);
    if (b > room) break;
    room -= b;
    end += ch.length;
  }
  stream.text += piece.slice(0, end);
  stream.bytes = maxBytes - room;
  stream.cut = true;
}

export class StreamRegistry {
  readonly #streams = new Map<string, Stream>();

  constructor(
    private readonly maxStreams: number,
    /** Told of a stream made way for a new one (its shared frame goes too). */
    private readonly onEvict?: (stream: Stream) => void,
  ) {}

  get size(): number {
    return this.#streams.size;
  }

  /** The stream, only for its own user and chat (undefined otherwise, as for one that never was). */
  get(id: string, userId: string, chat: string): Stream | undefined {
    const s = this.#streams.get(id);
    return s && s.userId === userId && s.chat === chat ? s : undefined;
  }

  /** Keeps a stream; false when every place is taken by a stream still needed (the caller uses response_url). */
  add(stream: Stream, now: number): boolean {
    this.sweep(now);
    if (this.#streams.size >= this.maxStreams) {
      for (const [id, s] of this.#streams) {
        if (s.done && s.served) {
          this.#streams.delete(id);
          this.onEvict?.(s);
          break;
        }
      }
    }
    if (this.#streams.size >= this.maxStreams) return false;
    this.#streams.set(stream.id, stream);
    return true;
  }

  /**
   * Frees the streams whose refresh window has passed, and says how many. Insertion order is age order: stops at the
   * first young one.
   */
  sweep(now: number): number {
    let freed = 0;
    for (const [id, s] of this.#streams) {
      if (now - s.startedAt < STREAM_WINDOW_MS) break;
      this.#streams.delete(id);
      freed++;
    }
    return freed;
  }
}
