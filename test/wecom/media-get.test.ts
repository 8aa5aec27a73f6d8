import { createServer, type Server } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/clock.ts';
import { MediaTooLargeError, WeComApiError, WeComTransportError } from '../../src/errors.ts';
import { WeComClient } from '../../src/wecom/client.ts';
import { TEST_CREDENTIALS, startFakeWeCom } from '../helpers/fake-wecom.ts';

/**
 * media/get through the client: the bytes as sent, WeCom's JSON errors by errcode, a file over the caller's limit refused
 * by its Content-Length or cut off while read when it has none (never retried, never held whole).
 */
let stop: (() => Promise<unknown>) | undefined;
afterEach(async () => {
  await stop?.();
  stop = undefined;
});

describe('WeComClient.getMedia', () => {
  it('gives the bytes WeCom holds; 40007 for unknown or expired media; 830002 as WeCom says it; 5xx retried then a transport error', async () => {
    const fake = await startFakeWeCom();
    stop = fake.stop;
    const bytes = Buffer.from('\xff\xd8\xff\xe0 a photo', 'latin1');
    const id = fake.sim.addMedia(bytes, 'p.jpg', 'image/jpeg');
    const got = await fake.client.getMedia(id, 1024);
    expect(got.data.equals(bytes)).toBe(true);
    expect(got.contentType).toBe('image/jpeg');
    await expect(fake.client.getMedia('nope', 1024)).rejects.toMatchObject({ errcode: 40007 });
    fake.clock.advance(3 * 24 * 3600_000 + 1000);
    await expect(fake.client.getMedia(id, 1024)).rejects.toBeInstanceOf(WeComApiError);
    const huge = fake.sim.addMedia(Buffer.alloc(21 * 1024 * 1024), 'big.jpg', 'image/jpeg');
    await expect(fake.client.getMedia(huge, 30 * 1024 * 1024)).rejects.toMatchObject({ errcode: 830002 });
    fake.sim.faults.push({ api: 'media/get', httpStatus: 503, times: 4 });
    const again = fake.sim.addMedia(bytes, 'p.jpg', 'image/jpeg');
    await expect(fake.client.getMedia(again, 1024)).rejects.toBeInstanceOf(WeComTransportError);
    expect(fake.sleeps).toHaveLength(3); // 4 attempts in all
  });

  it('refuses a file over the limit by its length, without retrying', async () => {
    const fake = await startFakeWeCom();
    stop = fake.stop;
    const id = fake.sim.addMedia(Buffer.alloc(2048, 1), 'p.jpg', 'image/jpeg');
    const before = fake.sim.calls.get('media/get') ?? 0;
    await expect(fake.client.getMedia(id, 2047)).rejects.toBeInstanceOf(MediaTooLargeError);
    expect((fake.sim.calls.get('media/get') ?? 0) - before).toBe(1);
    expect((await fake.client.getMedia(id, 2048)).data.length).toBe(2048);
  });

  it('cuts off a body without Content-Length as soon as it passes the limit', async () => {
    let sent = 0;
    const server: Server = createServer((req, res) => {
      if (req.url!.startsWith('/cgi-bin/gettoken')) {
        res.setHeader('content-type', 'application/json');
        return res.end(JSON.stringify({ errcode: 0, access_token: 't', expires_in: 7200 }));
      }
      // Chunked, endless: a well-behaved reader stops long before the end.
      res.writeHead(200, { 'content-type': 'image/jpeg' });
      const chunk = Buffer.alloc(64 * 1024, 7);
      const pump = () => {
        while (sent < 64 * 1024 * 1024 && res.write(chunk)) sent += chunk.length;
        if (sent < 64 * 1024 * 1024) res.once('drain', pump);
        else res.end();
      };
      pump();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    stop = () => new Promise((r) => server.close(r).closeAllConnections());
    const port = (server.address() as { port: number }).port;
    const client = new WeComClient({ ...TEST_CREDENTIALS, apiBase: `http://127.0.0.1:${port}`, clock: new ManualClock(0), sleep: async () => {} });
    await expect(client.getMedia('m', 1024 * 1024)).rejects.toBeInstanceOf(MediaTooLargeError);
    expect(sent).toBeLessThan(16 * 1024 * 1024);
  });
});
