import { randomFillSync } from 'node:crypto';
import type { Clock } from '../clock.ts';
import { CallbackError } from '../errors.ts';
import { WeComCipher } from './cipher.ts';
import { signMessage, verifyMessageSignature } from './signature.ts';
import { buildXml, parseXmlDocument, textField } from './xml.ts';

/**
 * The envelope layer of the callback protocol: query parameters + outer XML ⇄ inner plaintext.
 * Order of checks: parameters → timestamp window → signature → decryption (padding, receive id).
 * The signature is checked before any decryption so unauthenticated input never reaches AES.
 */
export interface CallbackQuery {
  msg_signature?: unknown;
  timestamp?: unknown;
  nonce?: unknown;
  echostr?: unknown;
}

export interface CallbackCodecOptions {
  token: string;
  encodingAesKey: string;
  corpId: string;
  /** The receive id inside every encrypted message: the corp id for a self-built app (default), "" for a 智能机器人. */
  receiveId?: string;
  clock: Clock;
  /** Accepted difference between the request's timestamp and our clock, seconds. */
  timestampWindowSec: number;
  random?: (n: number) => Buffer;
}

interface SignedParams {
  signature: string;
  timestamp: string;
  nonce: string;
}

export class CallbackCodec {
  readonly #o: CallbackCodecOptions;
  readonly #cipher: WeComCipher;
  readonly #random: (n: number) => Buffer;

  constructor(options: CallbackCodecOptions) {
    this.#o = options;
    this.#cipher = new WeComCipher(options.encodingAesKey, options.receiveId ?? options.corpId);
    this.#random = options.random ?? pooledRandomBytes;
  }

  /** GET verification: returns the echostr plaintext to answer raw. */
  verifyUrl(query: CallbackQuery): string {
    const p = this.#signedParams(query);
    // A "+" in an unencoded echostr arrives as a space after URL decoding; base64 never has spaces.
    const echostr = typeof query.echostr === 'string' ? query.echostr.replaceAll(' ', '+') : '';
    if (!echostr) throw new CallbackError('missing_params', 'echostr is required');
    this.#checkSignature(p, echostr);
    return this.#cipher.decrypt(echostr).message;
  }

  /** POST: verifies and decrypts the body, returns the inner message XML. */
  openMessage(query: CallbackQuery, body: string): string {
    const p = this.#signedParams(query);
    const outer = parseXmlDocument(body);
    const encrypted = textField(outer, 'Encrypt')?.trim();
    if (!encrypted) throw new CallbackError('bad_xml', 'Encrypt element is missing');
    return this.openWith(p, encrypted);
  }

  /** Checks the query's parameters and signature over `encrypted`, then decrypts it: any envelope's inner text. */
  openSigned(query: CallbackQuery, encrypted: string): string {
    const p = this.#signedParams(query);
    this.#checkSignature(p, encrypted);
    return this.#cipher.decrypt(encrypted).message;
  }

  /** Encrypts and signs a plaintext: the parts every envelope (XML or JSON) is made of. */
  seal(plaintext: string, timestamp = this.#nowSeconds(), nonce = this.#nonce()): { encrypt: string; signature: string; timestamp: string; nonce: string } {
    const encrypt = this.#cipher.encrypt(plaintext, this.#random(16));
    return { encrypt, signature: signMessage(this.#o.token, timestamp, nonce, encrypt), timestamp, nonce };
  }

  /** Checks a signature over `encrypted` with the given timestamp and nonce (a reply's envelope), then decrypts. */
  openWith(p: { signature: string; timestamp: string; nonce: string }, encrypted: string): string {
    this.#checkSignature(p, encrypted);
    return this.#cipher.decrypt(encrypted).message;
  }

  /** Encrypts and signs a passive reply. */
  sealReply(replyXml: string, timestamp = this.#nowSeconds(), nonce = this.#nonce()): string {
    const { encrypt, signature } = this.seal(replyXml, timestamp, nonce);
    return buildXml({ Encrypt: encrypt, MsgSignature: signature, TimeStamp: timestamp, Nonce: nonce });
  }

  /** Decrypts a passive reply envelope (the other side of sealReply; used by the local chat page and tests). */
  openReply(envelopeXml: string): string {
    const doc = parseXmlDocument(envelopeXml);
    const encrypt = textField(doc, 'Encrypt') ?? '';
    const p = { signature: textField(doc, 'MsgSignature') ?? '', timestamp: textField(doc, 'TimeStamp') ?? '', nonce: textField(doc, 'Nonce') ?? '' };
    return this.openWith(p, encrypt);
  }

  /** Builds a callback POST exactly as WeCom would send it (for the local simulator, the CLI and tests). */
  sealInbound(innerXml: string, agentId: string): { query: Record<string, string>; body: string } {
    const { encrypt, signature, timestamp, nonce } = this.seal(innerXml);
    const body = buildXml({ ToUserName: this.#o.corpId, Encrypt: encrypt, AgentID: agentId });
    return { query: { msg_signature: signature, timestamp, nonce }, body };
  }

  #signedParams(query: CallbackQuery): SignedParams {
    const { msg_signature: signature, timestamp, nonce } = query;
    if (typeof signature !== 'string' || typeof timestamp !== 'string' || typeof nonce !== 'string' || !signature || !timestamp || !nonce) {
      throw new CallbackError('missing_params', 'msg_signature, timestamp and nonce are required');
    }
    if (!/^\d{1,12}$/.test(timestamp)) throw new CallbackError('stale_timestamp', 'timestamp is not a number');
    const skew = Math.abs(Number(timestamp) - this.#o.clock.now() / 1000);
    if (skew > this.#o.timestampWindowSec) throw new CallbackError('stale_timestamp', 'timestamp outside the accepted window');
    return { signature, timestamp, nonce };
  }

  #checkSignature(p: SignedParams, encrypt: string): void {
    if (!verifyMessageSignature(this.#o.token, p.timestamp, p.nonce, encrypt, p.signature)) {
      throw new CallbackError('bad_signature', 'msg_signature does not match');
    }
  }

  #nowSeconds(): string {
    return String(Math.floor(this.#o.clock.now() / 1000));
  }

  #nonce(): string {
    return String(this.#random(4).readUInt32BE(0));
  }
}

/**
 * Random bytes for IV prefixes and nonces, drawn from a pool refilled 4 KiB at a time: one crypto call per
 * ~200 replies instead of two per reply (each synchronous call costs ~8 µs on the callback's hot path).
 */
const pool = Buffer.alloc(4096);
let poolOffset = pool.length;
function pooledRandomBytes(n: number): Buffer {
  if (poolOffset + n > pool.length) {
    randomFillSync(pool);
    poolOffset = 0;
  }
  const out = Buffer.from(pool.subarray(poolOffset, poolOffset + n));
  poolOffset += n;
  return out;
}
