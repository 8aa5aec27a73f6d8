/**
 * npm run migrate-lowdb -- --from DATA_DIR
 * Copies a lowdb data folder (submissions with their revisions, the delivery ledger, forms in progress, plans imported
 * in chat) into the
 * PostgreSQL of DATABASE_URL, idempotently (run it twice: the second copies nothing), and reports the counts.
 * Stop the lowdb service first: its data folder is locked while it runs.
 */
import { parseArgs } from 'node:util';
import { loadConfig, readEnvironment } from '../src/config.ts';
import { AppError } from '../src/errors.ts';
import { LowdbStore } from '../src/storage/lowdb-store.ts';
import { PostgresStore } from '../src/storage/postgres-store.ts';

const { values } = parseArgs({ options: { from: { type: 'string' } } });
try {
  const config = loadConfig(readEnvironment());
  if (!values.from || !config.databaseUrl) {
    console.error('用法: DATABASE_URL=postgres://… npm run migrate-lowdb -- --from 数据目录');
    process.exit(2);
  }
  const source = await LowdbStore.open(values.from);
  const target = await PostgresStore.open(config.databaseUrl);
  try {
    const c = await target.importFrom(source);
    console.log(`已从 ${values.from} 复制到 PostgreSQL（新增 / 已存在）：`);
    console.log(`  学习讨论记录 ${c.submissions[0]} / ${c.submissions[1]}`);
    console.log(`  推送与提醒记录 ${c.deliveries[0]} / ${c.deliveries[1]}`);
    console.log(`  填写中的表单 ${c.forms[0]} / ${c.forms[1]}`);
    console.log(`  聊天中导入的学习计划 ${c.planImports[0]} / ${c.planImports[1]}`);
  } finally {
    await source.close();
    await target.close();
  }
} catch (err) {
  console.error(err instanceof AppError ? err.message : `迁移失败：${(err as Error).message}`);
  process.exitCode = 1;
}
