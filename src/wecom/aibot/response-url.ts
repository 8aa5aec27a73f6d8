/**
 * Where the 智能机器人's answers may be posted. A message's `response_url` comes from the callback's plaintext: anyone
 * holding the robot's key can write any address there, and the bot used to post to it (issue 23: a blind SSRF, e.g.
 * to another service on 127.0.0.1). Only WeCom's own API host and its response path are accepted: the configured
 * WECOM_API_BASE (a proxy, or the simulator's address in tests and local mode) and WeCom's official one, which real
 * response_urls name even when the API is reached through a proxy. Nothing else is ever sent to.
 */
import { DEFAULT_API_BASE } from '../../config.ts';
const RESPONSE_PATH = '/cgi-bin/aibot/response';

export type ResponseUrlCheck = { ok: true; url: URL } | { ok: false; reason: string };

export function checkResponseUrl(raw: string, apiBase: string): ResponseUrlCheck {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { ok: false, reason: 'not a URL' };
  }
  if (url.username || url.password) return { ok: false, reason: 'credentials in the URL' };
  for (const base of new Set([apiBase, DEFAULT_API_BASE])) {
    // The origin (scheme, host and port) exactly: no other port on WeCom's host, no http where https is configured.
    if (url.origin !== new URL(base).origin) continue;
    const prefix = new URL(base.endsWith('/') ? base : `${base}/`).pathname.replace(/\/$/, '');
    if (url.pathname === `${prefix}${RESPONSE_PATH}`) return { ok: true, url };
    return { ok: false, reason: 'not the response path' };
  }
  return { ok: false, reason: `host ${url.host} is not WeCom's API host` };
}
