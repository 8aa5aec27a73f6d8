import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import pg from 'pg';

/**
 * A PostgreSQL server of the test's own, for fault tests that stop, kill and restart it. Never the shared test server
 * (DATABASE_URL_TEST, port 55432): other tests and other people use that one. Built as scripts/ci/postgres.sh builds
 * its server: Debian's binaries (/usr/lib/postgresql/N/bin), a fresh cluster in a folder of its own, run as the user
 * postgres (the server refuses root). Where that is not possible (no binaries, not root) the fault tests are skipped
 * with a message on a developer's machine and fail in CI.
 */
export interface OwnPostgres {
  url: string;
  port: number;
  /** Stops the server: 'fast' (clients told, then cut) or 'immediate' (as a crash: no shutdown checkpoint). */
  stop(mode?: 'fast' | 'immediate'): void;
  start(): void;
  /** Terminates every backend of the test database but the caller's (as an operator's pg_terminate_backend). */
  terminateBackends(): Promise<number>;
  /** Stops the server and removes its folder. */
  destroy(): void;
}

function binDir(): string | undefined {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return undefined;
  const versions = readdirSync(root)
    .filter((v) => existsSync(`${root}/${v}/bin/initdb`))
    .sort((a, b) => Number(a) - Number(b));
  return versions.length ? `${root}/${versions.at(-1)}/bin` : undefined;
}

async function freePort(): Promise<number> {
  const preferred = Number(process.env.PG_FAULT_PORT ?? 0);
  const server = createServer();
  const port = await new Promise<number>((resolve, reject) => {
    server.once('error', () => (preferred ? server.listen(0, '127.0.0.1') : reject(new Error('no free port'))));
    server.once('listening', () => resolve((server.address() as { port: number }).port));
    server.listen(preferred, '127.0.0.1');
  });
  await new Promise((r) => server.close(r));
  return port;
}

const asPostgres = (cmd: string) => execFileSync('su', ['postgres', '-c', cmd], { stdio: ['ignore', 'pipe', 'pipe'] }).toString();

export async function startOwnPostgres(): Promise<OwnPostgres> {
  const bin = binDir();
  if (!bin) throw new Error('no PostgreSQL server binaries under /usr/lib/postgresql (apt-get install postgresql)');
  if (process.getuid?.() !== 0) throw new Error('must run as root to start the server as the user postgres');
  const port = await freePort();
  const state = `/tmp/studybot-pg-fault-${port}`;
  rmSync(state, { recursive: true, force: true });
  mkdirSync(state, { recursive: true });
  execFileSync('chown', ['postgres', state]);
  asPostgres(`${bin}/initdb -D ${state}/data -A trust -U postgres --no-sync >/dev/null`);
  const start = () =>
    void asPostgres(
      `${bin}/pg_ctl -D ${state}/data -o '-p ${port} -k ${state} -c listen_addresses=127.0.0.1 -c fsync=off' -l ${state}/log -w start >/dev/null`,
    );
  const stop = (mode: 'fast' | 'immediate' = 'fast') => void asPostgres(`${bin}/pg_ctl -D ${state}/data -m ${mode} -w stop >/dev/null 2>&1 || true`);
  start();
  asPostgres(`${bin}/createdb -h 127.0.0.1 -p ${port} -U postgres studybot_fault`);
  const url = `postgres://postgres@127.0.0.1:${port}/studybot_fault`;
  return {
    url,
    port,
    start,
    stop,
    async terminateBackends() {
      const c = new pg.Client({ connectionString: url });
      await c.connect();
      try {
        const r = await c.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = 'studybot_fault' AND pid <> pg_backend_pid()");
        return r.rowCount ?? 0;
      } finally {
        await c.end();
      }
    },
    destroy() {
      stop('immediate');
      rmSync(state, { recursive: true, force: true });
    },
  };
}

/** Starts one, or explains why not: skipped with a message locally, an error in CI. */
export async function ownPostgresOrSkip(what: string): Promise<OwnPostgres | undefined> {
  try {
    return await startOwnPostgres();
  } catch (err) {
    if (process.env.CI) throw new Error(`${what} needs a PostgreSQL server of its own in CI: ${(err as Error).message}`);
    console.warn(`[skip] ${what}: cannot start a PostgreSQL server of its own (${(err as Error).message})`);
    return undefined;
  }
}
