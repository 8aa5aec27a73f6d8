import { timingSafeEqual } from 'node:crypto';
import { getSignature } from '@wecom/crypto';

/** msg_signature = sha1 hex of [token, timestamp, nonce, encrypt] sorted and joined (WeCom doc 91144). */
export function signMessage(token: string, timestamp: string, nonce: string, encrypt: string): string {
  return getSignature(token, timestamp, nonce, encrypt);
}

/** Constant-time check of a msg_signature, so timing does not reveal how much of it matched. */
export function verifyMessageSignature(token: string, timestamp: string, nonce: string, encrypt: string, signature: string): boolean {
  const expected = Buffer.from(signMessage(token, timestamp, nonce, encrypt), 'latin1');
  const given = Buffer.from(signature.toLowerCase(), 'latin1');
  return given.length === expected.length && timingSafeEqual(given, expected);
}
