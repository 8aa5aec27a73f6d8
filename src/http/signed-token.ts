import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Short signed tokens for the status page: base64url(JSON {u: userId, exp: ms, k, n}) "." base64url(HMAC-SHA256).
 * Bound to one user, expiring; verified in constant time. Parsed strictly: exactly two parts, each canonical
 * base64url (no padding, no other characters, no trailing bits), so one token has exactly one spelling and appended
 * junk is refused.
 */
export interface TokenClaims {
  u: string;
  exp: number;
  /** "link" (from the chat, 15 min) or "session" (the page's cookie). */
  k: 'link' | 'session';
  /** A random id: a link is used once (its id is remembered), a session can be ended (退出). */
  n?: string;
}

export function signToken(secret: string, claims: TokenClaims): string {
  const payload = Buffer.from(JSON.stringify({ ...claims, n: claims.n ?? randomBytes(12).toString('base64url') })).toString('base64url');
  return `${payload}.${createHmac('sha256', secret).update(payload).digest('base64url')}`;
}

export type TokenCheck = { ok: true; claims: TokenClaims & { n: string } } | { ok: false; reason: 'malformed' | 'bad_signature' | 'expired' };

const MAX_TOKEN = 1024;
const B64URL = /^[A-Za-z0-9_-]+$/;

/** The bytes of a canonical base64url string, or undefined (Buffer.from silently skips bad characters). */
function canonical(part: string): Buffer | undefined {
  if (!B64URL.test(part)) return undefined;
  const bytes = Buffer.from(part, 'base64url');
  return bytes.toString('base64url') === part ? bytes : undefined;
}

export function verifyToken(secret: string, token: unknown, kind: TokenClaims['k'], now: number): TokenCheck {
  if (typeof token !== 'string' || token.length > MAX_TOKEN) return { ok: false, reason: 'malformed' };
  const parts = token.split('.');
  if (parts.length !== 2) return { ok: false, reason: 'malformed' };
  const [payload, mac] = parts as [string, string];
  const body = canonical(payload);
  const given = canonical(mac);
  if (!body || !given) return { ok: false, reason: 'malformed' };
  const expected = createHmac('sha256', secret).update(payload).digest();
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, reason: 'bad_signature' };
  let claims: TokenClaims;
  try {
    claims = JSON.parse(body.toString('utf8'));
  } catch {
    return { ok: false, reason: 'malformed' };
  }
  if (!claims || claims.k !== kind || typeof claims.u !== 'string' || typeof claims.exp !== 'number' || typeof claims.n !== 'string')
    return { ok: false, reason: 'malformed' };
  if (!(claims.exp > now)) return { ok: false, reason: 'expired' };
  return { ok: true, claims: claims as TokenClaims & { n: string } };
}
