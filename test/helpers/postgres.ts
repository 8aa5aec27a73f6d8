import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { PostgresStore } from '../../src/storage/postgres-store.ts';

/**
 * The PostgreSQL the tests use: DATABASE_URL_TEST (scripts/ci/postgres.sh starts one; .ci/run always does).
 * Without it the PostgreSQL tests are skipped with a visible message on a developer's machine, never in CI.
 */
export const PG_URL = process.env.DATABASE_URL_TEST;

async function reachable(): Promise<boolean> {
  if (!PG_URL) return false;
  const client = new pg.Client({ connectionString: PG_URL, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.end();
    return true;
  } catch {
    return false;
  }
}

export const postgresAvailable = await reachable();
if (!postgresAvailable) {
  if (process.env.CI) throw new Error('PostgreSQL is required in CI: .ci/run must start it (scripts/ci/postgres.sh) and export DATABASE_URL_TEST');
  console.warn('[skip] PostgreSQL tests: no DATABASE_URL_TEST reachable (source scripts/ci/postgres.sh start)');
}

/** A fresh schema name in the test database (several stores may open it, as several instances would). */
export function freshSchema(): string {
  return `t_${randomBytes(6).toString('hex')}`;
}

/** A store in a fresh schema of the test database. */
export function freshPostgresStore(schema = freshSchema()): Promise<PostgresStore> {
  return PostgresStore.open(PG_URL!, { schema });
}
