import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The published WeCom crypto vectors vendored in test/fixtures (see its README). */
export interface Vector {
  id: string;
  kind: 'verify_url' | 'decrypt_post' | 'encrypt_reply' | 'aes_encrypt';
  inputs: Record<string, string>;
  expected: { plaintext?: string; error?: string; encrypt?: string; msg_signature?: string; reply_xml?: string; fields?: Record<string, string> };
}

const path = fileURLToPath(new URL('../fixtures/wecom-crypto.json', import.meta.url));
export const vectors: Vector[] = JSON.parse(readFileSync(path, 'utf8')).vectors;
export const byKind = (kind: Vector['kind']) => vectors.filter((v) => v.kind === kind);
