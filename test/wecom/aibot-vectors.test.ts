import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/clock.ts';
import { AibotCodec } from '../../src/wecom/aibot/codec.ts';

/**
 * Known answers for the 智能机器人's JSON envelope, built by an independent implementation (Python's hashlib and the
 * openssl command line; scripts/make-aibot-vectors.py): our codec must open and verify each message as WeCom would
 * send it, and seal each reply to the very same ciphertext and signature given the same random bytes.
 */
interface Vectors {
  token: string;
  encodingAesKey: string;
  inbound: Array<{ name: string; query: Record<string, string>; body: string; plaintext: string }>;
  replies: Array<{ name: string; plaintext: string; random_hex: string; timestamp: string; nonce: string; encrypt: string; msgsignature: string }>;
}
const v: Vectors = JSON.parse(readFileSync(fileURLToPath(new URL('../fixtures/aibot-vectors.json', import.meta.url)), 'utf8'));

const codecAt = (timestamp: string, random?: Buffer) =>
  new AibotCodec({
    token: v.token,
    encodingAesKey: v.encodingAesKey,
    clock: new ManualClock(Number(timestamp) * 1000),
    timestampWindowSec: 300,
    ...(random ? { random: (n: number) => random.subarray(0, n) } : {}),
  });

describe('智能机器人 envelope: known answers from an independent implementation', () => {
  for (const m of v.inbound) {
    it(`opens: ${m.name}`, () => {
      expect(codecAt(m.query.timestamp!).openMessage(m.query, m.body)).toBe(m.plaintext);
      // One changed character of the signature is refused.
      const bad = { ...m.query, msg_signature: m.query.msg_signature!.replace(/^./, (c) => (c === 'a' ? 'b' : 'a')) };
      expect(() => codecAt(m.query.timestamp!).openMessage(bad, m.body)).toThrow(/msg_signature/);
    });
  }
  for (const r of v.replies) {
    it(`seals: ${r.name}`, () => {
      const sealed = JSON.parse(
        codecAt(r.timestamp, Buffer.from(r.random_hex, 'hex')).sealReply(JSON.parse(r.plaintext), { timestamp: r.timestamp, nonce: r.nonce }),
      );
      expect(sealed).toEqual({ encrypt: r.encrypt, msgsignature: r.msgsignature, timestamp: r.timestamp, nonce: r.nonce });
    });
  }
});
