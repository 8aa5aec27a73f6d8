/**
 * npm run migrate: applies the PostgreSQL migrations (src/storage/migrations) to DATABASE_URL and says which.
 * The service also applies them at start-up; this is for deploy pipelines that migrate first.
 */
import pg from 'pg';
import { loadConfig, readEnvironment } from '../src/config.ts';
import { AppError } from '../src/errors.ts';
import { migrate } from '../src/storage/postgres-store.ts';

try {
  const config = loadConfig(readEnvironment());
  if (!config.databaseUrl) {
    console.error('未设置 DATABASE_URL：lowdb 存储无需迁移。(DATABASE_URL is not set)');
    process.exit(2);
  }
  const pool = new pg.Pool({ connectionString: config.databaseUrl });
  try {
    const applied = await migrate(pool);
    console.log(applied.length ? `已应用迁移：${applied.join(', ')}` : '数据库已是最新，无需迁移。');
  } finally {
    await pool.end();
  }
} catch (err) {
  console.error(err instanceof AppError ? err.message : `迁移失败：${(err as Error).message}`);
  process.exitCode = 1;
}
