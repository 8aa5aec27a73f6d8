import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Short signed tokens for the status page: base64url(JSON {u: userId, exp: ms}) "." base64url(HMAC-SHA256).
 * Bound to one user, expiring; verified in constant time. No server-side session store needed.
 */
export interface TokenClaims {
  u: string;
  exp: number;
  /** "link" (from the chat, 15 min) or "session" (the page's cookie). */
  k: 'link' | 'session';
}

export function signToken(secret: string, claims: TokenClaims): string {
  const payload = Buffer.from(JSON.stringify(claims)).toString('base64url');
  return `${payload}.${createHmac('sha256', secret).update(payload).digest('base64url')}`;
}

export type TokenCheck = { ok: true; claims: TokenClaims } | { ok: false; reason: 'malformed' | 'bad_signature' | 'expired' };

export function verifyToken(secret: string, token: string, kind: TokenClaims['k'], now: number): TokenCheck {
  const [payload, mac] = token.split('.');
  if (!payload || !mac) return { ok: false, reason: 'malformed' };
  const expected = createHmac('sha256', secret).update(payload).digest();
  const given = Buffer.from(mac, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, reason: 'bad_signature' };
  let claims: TokenClaims;
  try {
    claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    return { ok: false, reason: 'malformed' };
  }
  if (claims.k !== kind || typeof claims.u !== 'string') return { ok: false, reason: 'malformed' };
  if (!(claims.exp > now)) return { ok: false, reason: 'expired' };
  return { ok: true, claims };
}
