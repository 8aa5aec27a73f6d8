import { startTarget } from './load.ts';
import { execFileSync } from 'node:child_process';
for (const kind of ['post', 'bot', 'post', 'bot']) {
  const t = await startTarget(kind);
  const out = execFileSync(process.execPath, ['--import', 'tsx', 'scripts/bench/_drive.ts', String(t.port), '50']).toString();
  console.log(kind, out.match(/rps: \d+/)![0], out.match(/p99: \d+/)![0]);
  await t.stop();
}
