import { request } from 'node:http';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.ts';
import { systemClock } from '../../src/clock.ts';
import { loadConfig } from '../../src/config.ts';
import { parseHost } from '../../src/http/dev-host-check.ts';
import { createLogger } from '../../src/logger.ts';
import { LowdbStore } from '../../src/storage/lowdb-store.ts';
import { WeComSimulator } from '../../src/wecom/simulator.ts';
import { semesterContent } from '../helpers/content.ts';

/**
 * Issue 23: the local /dev routes compared Origin with Host, which DNS rebinding controls both of (a foreign name
 * resolving to 127.0.0.1). Now the Host must name this service: on a real socket, every /dev route.
 */
let close: (() => Promise<void>) | undefined;
afterEach(async () => {
  await close?.();
  close = undefined;
});

async function listening(env: Record<string, string> = {}) {
  const config = loadConfig({ DATA_DIR: mkdtempSync(path.join(tmpdir(), 'dev-host-')), LOG_LEVEL: 'silent', ...env });
  const simulator = new WeComSimulator({ ...config.wecom, clock: systemClock });
  await simulator.start();
  const built = await buildApp(config, { simulator, logger: createLogger('silent'), content: await semesterContent(), store: await LowdbStore.memory() });
  await built.app.listen({ port: 0, host: '127.0.0.1' });
  close = async () => {
    await built.app.close();
    await simulator.stop();
  };
  const port = (built.app.server.address() as { port: number }).port;
  return { port };
}

/** A request as a browser sends it after a rebinding: to 127.0.0.1, with the Host (and Origin) it was given. */
function send(port: number, method: string, url: string, host: string, body?: object): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const payload = body ? JSON.stringify(body) : undefined;
    const req = request(
      { host: '127.0.0.1', port, method, path: url, headers: { host, ...(payload ? { 'content-type': 'application/json', origin: `http://${host}` } : {}) } },
      (res) => {
        let text = '';
        res.on('data', (c) => (text += c));
        res.on('end', () => resolve({ status: res.statusCode!, body: text }));
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

describe('/dev routes check the Host header', () => {
  it("refuse a foreign Host on every route (403 foreign_host), a wrong port too; serve this machine's own names", async () => {
    const { port } = await listening();
    const message = { user: 'zhangsan', text: '帮助' };
    for (const host of [`evil.example:${port}`, `rebind.attacker.test:${port}`, `127.0.0.1.evil.example:${port}`, `localhost:${port + 1}`, `127.0.0.1:1`]) {
      for (const [method, url, body] of [
        ['GET', '/dev/chat'],
        ['GET', '/dev/chat/deliveries?after=0'],
        ['POST', '/dev/chat/send', message],
      ] as const) {
        const r = await send(port, method, url, host, body);
        expect(r.status, `${method} ${url} Host ${host}`).toBe(403);
        expect(JSON.parse(r.body)).toMatchObject({ error: 'foreign_host', message: expect.stringContaining('防止 DNS 重绑定') });
        if (!/^(localhost|127\.0\.0\.1):/.test(host)) expect(r.body).not.toContain(host.split(':')[0]);
      }
    }
    for (const host of [`127.0.0.1:${port}`, `localhost:${port}`, `LOCALHOST.:${port}`]) {
      expect((await send(port, 'GET', '/dev/chat', host)).status, host).toBe(200);
      expect((await send(port, 'POST', '/dev/chat/send', host, message)).status, host).toBe(200);
    }
  });

  it('accept the configured PUBLIC_BASE_URL host name', async () => {
    const { port } = await listening({ PUBLIC_BASE_URL: 'http://studybot.lan:3000' });
    expect((await send(port, 'GET', '/dev/chat', `studybot.lan:${port}`)).status).toBe(200);
    expect((await send(port, 'GET', '/dev/chat', `other.lan:${port}`)).status).toBe(403);
  });

  it('parses Host headers strictly', () => {
    expect(parseHost('[::1]:3000')).toEqual({ name: '::1', port: 3000 });
    expect(parseHost('Example.COM.')).toEqual({ name: 'example.com' });
    for (const bad of ['', 'a:b:c', 'a:99999', 'a b', '[::1', undefined]) expect(parseHost(bad), String(bad)).toBeUndefined();
  });
});
