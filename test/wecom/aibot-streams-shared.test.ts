import { afterEach, describe, expect, it, vi } from 'vitest';
import { MESSAGE_LIMITS } from '../../src/bot/limits.ts';
import type { PostgresStore } from '../../src/storage/postgres-store.ts';
import { newStream, STREAM_WINDOW_MS, StreamRegistry, type Stream } from '../../src/wecom/aibot/streams.ts';
import { utf8Length } from '../../src/utf8-text.ts';
import { startAibotApp } from '../helpers/aibot-side.ts';
import { freshPostgresStore, freshSchema, postgresAvailable } from '../helpers/postgres.ts';
import { slowAnswers } from '../helpers/slow-answers.ts';

/**
 * Issue 22: the 智能机器人's open streams shared through PostgreSQL. Two app instances (each its own store connection,
 * stream registry and clock) on one database schema: the message goes to A, WeCom's refreshes land on B. The
 * guarantees of aibot-streams.test.ts hold across the two: bounded size and lifetime, refresh only from the stream's
 * own user and chat, the finished frame served to every refresh within the window, freed after.
 */
const UNBOUNDED = { ...MESSAGE_LIMITS, maxReplyParts: 1_000, maxReplyBytes: 10_000_000 };

const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of closers.splice(0)) await c();
});

async function twoInstances(options: Parameters<typeof startAibotApp>[0] = {}) {
  const schema = freshSchema();
  const start = async () => {
    const store = await freshPostgresStore(schema);
    const s = await startAibotApp({ ...options, store, env: { PASSIVE_REPLY_BUDGET_MS: '20', ...options.env } });
    closers.push(s.app.close);
    return { ...s, store };
  };
  const a = await start();
  const b = await start();
  /** Both instances' clocks move together, as real ones do. */
  const advance = (ms: number) => {
    a.app.clock.advance(ms);
    b.app.clock.advance(ms);
  };
  return { a, b, advance };
}

/** Frames left in the table, expired or not. */
const framesLeft = (store: PostgresStore) => store.streamFrames.prune(Number.MAX_SAFE_INTEGER);

describe.skipIf(!postgresAvailable)('智能机器人 streams on two instances sharing PostgreSQL', () => {
  it('a stream opened on A is refreshed through B: the text so far, then the finished frame to every refresh within the window, then the polite end', async () => {
    const slow = slowAnswers();
    const { a, b, advance } = await twoInstances({ handlers: slow.handlers });
    const opened = await a.post(a.message('慢2x50'));
    expect(opened.reply!.stream!.finish).toBe(false);
    const id = opened.reply!.stream!.id;
    // Still working on A: B answers the refresh with the frame so far, not with "过期".
    const early = (await b.refresh(id)).reply!.stream!;
    expect(early).toMatchObject({ id, finish: false });
    expect(early.content).not.toContain('过期');

    slow.releaseAll();
    await a.app.bot.idle();
    const first = await b.refresh(id);
    expect(first.reply!.stream).toMatchObject({ id, finish: true, content: expect.stringContaining('第2问的回答') });
    expect(first.reply!.stream!.content).toContain('第1问的回答');
    // The same finished frame from either instance, as often as WeCom asks within its window.
    expect((await a.refresh(id)).reply).toEqual(first.reply);
    advance(5 * 60_000);
    expect((await b.refresh(id)).reply).toEqual(first.reply);
    expect(b.transport.liveStreams).toBe(0); // B never held it: it read A's frame

    advance(STREAM_WINDOW_MS - 5 * 60_000);
    expect((await b.refresh(id)).reply!.stream).toMatchObject({ id, finish: true, content: expect.stringContaining('过期') });
    // A frees it on its next callback, and its frame with it.
    await a.post(a.message('快'));
    await a.app.bot.idle();
    expect(a.transport.liveStreams).toBe(0);
    expect(await framesLeft(a.store)).toBe(0);
  });

  it("B answers a refresh only for the stream's own user in its own chat", async () => {
    const slow = slowAnswers();
    const { a, b } = await twoInstances({ handlers: slow.handlers });
    const id = (await a.post(a.message('慢1x40', { user: 'zhangsan', chat: 'CHAT-STAFF' }))).reply!.stream!.id;
    slow.releaseAll();
    await a.app.bot.idle();
    for (const other of [
      { user: 'lisi', chat: 'CHAT-STAFF' },
      { user: 'zhangsan', chat: 'CHAT-OTHER' },
      { user: 'lisi', chat: 'CHAT-OTHER' },
    ]) {
      const stolen = (await b.refresh(id, other)).reply!.stream!;
      expect(stolen.content, JSON.stringify(other)).not.toContain('第1问的回答');
      expect(stolen.content).toContain('过期');
    }
    expect((await b.refresh(id)).reply!.stream).toMatchObject({ finish: true, content: expect.stringContaining('第1问的回答') });
  });

  it('a long answer refreshed only through B: one frame within the limit, one response_url message that says it was cut, and no more', async () => {
    const slow = slowAnswers();
    const { a, b } = await twoInstances({ handlers: slow.handlers, limits: UNBOUNDED });
    const writes = vi.spyOn(a.store.streamFrames, 'put');
    const id = (await a.post(a.message('慢300x1000'))).reply!.stream!.id; // about 900 KB of answers
    slow.releaseAll();
    await a.app.bot.idle();
    // Written when opened, while the frame grows (a reply is ~3 KB: 7 fill it) and when finished; not 300 times.
    expect(writes.mock.calls.length).toBeGreaterThanOrEqual(3);
    expect(writes.mock.calls.length).toBeLessThanOrEqual(12);
    const frame = (await b.refresh(id)).reply!.stream!;
    expect(frame.finish).toBe(true);
    expect(frame.content).toContain('第1问的回答');
    expect(utf8Length(frame.content)).toBeLessThanOrEqual(20_480);
    const posted = a.app.sim.deliveries.filter((d) => d.api === 'aibot/response');
    expect(posted).toHaveLength(1);
    expect(utf8Length(posted[0]!.text)).toBeLessThanOrEqual(20_480);
    expect(posted[0]!.text).toContain('内容太长，其余部分请分开询问');
    // Refreshed again on either: the same frame, nothing more to response_url.
    expect((await b.refresh(id)).reply!.stream).toEqual(frame);
    expect((await a.refresh(id)).reply!.stream).toEqual(frame);
    await a.app.bot.idle();
    expect(a.app.sim.deliveries.filter((d) => d.api === 'aibot/response')).toHaveLength(1);
    expect(b.app.sim.deliveries.filter((d) => d.api === 'aibot/response')).toHaveLength(0);
  });

  it('a frame that cannot be written costs B only the polite end: A still answers its own refreshes, and says so in its log', async () => {
    const slow = slowAnswers();
    const { a, b } = await twoInstances({ handlers: slow.handlers });
    vi.spyOn(a.store.streamFrames, 'put').mockRejectedValue(new Error('connection terminated'));
    const id = (await a.post(a.message('慢1x40'))).reply!.stream!.id;
    slow.releaseAll();
    await a.app.bot.idle();
    expect((await b.refresh(id)).reply!.stream).toMatchObject({ finish: true, content: expect.stringContaining('过期') });
    expect((await a.refresh(id)).reply!.stream).toMatchObject({ finish: true, content: expect.stringContaining('第1问的回答') });
    expect(a.app.log()).toContain('aibot: stream frame not shared');
  });

  it('the table does not accumulate: many streams, refreshed through B or not, leave no frame after the window', { timeout: 60_000 }, async () => {
    const slow = slowAnswers();
    const { a, b, advance } = await twoInstances({ handlers: slow.handlers });
    for (let round = 0; round < 2; round++) {
      const ids: string[] = [];
      for (let i = 0; i < 30; i++) ids.push((await a.post(a.message('慢20x500', { user: `u${i % 7}`, chat: `C${i % 3}` }))).reply!.stream!.id);
      slow.releaseAll();
      await a.app.bot.idle();
      expect(await a.store.streamFrames.prune(0)).toBe(0); // nothing expired yet…
      for (const [i, id] of ids.entries()) {
        if (i % 2 === 0)
          expect((await b.refresh(id, { user: `u${i % 7}`, chat: `C${i % 3}` })).reply!.stream).toMatchObject({
            finish: true,
            content: expect.stringContaining('第1问的回答'),
          });
      }
      advance(STREAM_WINDOW_MS);
      await a.post(a.message('快')); // any callback on the writer sweeps
      await a.app.bot.idle();
      expect(a.transport.liveStreams).toBe(0);
      expect(await framesLeft(b.store)).toBe(0);
    }
  });
});

describe('the stream registry names the stream that made way (its shared frame is deleted with it)', () => {
  it('tells of a served finished stream that made way, and counts the ones swept', () => {
    const evicted: Stream[] = [];
    const reg = new StreamRegistry(2, (s) => evicted.push(s));
    const a = newStream('a', 'u', 'single', 0, undefined);
    expect(reg.add(a, 0)).toBe(true);
    expect(reg.add(newStream('b', 'u', 'single', 1, undefined), 1)).toBe(true);
    expect(reg.add(newStream('c', 'u', 'single', 2, undefined), 2)).toBe(false);
    expect(evicted).toEqual([]);
    a.done = true;
    a.served = true;
    expect(reg.add(newStream('d', 'u', 'single', 3, undefined), 3)).toBe(true);
    expect(evicted.map((s) => s.id)).toEqual(['a']);
    expect(reg.sweep(1 + STREAM_WINDOW_MS)).toBe(1); // b
    expect(reg.sweep(3 + STREAM_WINDOW_MS)).toBe(1); // d
    expect(reg.size).toBe(0);
    expect(evicted).toHaveLength(1); // sweeping is counted, not told one by one
  });
});
