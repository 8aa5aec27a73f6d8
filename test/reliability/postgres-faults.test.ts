import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/clock.ts';
import { PostgresStore } from '../../src/storage/postgres-store.ts';
import type { Outgoing } from '../../src/storage/ports.ts';
import { ownPostgresOrSkip, type OwnPostgres } from '../helpers/own-postgres.ts';
import { startTestApp } from '../helpers/test-app.ts';

/**
 * PostgreSQL faults mid-traffic, on a server of the test's own (never the shared one): every backend terminated
 * (pg_terminate_backend), then the whole server stopped as by a crash and started again. The service keeps running,
 * /healthz says 503 while the database is gone and 200 once it is back, and every delivery the outbox had taken on is
 * sent exactly once: none lost, none doubled. Figures: docs/reliability-faults.md.
 */
const pgServer: OwnPostgres | undefined = await ownPostgresOrSkip('PostgreSQL fault tests');

const BATCH = 40;
const outgoing = (text: string): Outgoing => ({ route: { via: 'app', touser: [`user-${text}`] }, parts: [{ msgtype: 'text', text: { content: text } }] });

describe.skipIf(!pgServer)('PostgreSQL faults mid-traffic', () => {
  let connectionErrors = 0;
  let store: PostgresStore;
  let t: Awaited<ReturnType<typeof startTestApp>>;

  beforeAll(async () => {
    store = await PostgresStore.open(pgServer!.url, { onConnectionError: () => connectionErrors++, connectionTimeoutMs: 2000 });
    t = await startTestApp({ clock: new ManualClock(Date.UTC(2016, 8, 19, 1, 0)), store });
  });
  afterAll(async () => {
    await t?.close().catch(() => {});
    pgServer?.destroy();
  });

  const health = async () => (await t.app.inject({ method: 'GET', url: '/healthz' })).statusCode;
  const until = async (check: () => Promise<boolean>, what: string, limitMs = 60_000) => {
    const started = Date.now();
    while (!(await check())) {
      if (Date.now() - started > limitMs) throw new Error(`never: ${what}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    return Date.now() - started;
  };

  /** Sends a batch through the outbox; a send the store refused at the door (claim failed) is sent again later, as its caller would. */
  const sendBatch = (prefix: string) =>
    Promise.allSettled(
      Array.from({ length: BATCH }, (_, i) =>
        t.outbox.send(`fault:${prefix}:${i}`, `user-${prefix}-${i}`, outgoing(`${prefix}-${i}`), { retryForMs: 3600_000 }),
      ),
    );

  const traffic = () => Promise.allSettled(Array.from({ length: 10 }, (_, i) => t.wecomSide.sendText(`zhangsan${i}`, '帮助')));

  it('survives terminated backends and a database restart; /healthz 503 then 200; each delivery sent once', { timeout: 180_000 }, async () => {
    expect(await health()).toBe(200);
    // 0. The crash exactly: idle pooled connections killed by the server (an unhandled 'error' on the pool).
    await Promise.all(Array.from({ length: 4 }, () => store.ping()));
    await pgServer!.terminateBackends();
    await until(async () => connectionErrors > 0, 'the pool reports the dropped idle connections');
    expect(await health()).toBe(200);

    // Sends wait at WeCom for a moment, so the faults below land while parts are in flight.
    t.sim.faults.push({ api: 'message/send', delayMs: 150, times: 4 * BATCH });

    // 1. pg_terminate_backend on every connection, twice, while a batch and callbacks run.
    const a = sendBatch('a');
    const aTraffic = traffic();
    await new Promise((r) => setTimeout(r, 100));
    await pgServer!.terminateBackends();
    await new Promise((r) => setTimeout(r, 100));
    await pgServer!.terminateBackends();
    await Promise.all([a, aTraffic]);
    await until(async () => (await health()) === 200, 'healthy after terminated backends');

    // 2. The server stops as in a crash mid-batch, stays down a moment, and comes back.
    const b = sendBatch('b');
    const bTraffic = traffic();
    await new Promise((r) => setTimeout(r, 100));
    pgServer!.stop('immediate');
    expect(await health()).toBe(503);
    const down = await traffic(); // callbacks while it is down: refused (WeCom retries), the process stays up
    expect(down.every((r) => r.status === 'fulfilled')).toBe(true);
    pgServer!.start();
    const recoveredMs = await until(async () => (await health()) === 200, 'healthy after the restart');
    await Promise.all([b, bTraffic]);

    // What the store refused at the door is sent again by its caller; what it took on is settled by the sweep
    // (after the lease of a claim whose record did not survive).
    const results = [...(await a), ...(await b)];
    const refused = results.flatMap((r, i) => (r.status === 'rejected' ? [i] : []));
    for (const i of refused) {
      const prefix = i < BATCH ? 'a' : 'b';
      const n = i % BATCH;
      await t.outbox.send(`fault:${prefix}:${n}`, `user-${prefix}-${n}`, outgoing(`${prefix}-${n}`), { retryForMs: 3600_000 });
    }
    t.clock.advance(11 * 60_000);
    for (let i = 0; i < 3; i++) await t.outbox.sweep();

    const texts = t.sim.deliveries.filter((d) => d.api === 'message/send').map((d) => d.text);
    const expected = [...Array.from({ length: BATCH }, (_, i) => `a-${i}`), ...Array.from({ length: BATCH }, (_, i) => `b-${i}`)];
    const lost = expected.filter((x) => !texts.includes(x));
    const doubled = expected.filter((x) => texts.filter((y) => y === x).length > 1);
    const ledger = await t.store.deliveries.list('fault:');
    console.log(
      `[pg-faults] ${expected.length} deliveries, ${refused.length} refused at the door and resent by the caller, ${lost.length} lost, ${doubled.length} doubled; ` +
        `/healthz 200 again ${recoveredMs} ms after the server was started; ${connectionErrors} dropped connections reported`,
    );
    expect({ lost, doubled }).toEqual({ lost: [], doubled: [] });
    expect(ledger.filter((d) => d.status !== 'sent')).toEqual([]);
    expect(connectionErrors).toBeGreaterThan(0);
  });
});
