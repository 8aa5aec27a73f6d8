/**
 * A CPU profile of the bot under callback load: npm run bench:profile [-- --duration 10 --mix]
 * Starts the bot target with `node --cpu-prof`, drives encrypted text callbacks at it (50 connections), stops it with
 * SIGINT (so Node writes the profile) and prints the top self-time entries, by function and file. Without `--mix`
 * every message is 帮助, as in bench:callback; with `--mix` the staff's questions of the paraphrase set's tune part
 * (articles, schedule, plan, lay questions, small talk, off-topic), asked on a day of the seed semester.
 */
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { CallbackCodec } from '../../src/wecom/callback-codec.ts';
import { CallbackSender } from '../../src/wecom/callback-sender.ts';
import { TUNE } from '../../test/intents/tune.ts';
import { BENCH_CREDENTIALS } from './credentials.ts';
import { runLoad, startTarget } from './load.ts';

const { values } = parseArgs({
  options: {
    duration: { type: 'string', default: '10' },
    connections: { type: 'string', default: '50' },
    mix: { type: 'boolean', default: false },
    top: { type: 'string', default: '15' },
  },
});
const duration = Number(values.duration);
const START = '2016-09-21T10:00:00+08:00';
const texts = values.mix ? (['article', 'schedule', 'plan-info', 'search', 'small-talk', 'off-topic'] as const).flatMap((i) => TUNE[i]) : ['帮助'];

const dir = mkdtempSync(path.join(tmpdir(), 'callback-profile-'));
const env: Record<string, string> = values.mix ? { BENCH_CLOCK_START: START } : {};
const target = await startTarget('bot', env, ['--cpu-prof', `--cpu-prof-dir=${dir}`]);
// The sender's clock is the target's (its timestamp window would refuse a 2016 message sealed now, or the reverse).
const offset = values.mix ? Date.parse(START) - Date.now() : 0;
const clock = { now: () => Date.now() + offset };
const { corpId, agentId, token, encodingAesKey } = BENCH_CREDENTIALS;
const codec = new CallbackCodec({ token, encodingAesKey, corpId, clock, timestampWindowSec: 300 });
const wecom = new CallbackSender(codec, corpId, agentId, async () => ({ status: 0, body: '' }));
const pool = Array.from({ length: 40_000 * Math.max(1, duration / 10) }, (_, i) => {
  const { query, body } = codec.sealInbound(wecom.textXml(`user${i % 500}`, texts[i % texts.length]!), agentId);
  return { path: `/wecom/callback?${new URLSearchParams(query)}`, body };
});
let next = 0;
const load = await runLoad('callback', {
  url: `http://127.0.0.1:${target.port}`,
  connections: Number(values.connections),
  duration,
  requests: [
    {
      method: 'POST',
      headers: { 'content-type': 'text/xml' },
      setupRequest: (req) => {
        const r = pool[next++ % pool.length]!;
        return { ...req, method: 'POST', path: r.path, body: r.body };
      },
    },
  ],
});
await new Promise<void>((resolve) => {
  target.child.once('exit', () => resolve());
  target.child.kill('SIGINT');
});

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}
const file = readdirSync(dir).find((f) => f.endsWith('.cpuprofile'));
if (!file) throw new Error(`no profile written in ${dir}`);
const profile = JSON.parse(readFileSync(path.join(dir, file), 'utf8')) as { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[] };
const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
const self = new Map<string, number>();
let busy = 0;
profile.samples.forEach((id, i) => {
  const { functionName, url } = nodes.get(id)!.callFrame;
  if (functionName === '(idle)') return;
  const where = url.replace(/^.*?\/(src|handlers|node_modules|scripts)\//, '$1/');
  const key = `${functionName || '(anonymous)'}\t${where}`;
  const dt = profile.timeDeltas[i] ?? 0;
  busy += dt;
  self.set(key, (self.get(key) ?? 0) + dt);
});
console.log(
  `Callback CPU profile: ${values.mix ? `mix of ${texts.length} staff questions` : '帮助'}, ${load.rps} requests/s, ${duration} s; profile ${path.join(dir, file)}\n`,
);
console.log('| self time (of busy) | function | file |\n|---:|---|---|');
for (const [key, t] of [...self].sort((a, b) => b[1] - a[1]).slice(0, Number(values.top))) {
  const [fn, where] = key.split('\t');
  console.log(`| ${((100 * t) / busy).toFixed(1)}% | ${fn} | ${where} |`);
}
