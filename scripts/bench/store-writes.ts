/**
 * What one document write costs in the lowdb store: npm run bench:store-writes [-- --writes 300 --dir /path]
 * Writes a form-sized JSON document (under 1 KB) `--writes` times, one after another, through the store's adapter
 * (lowdb JSONFile: temp file + rename) with and without the fsync of the file and its folder, alternating in the
 * same run so both see the same machine. Reports p50 / p99 per write in ms. `--dir` picks the file system (default:
 * a temporary folder; DATA_DIR's disk is the one that matters).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { DurableJsonFile } from '../../src/storage/durable-json-file.ts';

const { values } = parseArgs({ options: { writes: { type: 'string', default: '300' }, dir: { type: 'string' } } });
const N = Number(values.writes);
const dir = mkdtempSync(path.join(values.dir ?? tmpdir(), 'bench-writes-'));
const doc = { state: { formId: 'minutes', version: 3, step: 5, answers: { summary: '大家结合工作实际展开讨论。'.repeat(40) }, attempts: 0, revision: 1 } };
const variants = {
  'temp + rename (baseline)': new DurableJsonFile(path.join(dir, 'a.json'), { fsync: false }),
  'JSONFile + fsync (the store)': new DurableJsonFile(path.join(dir, 'b.json'), { fsync: true }),
};
const times = new Map<string, number[]>(Object.keys(variants).map((k) => [k, []]));
for (let i = 0; i < N; i++) {
  for (const [name, file] of Object.entries(variants)) {
    doc.state.revision = i;
    const started = performance.now();
    await file.write(doc);
    times.get(name)!.push(performance.now() - started);
  }
}
rmSync(dir, { recursive: true, force: true });
const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!;
console.log(`${N} writes of a ${JSON.stringify(doc, null, 2).length}-byte document each, in ${values.dir ?? tmpdir()} (Node ${process.version})\n`);
console.log('| writes | p50 | p99 |\n|---|---:|---:|');
for (const [name, xs] of times) console.log(`| ${name} | ${pct(xs, 50).toFixed(3)} ms | ${pct(xs, 99).toFixed(3)} ms |`);
const ratio = pct(times.get('JSONFile + fsync (the store)')!, 50) / pct(times.get('temp + rename (baseline)')!, 50);
console.log(`\nfsync costs ${ratio.toFixed(1)}x the baseline at the median`);
