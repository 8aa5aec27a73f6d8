import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/clock.ts';
import { storageError, LowdbStore } from '../../src/storage/lowdb-store.ts';
import type { Store } from '../../src/storage/ports.ts';
import { QUESTION_SET_NOW } from '../answers/question-set.ts';
import { semesterContent } from '../helpers/content.ts';
import { freshPostgresStore, postgresAvailable, PG_URL } from '../helpers/postgres.ts';
import { startTestApp } from '../helpers/test-app.ts';
import pg from 'pg';

/**
 * Issue 23, finding 4: with the data folder full, a question answered through the API (two parts) got an empty 200
 * and nothing else, and WeCom never retries an acknowledged callback; /healthz said ok, checking permission, not
 * writes. Write failures are injected at the store port (every write refused as a full disk refuses it) on each store;
 * /healthz is checked against a real full disk (a 256 KiB tmpfs, as root) and a database that refuses writes.
 */
const LONG_QUESTION = '9月20日学什么？第四十八条是什么'; // two questions, two answers: through the API

/** The store with every write refused while `full` (ENOSPC, as lowdb reports it); reads still work. */
function fillable(store: Store) {
  const state = { full: false };
  const refuse = () => {
    if (state.full) throw storageError('/data/db.json', Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' }));
  };
  const guard = <T extends object>(repo: T, methods: Array<keyof T>) => {
    for (const m of methods) {
      const f = (repo[m] as (...a: unknown[]) => Promise<unknown>).bind(repo);
      (repo as Record<keyof T, unknown>)[m] = async (...a: unknown[]) => {
        refuse();
        return f(...a);
      };
    }
  };
  guard(store.deliveries, ['claim', 'update']);
  guard(store.forms, ['put', 'delete']);
  guard(store.submissions, ['save', 'saveIfRevision']);
  const canWrite = store.canWrite.bind(store);
  store.canWrite = async () => !state.full && canWrite();
  return { store, state };
}

const backends: Array<[string, () => Promise<Store>]> = [
  ['lowdb', () => LowdbStore.open(mkdtempSync(path.join(tmpdir(), 'cannot-write-')))],
  ...(postgresAvailable ? ([['PostgreSQL', () => freshPostgresStore()]] as Array<[string, () => Promise<Store>]>) : []),
];

describe.each(backends)('a store that cannot write (%s)', (_name, open) => {
  async function app() {
    const f = fillable(await open());
    const t = await startTestApp({ clock: new ManualClock(QUESTION_SET_NOW), content: await semesterContent(), store: f.store, sleep: async () => {} });
    return { ...f, t };
  }

  it('an answer through the API still reaches the user (sent directly), and /healthz says the store cannot write', { timeout: 30_000 }, async () => {
    const { t, state } = await app();
    try {
      // Healthy: the long answer goes through the API (the outbox), as the finding's did.
      const healthy = await t.wecomSide.sendText('zhaoliu', LONG_QUESTION);
      await t.bot.idle();
      expect(healthy.passiveReply).toBeUndefined();
      const normal = t.sim.deliveriesTo('zhaoliu').map((d) => d.text);
      expect(normal.length).toBeGreaterThan(1);

      state.full = true;
      const health = await t.app.inject({ method: 'GET', url: '/healthz' });
      expect(health.statusCode).toBe(503);
      expect(health.json().store).toMatchObject({ reachable: true, writable: false });

      const before = t.sim.deliveries.length;
      const r = await t.wecomSide.sendText('lisi', LONG_QUESTION);
      await t.bot.idle();
      expect(r.status).toBe(200);
      const got = [
        r.passiveReply ?? '',
        ...t.sim.deliveries
          .slice(before)
          .filter((d) => d.api === 'message/send')
          .map((d) => d.text),
      ].join('\n');
      for (const n of ['政治理论学习', '第四十八条']) expect(got).toContain(n);
      expect(t.log()).toContain('reply sent directly, without the outbox');

      state.full = false;
      expect((await t.app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
    } finally {
      await t.close();
    }
  });

  it('when WeCom refuses too, the callback answers passively with what it has, never an empty 200', { timeout: 30_000 }, async () => {
    const { t, state } = await app();
    try {
      state.full = true;
      t.sim.faults.push({ api: 'message/send', errcode: 60020, errmsg: 'not allow to access from your ip', times: 100 });
      const r = await t.wecomSide.sendText('lisi', LONG_QUESTION);
      await t.bot.idle();
      expect(r.status).toBe(200);
      expect(r.passiveReply).toBeDefined();
      expect(r.passiveReply).toContain('政治理论学习');
      expect(r.passiveReply).toMatch(/其余内容暂时无法发送|第四十八条/);
      // WeCom retries nothing acknowledged, but its retry of an unacknowledged copy gets the same answer.
    } finally {
      await t.close();
    }
  });
});

/** A 256 KiB tmpfs where the test runs as root; otherwise the probe's file is blocked by a folder (EISDIR). */
function smallDisk() {
  const mount = mkdtempSync(path.join(tmpdir(), 'probe-full-'));
  const dir = path.join(mount, 'data');
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=256k', 'tmpfs', mount], { stdio: 'ignore' });
    const filler = path.join(mount, 'filler');
    return {
      dir,
      fill: () => {
        try {
          execFileSync('dd', ['if=/dev/zero', `of=${filler}`, 'bs=4k', 'count=1000'], { stdio: 'ignore' });
        } catch {
          /* "no space left": the point */
        }
      },
      free: () => rmSync(filler, { force: true }),
      cleanup: () => execFileSync('umount', [mount], { stdio: 'ignore' }),
    };
  } catch {
    console.warn('[store-cannot-write] cannot mount a tmpfs here (not root?): blocking the probe file instead');
    const blocker = path.join(dir, '.write-probe.tmp');
    return { dir, fill: () => mkdirSync(blocker, { recursive: true }), free: () => rmSync(blocker, { recursive: true, force: true }), cleanup: () => {} };
  }
}

describe('/healthz probes a real write', () => {
  it("lowdb: 503 while the data folder's disk is full (permission is fine), 200 once freed", { timeout: 30_000 }, async () => {
    const disk = smallDisk();
    try {
      const store = await LowdbStore.open(disk.dir);
      const t = await startTestApp({ store });
      const health = async () => {
        t.clock.advance(0);
        await new Promise((r) => setTimeout(r, 1100)); // past the probe's reuse of its last result
        return t.app.inject({ method: 'GET', url: '/healthz' });
      };
      expect((await health()).statusCode).toBe(200);
      disk.fill();
      const full = await health();
      expect(full.statusCode).toBe(503);
      expect(full.json().store).toEqual({ kind: 'lowdb', reachable: true, writable: false });
      disk.free();
      expect((await health()).statusCode).toBe(200);
      await t.close();
    } finally {
      disk.cleanup();
    }
  });

  it.skipIf(!postgresAvailable)(
    'PostgreSQL: 503 while the database refuses writes (disk_full), 200 once it takes them again',
    { timeout: 30_000 },
    async () => {
      const schema = `t_probe_${Date.now().toString(36)}`;
      const store = await freshPostgresStore(schema);
      const admin = new pg.Client({ connectionString: PG_URL });
      await admin.connect();
      const t = await startTestApp({ store });
      try {
        const health = async () => {
          await new Promise((r) => setTimeout(r, 1100));
          return t.app.inject({ method: 'GET', url: '/healthz' });
        };
        expect((await health()).statusCode).toBe(200);
        // The server's own answer to a full disk (SQLSTATE 53100), injected on the probe's table only.
        await admin.query(
          `CREATE FUNCTION ${schema}.refuse_write() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'could not extend file: No space left on device' USING ERRCODE = '53100'; END $$`,
        );
        await admin.query(`CREATE TRIGGER refuse BEFORE INSERT OR UPDATE ON ${schema}.write_probe FOR EACH ROW EXECUTE FUNCTION ${schema}.refuse_write()`);
        const full = await health();
        expect(full.statusCode).toBe(503);
        expect(full.json().store).toEqual({ kind: 'postgres', reachable: true, writable: false });
        await admin.query(`DROP TRIGGER refuse ON ${schema}.write_probe`);
        expect((await health()).statusCode).toBe(200);
      } finally {
        await t.close();
        await admin.end();
      }
    },
  );
});
