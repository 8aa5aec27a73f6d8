/**
 * npm run fuzz -- --runs N: the callback fuzz tests (test/fuzz) with N cases per property instead of the bounded
 * number `npm test` runs. Exit code is vitest's.
 */
import { spawnSync } from 'node:child_process';
import { parseArgs } from 'node:util';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '10000' } } });
const r = spawnSync('npx', ['vitest', 'run', 'test/fuzz'], { stdio: 'inherit', env: { ...process.env, FUZZ_RUNS: values.runs } });
process.exit(r.status ?? 1);
