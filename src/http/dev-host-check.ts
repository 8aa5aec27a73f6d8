import { isIP } from 'node:net';
import type { FastifyReply, FastifyRequest } from 'fastify';

/**
 * The local chat page lets anyone act as anyone, so only a page opened from this machine's own address may use it.
 * Comparing Origin with Host is not enough: with DNS rebinding a foreign site's name resolves to 127.0.0.1, and the
 * browser then sends Origin and Host both with that name. The Host must name this service itself: localhost, a
 * loopback address, the configured HOST or PUBLIC_BASE_URL's host, or the very IP address the connection arrived at
 * (an address literal, which no rebinding can make a foreign name out of); and the port it arrived at.
 */
export function devHostCheck(names: readonly string[]) {
  const allowed = new Set(['localhost', '127.0.0.1', '::1', ...names.filter((n) => n && n !== '0.0.0.0' && n !== '::').map(normalise)]);
  return async (req: FastifyRequest, reply: FastifyReply) => {
    const host = parseHost(req.headers.host);
    const localPort = req.socket.localPort;
    const local = normalise(req.socket.localAddress ?? '').replace(/^::ffff:/, '');
    const nameOk = host !== undefined && (allowed.has(host.name) || (isIP(host.name) !== 0 && host.name === local));
    // app.inject (tests, the CLI) has no socket port: the name is still checked.
    const portOk = host !== undefined && (localPort === undefined || (host.port ?? 80) === localPort);
    if (!nameOk || !portOk) {
      // The refusal names what is accepted, never echoes the Host given.
      return reply
        .code(403)
        .send({ error: 'foreign_host', message: '只接受以本机地址（localhost、127.0.0.1 或配置的 HOST）打开的本地聊天页面的请求（防止 DNS 重绑定）' });
    }
  };
}

/** "example.com:3000", "[::1]:3000", "LOCALHOST." → name and port; undefined when missing or malformed. */
export function parseHost(header: string | undefined): { name: string; port?: number } | undefined {
  if (!header) return undefined;
  const m = /^(?:\[([0-9a-fA-F:.]+)\]|([^:[\]\s/@]+))(?::(\d{1,5}))?$/.exec(header.trim());
  if (!m) return undefined;
  const port = m[3] !== undefined ? Number(m[3]) : undefined;
  if (port !== undefined && (port < 1 || port > 65535)) return undefined;
  return { name: normalise(m[1] ?? m[2]!), ...(port !== undefined ? { port } : {}) };
}

function normalise(name: string): string {
  return name
    .toLowerCase()
    .replace(/\.$/, '')
    .replace(/^\[|\]$/g, '');
}
