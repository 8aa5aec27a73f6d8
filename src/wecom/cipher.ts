import { createDecipheriv } from 'node:crypto';
import { encrypt as wecomEncrypt } from '@wecom/crypto';
import { BadAesKeyError, CallbackError } from '../errors.ts';

/**
 * The AES layer of WeCom's callback protocol (doc 91144): AES-256-CBC, key = base64(EncodingAESKey + "="),
 * IV = key[0..16), plaintext = 16 random bytes + uint32 BE byte length + message + receive id,
 * PKCS#7-padded to 32-byte blocks.
 *
 * Encryption is @wecom/crypto's. Decryption is strict and ours: the library's decrypt neither validates the
 * padding nor bounds-checks the length field nor checks the receive id, and a callback endpoint on the
 * internet has to reject all of those with a clear error.
 */
const BLOCK = 32;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

export interface Decrypted {
  message: string;
  receiveId: string;
}

export class WeComCipher {
  readonly #encodingAesKey: string;
  readonly #key: Buffer;
  readonly #receiveId: string;

  constructor(encodingAesKey: string, receiveId: string) {
    const key = Buffer.from(`${encodingAesKey}=`, 'base64');
    if (encodingAesKey.length !== 43 || key.length !== 32) throw new BadAesKeyError();
    this.#encodingAesKey = encodingAesKey;
    this.#key = key;
    this.#receiveId = receiveId;
  }

  /** Encrypts a message for our receive id; `random` (16 bytes) is injectable for known-answer tests. */
  encrypt(message: string, random?: Buffer): string {
    return wecomEncrypt(this.#encodingAesKey, message, this.#receiveId, random);
  }

  /** Decrypts and checks everything: base64, block size, padding, length field, receive id. */
  decrypt(encrypted: string): Decrypted {
    if (!BASE64.test(encrypted) || encrypted.length % 4 !== 0) {
      throw new CallbackError('bad_base64', 'Encrypt is not valid base64');
    }
    const data = Buffer.from(encrypted, 'base64');
    if (data.length === 0 || data.length % BLOCK !== 0) {
      throw new CallbackError('bad_ciphertext', 'ciphertext length is not a multiple of 32 bytes');
    }
    const decipher = createDecipheriv('aes-256-cbc', this.#key, this.#key.subarray(0, 16));
    decipher.setAutoPadding(false);
    const plain = Buffer.concat([decipher.update(data), decipher.final()]);

    const pad = plain[plain.length - 1]!;
    if (pad < 1 || pad > BLOCK) throw new CallbackError('bad_padding', 'invalid PKCS#7 padding');
    for (let i = plain.length - pad; i < plain.length; i++) {
      if (plain[i] !== pad) throw new CallbackError('bad_padding', 'invalid PKCS#7 padding');
    }
    const content = plain.subarray(0, plain.length - pad);
    if (content.length < 20) throw new CallbackError('bad_ciphertext', 'plaintext too short');
    const length = content.readUInt32BE(16);
    if (length > content.length - 20) throw new CallbackError('bad_ciphertext', 'length field exceeds plaintext');
    const message = content.subarray(20, 20 + length).toString('utf8');
    const receiveId = content.subarray(20 + length).toString('utf8');
    if (receiveId !== this.#receiveId) throw new CallbackError('bad_receive_id', 'receive id does not match our corp id');
    return { message, receiveId };
  }
}
