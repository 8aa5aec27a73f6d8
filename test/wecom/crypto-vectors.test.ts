import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/clock.ts';
import { CallbackError } from '../../src/errors.ts';
import { WeComCipher } from '../../src/wecom/cipher.ts';
import { CallbackCodec } from '../../src/wecom/callback-codec.ts';
import { parseInboundMessage } from '../../src/wecom/messages.ts';
import { signMessage } from '../../src/wecom/signature.ts';
import { byKind, vectors, type Vector } from '../helpers/vectors.ts';

const codecFor = (v: Vector) =>
  new CallbackCodec({
    token: v.inputs.token!,
    encodingAesKey: v.inputs.encoding_aes_key!,
    corpId: v.inputs.receive_id!,
    clock: new ManualClock(Number(v.inputs.timestamp) * 1000),
    timestampWindowSec: 300,
    random: (n) => Buffer.from((v.inputs.random_prefix ?? '').padEnd(n, '0').slice(0, n)),
  });

describe('published WeCom crypto vectors', () => {
  it('has all 14 vectors', () => expect(vectors).toHaveLength(14));

  for (const v of byKind('verify_url')) {
    it(`GET verification: ${v.id}`, () => {
      const query = { msg_signature: v.inputs.msg_signature, timestamp: v.inputs.timestamp, nonce: v.inputs.nonce, echostr: v.inputs.echostr };
      if (v.expected.error === 'signature') {
        expect(() => codecFor(v).verifyUrl(query)).toThrowError(expect.objectContaining({ code: 'bad_signature' }));
      } else {
        expect(codecFor(v).verifyUrl(query)).toBe(v.expected.plaintext);
      }
    });
  }

  for (const v of byKind('decrypt_post')) {
    it(`POST decryption: ${v.id}`, () => {
      const query = { msg_signature: v.inputs.msg_signature, timestamp: v.inputs.timestamp, nonce: v.inputs.nonce };
      const open = () => codecFor(v).openMessage(query, v.inputs.body!);
      if (v.expected.error) {
        expect(open).toThrowError(CallbackError);
        return;
      }
      const inner = open();
      expect(inner).toBe(v.expected.plaintext);
      const msg = parseInboundMessage(inner);
      for (const [field, value] of Object.entries(v.expected.fields ?? {})) expect(msg.raw[field]).toBe(value);
    });
  }

  for (const v of byKind('encrypt_reply')) {
    it(`passive reply encryption: ${v.id}`, () => {
      const cipher = new WeComCipher(v.inputs.encoding_aes_key!, v.inputs.receive_id!);
      const encrypt = cipher.encrypt(v.inputs.plaintext!, Buffer.from(v.inputs.random_prefix!));
      expect(encrypt).toBe(v.expected.encrypt);
      expect(signMessage(v.inputs.token!, v.inputs.timestamp!, v.inputs.nonce!, encrypt)).toBe(v.expected.msg_signature);
      const envelope = codecFor(v).sealReply(v.inputs.plaintext!, v.inputs.timestamp, v.inputs.nonce);
      expect(envelope).toContain(`<Encrypt><![CDATA[${v.expected.encrypt}]]></Encrypt>`);
      expect(envelope).toContain(`<MsgSignature><![CDATA[${v.expected.msg_signature}]]></MsgSignature>`);
      expect(codecFor(v).openReply(envelope)).toBe(v.inputs.plaintext);
    });
  }

  for (const v of byKind('aes_encrypt')) {
    it(`AES encryption (Chinese text, byte lengths): ${v.id}`, () => {
      const cipher = new WeComCipher(v.inputs.encoding_aes_key!, v.inputs.receive_id!);
      expect(cipher.encrypt(v.inputs.plaintext!, Buffer.from(v.inputs.random_prefix!))).toBe(v.expected.encrypt);
      expect(cipher.decrypt(v.expected.encrypt!).message).toBe(v.inputs.plaintext);
    });
  }
});
