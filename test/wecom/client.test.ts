import { afterEach, describe, expect, it } from 'vitest';
import { WeComApiError, WeComTransportError } from '../../src/errors.ts';
import { startFakeWeCom } from '../helpers/fake-wecom.ts';

let fake: Awaited<ReturnType<typeof startFakeWeCom>>;
afterEach(async () => fake?.stop());

const text = (content: string) => ({ msgtype: 'text' as const, text: { content } });

describe('WeComClient against the simulated WeCom', () => {
  it('fetches the token once and caches it until shortly before expiry', async () => {
    fake = await startFakeWeCom();
    await fake.client.sendMessage({ touser: ['zhangsan'] }, text('一'));
    await fake.client.sendMessage({ touser: ['zhangsan'] }, text('二'));
    expect(fake.sim.calls.get('gettoken')).toBe(1);
    fake.clock.advance(7200_000 - 4 * 60_000); // inside the refresh margin
    await fake.client.sendMessage({ touser: ['zhangsan'] }, text('三'));
    expect(fake.sim.calls.get('gettoken')).toBe(2);
    expect(fake.sim.deliveriesTo('zhangsan').map((d) => d.text)).toEqual(['一', '二', '三']);
  });

  it('concurrent callers share one token fetch', async () => {
    fake = await startFakeWeCom();
    await Promise.all(Array.from({ length: 10 }, (_, i) => fake.client.sendMessage({ touser: ['u'] }, text(`m${i}`))));
    expect(fake.sim.calls.get('gettoken')).toBe(1);
    expect(fake.sim.deliveries).toHaveLength(10);
  });

  it('drops a rejected token (42001), fetches a new one and retries once', async () => {
    fake = await startFakeWeCom();
    await fake.client.sendMessage({ touser: ['u'] }, text('before'));
    fake.sim.expireTokens();
    await fake.client.sendMessage({ touser: ['u'] }, text('after'));
    expect(fake.sim.calls.get('gettoken')).toBe(2);
    expect(fake.sim.deliveries.map((d) => d.text)).toEqual(['before', 'after']);
  });

  it('retries 45009 with growing backoff and succeeds', async () => {
    fake = await startFakeWeCom();
    fake.sim.faults.push({ api: 'message/send', errcode: 45009, times: 2 });
    await fake.client.sendMessage({ touser: ['u'] }, text('稍后送达'));
    expect(fake.sleeps).toHaveLength(2);
    expect(fake.sleeps[1]!).toBeGreaterThan(fake.sleeps[0]! * 0.9);
    expect(fake.sim.deliveries).toHaveLength(1);
  });

  it('retries HTTP 5xx and gives up after the bounded number of attempts with a typed error', async () => {
    fake = await startFakeWeCom();
    fake.sim.faults.push({ api: 'message/send', httpStatus: 503, times: 10 });
    const err = await fake.client.sendMessage({ touser: ['u'] }, text('x')).catch((e: unknown) => e);
    // No errcode is made up for an answer WeCom never gave: the error says what happened instead.
    expect(err).toBeInstanceOf(WeComTransportError);
    expect(err).toMatchObject({ api: 'message/send', detail: 'HTTP 503', retryable: true });
    expect(err).not.toHaveProperty('errcode');
    expect(fake.sim.calls.get('message/send')).toBe(4);
  });

  it('an HTTP 4xx is a transport error, not an errcode, and is not retried', async () => {
    fake = await startFakeWeCom();
    fake.sim.faults.push({ api: 'message/send', httpStatus: 404, times: 10 });
    const err = await fake.client.sendMessage({ touser: ['u'] }, text('x')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WeComTransportError);
    expect(err).toMatchObject({ detail: 'HTTP 404', retryable: false });
    expect(fake.sim.calls.get('message/send')).toBe(1);
  });

  it('turns other errcodes into WeComApiError at once, without leaking the token or secret', async () => {
    fake = await startFakeWeCom();
    const err = (await fake.client.sendMessage({ touser: ['u'] }, text('x'.repeat(2049))).catch((e: unknown) => e)) as WeComApiError;
    expect(err).toBeInstanceOf(WeComApiError);
    expect(err).toMatchObject({ errcode: 45002, api: 'message/send' });
    expect(fake.sim.calls.get('message/send')).toBe(1);
    expect(err.message).not.toMatch(/access_token|secret/);
  });

  it('wrong secret is a gettoken error', async () => {
    fake = await startFakeWeCom(undefined, { secret: 'wrong-secret-xxxxxxxx' });
    await expect(fake.client.sendMessage({ touser: ['u'] }, text('x'))).rejects.toMatchObject({ api: 'gettoken', errcode: 40001 });
  });

  it('network failure (connection refused) becomes a typed, retried error', async () => {
    fake = await startFakeWeCom();
    await fake.sim.stop();
    const err = await fake.client.getAccessToken().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WeComTransportError);
    expect(err).toMatchObject({ api: 'gettoken', detail: expect.stringMatching(/^network error/) });
    expect(fake.sleeps).toHaveLength(3);
  });

  it('sends to app chats and robots, and uploads files for file messages', async () => {
    fake = await startFakeWeCom();
    await fake.client.sendAppChat('chat-1', { msgtype: 'markdown', markdown: { content: '**本周学习**' } });
    await fake.client.sendWebhook('robot-key', { msgtype: 'markdown', markdown: { content: '# 议程' } });
    const mediaId = await fake.client.uploadMedia({ filename: '提交情况.csv', data: Buffer.from('\ufeff组名,状态\n') });
    await fake.client.sendMessage({ touser: ['u'] }, { msgtype: 'file', file: { media_id: mediaId } });
    const robotMedia = await fake.client.uploadWebhookMedia('robot-key', { filename: 'a.csv', data: Buffer.from('hello world') });
    await fake.client.sendWebhook('robot-key', { msgtype: 'file', file: { media_id: robotMedia } });
    expect(fake.sim.deliveries.map((d) => [d.api, d.to, d.text])).toEqual([
      ['appchat/send', 'chat-1', '**本周学习**'],
      ['webhook/send', 'robot-key', '# 议程'],
      ['message/send', 'u', '[文件] 提交情况.csv'],
      ['webhook/send', 'robot-key', '[文件] a.csv'],
    ]);
    expect(fake.sim.uploads.get(mediaId)?.data.toString()).toBe('\ufeff组名,状态\n');
  });
});
