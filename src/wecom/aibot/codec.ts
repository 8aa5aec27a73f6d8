import type { Clock } from '../../clock.ts';
import { CallbackError } from '../../errors.ts';
import { CallbackCodec, type CallbackQuery } from '../callback-codec.ts';

/**
 * The 智能机器人's envelope (docs 101033, 100719, 101031): the app callback's signature and AES, with the receive id
 * "" and JSON instead of XML. In: `{"encrypt": "…"}`; out: `{"encrypt","msgsignature","timestamp","nonce"}` (no
 * underscore in msgsignature, unlike the query parameter).
 */
export class AibotCodec {
  readonly #codec: CallbackCodec;

  constructor(options: { token: string; encodingAesKey: string; clock: Clock; timestampWindowSec: number; random?: (n: number) => Buffer }) {
    this.#codec = new CallbackCodec({ ...options, corpId: '', receiveId: '' });
  }

  /** GET verification: the echostr's plaintext, answered raw. */
  verifyUrl(query: CallbackQuery): string {
    return this.#codec.verifyUrl(query);
  }

  /** POST: checks and decrypts the body; returns the inner JSON text. */
  openMessage(query: CallbackQuery, body: string): string {
    let encrypt: unknown;
    try {
      encrypt = (JSON.parse(body) as { encrypt?: unknown } | null)?.encrypt;
    } catch {
      throw new CallbackError('bad_json', 'body is not JSON');
    }
    if (typeof encrypt !== 'string' || !encrypt) throw new CallbackError('bad_json', 'encrypt is missing');
    return this.#codec.openSigned(query, encrypt.trim());
  }

  /** Encrypts and signs a passive reply (a JSON object). */
  sealReply(reply: object, at?: { timestamp: string; nonce: string }): string {
    const { encrypt, signature, timestamp, nonce } = this.#codec.seal(JSON.stringify(reply), at?.timestamp, at?.nonce);
    return JSON.stringify({ encrypt, msgsignature: signature, timestamp, nonce });
  }

  /** The other side of sealReply: what WeCom reads out of our answer (tests and the local chat page). */
  openReply(envelope: string): unknown {
    const e = JSON.parse(envelope) as { encrypt: string; msgsignature: string; timestamp: string; nonce: string };
    return JSON.parse(this.#codec.openWith({ signature: e.msgsignature, timestamp: e.timestamp, nonce: e.nonce }, e.encrypt));
  }

  /** A callback POST exactly as WeCom sends it (tests, the local chat page). */
  sealInbound(message: object): { query: Record<string, string>; body: string } {
    const { encrypt, signature, timestamp, nonce } = this.#codec.seal(JSON.stringify(message));
    return { query: { msg_signature: signature, timestamp, nonce }, body: JSON.stringify({ encrypt }) };
  }

  /** A URL-verification GET as WeCom sends it. */
  sealEcho(echo: string): Record<string, string> {
    const { encrypt, signature, timestamp, nonce } = this.#codec.seal(echo);
    return { msg_signature: signature, timestamp, nonce, echostr: encrypt };
  }
}
