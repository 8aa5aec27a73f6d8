/**
 * What redaction costs per log line: npm run bench:log-redaction [-- --lines 200000]
 * The callback's log line (the fields src/http/callback-common.ts logs) written to a null destination by pino with
 * the service's exact redaction paths (src/logger.ts), with the same keys as wildcard paths ("*.secret", …), and
 * with no redaction (the baseline), alternating in rounds in the same run. Reports µs per line, median of the rounds.
 */
import { Writable } from 'node:stream';
import { parseArgs } from 'node:util';
import pino from 'pino';
import { REDACT_PATHS } from '../../src/logger.ts';

const { values } = parseArgs({ options: { lines: { type: 'string', default: '200000' } } });
const LINES = Number(values.lines);
const ROUNDS = 7;
const sink = new Writable({ write: (_chunk, _enc, done) => done() });
const wildcard = [...new Set(REDACT_PATHS.map((p) => `*.${p.split('.').at(-1)}`)), ...REDACT_PATHS.filter((p) => !p.includes('.'))];
const loggers = {
  'no redaction (baseline)': pino({ base: { service: 'study-bot' } }, sink),
  'exact paths (the service)': pino({ base: { service: 'study-bot' }, redact: { paths: REDACT_PATHS, censor: '[redacted]' } }, sink),
  'wildcard paths': pino({ base: { service: 'study-bot' }, redact: { paths: wildcard, censor: '[redacted]' } }, sink),
};
const line = { key: 'msg:9876543210', type: 'text', user: 'zhangsan', text: '第四十七条', handler: 'articles', ms: 1.7, reply: 'passive' };
const perLine = new Map<string, number[]>(Object.keys(loggers).map((k) => [k, []]));
for (let round = 0; round < ROUNDS; round++) {
  for (const [name, logger] of Object.entries(loggers)) {
    const started = performance.now();
    for (let i = 0; i < LINES; i++) logger.info(line, 'callback');
    perLine.get(name)!.push(((performance.now() - started) * 1000) / LINES);
  }
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
console.log(`${LINES} lines × ${ROUNDS} rounds per logger (Node ${process.version}); wildcard paths: ${wildcard.join(', ')}\n`);
console.log('| redaction | µs per line (median of rounds) |\n|---|---:|');
const base = median(perLine.get('no redaction (baseline)')!);
for (const [name, xs] of perLine) console.log(`| ${name} | ${median(xs).toFixed(2)} (${(median(xs) / base).toFixed(2)}x the baseline) |`);
