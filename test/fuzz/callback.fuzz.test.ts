import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/clock.ts';
import type { LowdbStore } from '../../src/storage/lowdb-store.ts';
import type { MemoryDedupe } from '../../src/storage/memory-dedupe.ts';
import { WeComCipher } from '../../src/wecom/cipher.ts';
import { signMessage } from '../../src/wecom/signature.ts';
import { buildXml } from '../../src/wecom/xml.ts';
import { semesterContent } from '../helpers/content.ts';
import { TEST_CREDENTIALS } from '../helpers/fake-wecom.ts';
import { startTestApp } from '../helpers/test-app.ts';

/**
 * Property-based fuzzing of the callback endpoint (fast-check): random and mutated bodies and query strings, valid
 * envelopes around invalid inner XML, and valid messages with hostile content. Never a 5xx; invalid requests get a
 * 4xx; valid ones a 200. Bounded here; `npm run fuzz -- --runs N` runs it long (FUZZ_RUNS).
 */
const RUNS = Number(process.env.FUZZ_RUNS ?? 150);
/** Long runs take their time: about 1 ms a case, with room. */
const TIMEOUT = 20_000 + RUNS * 3;
const { corpId, token, encodingAesKey, agentId } = TEST_CREDENTIALS;
const NOW = Date.UTC(2016, 8, 19, 1, 0);
const ts = String(Math.floor(NOW / 1000));
const cipher = new WeComCipher(encodingAesKey, corpId);
let seq = 0;

const signed = (encrypt: string, nonce = '1', timestamp = ts) => ({
  query: { msg_signature: signMessage(token, timestamp, nonce, encrypt), timestamp, nonce },
  body: buildXml({ ToUserName: corpId, Encrypt: encrypt, AgentID: agentId }),
});
const textMessage = (content: string) =>
  buildXml({
    ToUserName: corpId,
    FromUserName: `fuzz${seq % 7}`,
    CreateTime: Math.floor(NOW / 1000),
    MsgType: 'text',
    Content: content,
    MsgId: String(9_000_000 + ++seq),
    AgentID: 1,
  });

const hostile = fc.oneof(
  fc.string({ maxLength: 200 }),
  fc.string({ unit: 'grapheme', maxLength: 200 }),
  fc.string({
    unit: fc.constantFrom('\u0000', '\u0007', '\u202e', '\u200f', '😀', '第', '条', '四', '十', '七', ']]>', '<', '&', '周', '提交记录', '取消', '修改 3'),
    maxLength: 60,
  }),
  fc.constantFrom('第四十七条', '提交记录', '谁还没交', '预览本周推送', '管理页面', '修改 99', 'x'.repeat(5000), '学'.repeat(3000), '\u202e帮助', '帮助\u0000'),
);

describe('fuzzing POST/GET /wecom/callback', () => {
  let t: Awaited<ReturnType<typeof startTestApp>>;
  beforeAll(async () => {
    t = await startTestApp({ clock: new ManualClock(NOW), content: await semesterContent(), env: { LOG_LEVEL: 'warn' } });
    // Warm (every handler's code loaded and compiled once), then the baseline.
    for (const text of ['帮助', '第四十七条', '提交记录', '取消', '谁还没交']) {
      const { query, body } = signed(cipher.encrypt(textMessage(text)));
      await inject(query, body);
    }
    await t.bot.idle();
  });
  afterAll(() => t.close());

  const inject = (q: Record<string, string>, body: string, method: 'GET' | 'POST' = 'POST') =>
    t.app.inject({ method, url: '/wecom/callback', query: q, payload: method === 'POST' ? body : undefined, headers: { 'content-type': 'text/xml' } });

  it(
    `random bodies and query strings: never a 5xx, always a 4xx (${RUNS} runs)`,
    async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.dictionary(fc.constantFrom('msg_signature', 'timestamp', 'nonce', 'echostr', 'x'), fc.string({ maxLength: 50 })),
          fc.oneof(
            fc.string({ maxLength: 500 }),
            fc.string({ unit: 'binary', maxLength: 300 }),
            fc.constantFrom('', '<xml/>', '<xml><Encrypt>', '<!DOCTYPE x [<!ENTITY a "b">]><xml>&a;</xml>'),
          ),
          fc.constantFrom('GET', 'POST'),
          async (q, body, method) => {
            const res = await inject(q as Record<string, string>, body, method as 'GET' | 'POST');
            expect(res.statusCode).toBeGreaterThanOrEqual(400);
            expect(res.statusCode).toBeLessThan(500);
          },
        ),
        { numRuns: RUNS },
      );
    },
    TIMEOUT,
  );

  it(
    `mutated valid envelopes: never a 5xx; untouched ones answered (${RUNS} runs)`,
    async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.nat(2000),
          fc.string({ minLength: 1, maxLength: 3 }),
          fc.constantFrom('flip', 'truncate', 'insert', 'none'),
          async (at, junk, how) => {
            const { query, body } = signed(cipher.encrypt(textMessage('帮助')));
            const i = at % body.length;
            const mutated =
              how === 'flip'
                ? body.slice(0, i) + junk + body.slice(i + junk.length)
                : how === 'truncate'
                  ? body.slice(0, i)
                  : how === 'insert'
                    ? body.slice(0, i) + junk + body.slice(i)
                    : body;
            const res = await inject(query, mutated);
            expect(res.statusCode).toBeLessThan(500);
            if (mutated === body) expect(res.statusCode).toBe(200);
          },
        ),
        { numRuns: RUNS },
      );
    },
    TIMEOUT,
  );

  it(
    `valid envelopes around invalid inner XML are refused with a 4xx (${RUNS} runs)`,
    async () => {
      await fc.assert(
        fc.asyncProperty(fc.string({ maxLength: 300 }), async (inner) => {
          const { query, body } = signed(cipher.encrypt(inner));
          const res = await inject(query, body);
          expect(res.statusCode).toBeLessThan(500);
        }),
        { numRuns: RUNS },
      );
    },
    TIMEOUT,
  );

  it(
    `valid messages with hostile content are answered with a 200 (${RUNS} runs)`,
    async () => {
      await fc.assert(
        fc.asyncProperty(hostile, async (content) => {
          const { query, body } = signed(cipher.encrypt(textMessage(content)));
          const res = await inject(query, body);
          expect(res.statusCode).toBe(200);
        }),
        { numRuns: RUNS },
      );
      await t.bot.idle();
    },
    TIMEOUT,
  );

  it('what the service keeps per message is gone afterwards (once the retentions have passed, as they do in real time)', async () => {
    // Counted, not weighed: the heap's size depends on the collector's mood on a loaded machine; what the service holds
    // per message (dedupe keys, kept replies, the ledger's API replies, cached forms, work in the background) does not.
    // The heap over a long run is measured by `npm run bench:soak`.
    const store = t.store as LowdbStore;
    const dedupe = store.dedupe as MemoryDedupe;
    expect(dedupe.size).toBeGreaterThan(RUNS); // every valid case left its key
    // Three days on: the dedupe keys (10 minutes) and the sent API replies in the ledger (two days) are due to go.
    const jumped = t.clock.now();
    t.clock.advance(3 * 24 * 3600_000);
    const { query, body } = signed(cipher.encrypt(textMessage('帮助')), '1', String(Math.floor(t.clock.now() / 1000)));
    expect((await inject(query, body)).statusCode).toBe(200); // its claim prunes the dedupe keys
    await t.bot.idle();
    await t.housekeeping.run();
    expect(dedupe.size).toBe(1); // the message just sent
    expect((await store.deliveries.list()).filter((d) => d.claimedAt <= jumped)).toEqual([]);
    expect(store.cachedForms).toBeLessThanOrEqual(7); // the fuzz's seven users at most
    expect(t.bot.background.size).toBe(0);
  });
});
