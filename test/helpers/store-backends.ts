import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { LowdbStore } from '../../src/storage/lowdb-store.ts';
import type { Store } from '../../src/storage/ports.ts';
import { freshPostgresStore, freshSchema, PG_URL, postgresAvailable } from './postgres.ts';

/**
 * The stores a process-level test runs a service (or CLI) on: a fresh lowdb data folder, and a fresh PostgreSQL
 * schema when one is reachable (always in CI). `env` points a child process at it; `open` opens the same store in
 * the test afterwards (for lowdb, taking over the lock a killed process left).
 */
export interface StoreBackend {
  name: string;
  prepare(): Promise<{ env: Record<string, string>; open: () => Promise<Store> }>;
}

export const storeBackends: StoreBackend[] = [
  {
    name: 'lowdb',
    async prepare() {
      const dir = mkdtempSync(path.join(tmpdir(), 'store-'));
      return { env: { DATA_DIR: dir }, open: () => LowdbStore.open(dir) };
    },
  },
  ...(postgresAvailable
    ? [
        {
          name: 'PostgreSQL',
          async prepare() {
            const schema = freshSchema();
            await (await freshPostgresStore(schema)).close(); // the schema, migrated
            const url = `${PG_URL}${PG_URL!.includes('?') ? '&' : '?'}options=${encodeURIComponent(`-c search_path=${schema}`)}`;
            return { env: { DATABASE_URL: url }, open: () => freshPostgresStore(schema) };
          },
        },
      ]
    : []),
];
