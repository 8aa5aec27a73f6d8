/**
 * Soak run: npm run bench:soak [-- --minutes 20 --warmup 10 --rate 150 --postgres URL]
 * The bot in its own process (live mode against the simulated WeCom, on loopback only; lowdb unless --postgres), its
 * clock in the 2016 semester so secretaries can hand in records. For `minutes` it gets a steady mix at about `rate`
 * requests/s: questions from staff (distinct messages), secretaries going through the record form and submitting,
 * WeCom's retries of a message already answered (duplicates), and bad requests (wrong signature, broken body, stale
 * timestamp). The warm-up (default 10 minutes) is as long as the dedupe ledger keeps a message's key: until then
 * the ledger fills by design; growth after it is what would be a leak. Every answer is checked: a valid message must get 200 (duplicates the same reply as the first time), a
 * bad one a 4xx. Reports throughput, p99 per kind, errors, RSS over time (growth after a one-minute warm-up) and the
 * service's event-loop delay (from /healthz). Stops by itself.
 */
import { readFileSync } from 'node:fs';
import { FORM_SCRIPT } from './form-script.ts';
import { parseArgs } from 'node:util';
import { CallbackCodec } from '../../src/wecom/callback-codec.ts';
import { CallbackSender } from '../../src/wecom/callback-sender.ts';
import { BENCH_CREDENTIALS } from './credentials.ts';
import { startTarget } from './load.ts';

const { values } = parseArgs({
  options: {
    minutes: { type: 'string', default: '20' },
    warmup: { type: 'string', default: '10' },
    rate: { type: 'string', default: '150' },
    postgres: { type: 'string' },
  },
});
const MINUTES = Number(values.minutes);
const RATE = Number(values.rate);
const START = '2016-09-21T02:00:00Z';
const WARM_UP_MS = Math.min(Number(values.warmup), MINUTES / 2) * 60_000;

const target = await startTarget('bot', { BENCH_CLOCK_START: START, ...(values.postgres ? { BENCH_DATABASE_URL: values.postgres } : {}) });
const base = `http://127.0.0.1:${target.port}`;
const offset = Date.parse(START) - Date.now();
const clock = { now: () => Date.now() + offset };
const { corpId, agentId, token, encodingAesKey } = BENCH_CREDENTIALS;
const codec = new CallbackCodec({ token, encodingAesKey, corpId, clock, timestampWindowSec: 300 });

interface Sent {
  status: number;
  body: string;
}
async function post(query: Record<string, string>, body: string): Promise<Sent> {
  const res = await fetch(`${base}/wecom/callback?${new URLSearchParams(query)}`, { method: 'POST', body, headers: { 'content-type': 'text/xml' } });
  return { status: res.status, body: await res.text() };
}
const wecom = new CallbackSender(codec, corpId, agentId, post, () => clock.now());

type Kind = 'question' | 'form' | 'duplicate' | 'bad';
const stats = new Map<Kind, { n: number; ms: number[]; wrong: number; errors: number }>();
const stat = (k: Kind) => stats.get(k) ?? (stats.set(k, { n: 0, ms: [], wrong: 0, errors: 0 }), stats.get(k)!);
let receipts = 0;
const wrongSamples: string[] = [];

/** Times one request of a kind; `ok` checks the answer. Network errors and 5xx count as errors. */
async function timed(kind: Kind, send: () => Promise<{ status: number; text?: string }>, ok: (r: { status: number; text?: string }) => boolean) {
  const s = stat(kind);
  const t0 = performance.now();
  try {
    const r = await send();
    s.ms.push(performance.now() - t0);
    s.n++;
    if (r.status >= 500) s.errors++;
    else if (!ok(r)) {
      s.wrong++;
      if (wrongSamples.length < 5) wrongSamples.push(`${kind}: ${r.status} ${r.text?.slice(0, 80) ?? ''}`);
    }
    return r;
  } catch (err) {
    s.errors++;
    if (wrongSamples.length < 5) wrongSamples.push(`${kind}: ${(err as Error).message}`);
    return undefined;
  }
}

const QUESTIONS = [
  '第四十七条是什么',
  '9月20日学什么',
  '教师资格有什么规定',
  '本周安排',
  '帮助',
  '八项规定第三条',
  '学分制',
  'what is Article 47',
  '高等教育法第十条',
  '学习主题',
];
const FORM = FORM_SCRIPT;
const SECRETARIES = ['zhangsan', 'lisi', 'wangwu'];
const endAt = Date.now() + MINUTES * 60_000;
const pace = async (share: number) => new Promise((r) => setTimeout(r, (1000 / RATE) * share * (0.5 + Math.random())));

let q = 0;
async function questions(worker: number) {
  while (Date.now() < endAt) {
    const text = QUESTIONS[q++ % QUESTIONS.length]!;
    await timed(
      'question',
      async () => {
        const r = await wecom.sendText(`staff${(q * 7 + worker) % 300}`, text);
        return { status: r.status, text: r.passiveReply ?? '' };
      },
      (r) => r.status === 200,
    );
    await pace(10);
  }
}

async function duplicates() {
  while (Date.now() < endAt) {
    const { query, body } = codec.sealInbound(wecom.textXml(`dup${q % 50}`, '第四十七条是什么'), agentId);
    const first = await timed(
      'question',
      async () => {
        const r = await post(query, body);
        return { status: r.status, text: r.body ? codec.openReply(r.body) : '' };
      },
      (r) => r.status === 200,
    );
    // WeCom's retry: the same request again; the same reply (freshly encrypted), not a second handling.
    await timed(
      'duplicate',
      async () => {
        const r = await post(query, body);
        return { status: r.status, text: r.body ? codec.openReply(r.body) : '' };
      },
      (r) => r.status === 200 && r.text === first?.text,
    );
    await pace(10);
  }
}

async function badRequests() {
  let i = 0;
  while (Date.now() < endAt) {
    const { query, body } = codec.sealInbound(wecom.textXml('mallory', '帮助'), agentId);
    const variants: Array<[Record<string, string>, string]> = [
      [{ ...query, msg_signature: '0'.repeat(40) }, body],
      [query, body.replace('<Encrypt>', '<Encrypt>AAAA')],
      [{ ...query, timestamp: String(Number(query.timestamp) - 3600) }, body],
      [query, '<xml><ToUserName>x</ToUserName></xml>'],
      [query, '\u0000'.repeat(100)],
    ];
    const [vq, vb] = variants[i++ % variants.length]!;
    await timed(
      'bad',
      async () => {
        const r = await post(vq, vb);
        return { status: r.status };
      },
      (r) => r.status >= 400 && r.status < 500,
    );
    await pace(10);
  }
}

async function secretary(user: string) {
  while (Date.now() < endAt) {
    for (const text of FORM) {
      const r = await timed(
        'form',
        async () => {
          const x = await wecom.sendText(user, text);
          return { status: x.status, text: x.passiveReply ?? '' };
        },
        (x) => x.status === 200,
      );
      if (r?.text?.includes('回执编号')) receipts++;
      await pace(10);
    }
  }
}

/** RSS of the service process (from /proc), MB. */
const rss = () => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${target.child.pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;
const samples: Array<{ atSec: number; rssMb: number }> = [];
const started = Date.now();
const sampler = setInterval(() => samples.push({ atSec: Math.round((Date.now() - started) / 1000), rssMb: rss() }), 5_000);

// Shares of the rate: questions 4 workers, form 3 secretaries, duplicates 2, bad requests 1 (each paced at rate/10).
await Promise.all([...[0, 1, 2, 3].map(questions), ...SECRETARIES.map(secretary), duplicates(), duplicates(), badRequests()]);
clearInterval(sampler);
const health = (await (await fetch(`${base}/healthz`)).json()) as { process: { rssMb: number; eventLoopDelayMs: { p50: number; p99: number; max: number } } };
await target.stop();

const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))] ?? 0;
const seconds = (Date.now() - started) / 1000;
const total = [...stats.values()].reduce((a, s) => a + s.n, 0);
const afterWarmUp = samples.filter((s) => s.atSec * 1000 >= WARM_UP_MS);
const baseline = afterWarmUp[0]?.rssMb ?? 0;
const peak = Math.max(...afterWarmUp.map((s) => s.rssMb));
const last = afterWarmUp.at(-1)?.rssMb ?? 0;
console.log(`Soak: ${MINUTES} min, ~${RATE} requests/s offered, ${values.postgres ? 'PostgreSQL' : 'lowdb'}, Node ${process.version}\n`);
console.log('| kind | requests | p50 ms | p99 ms | wrong answers | errors (5xx, network) |\n|---|---:|---:|---:|---:|---:|');
for (const [kind, s] of stats) console.log(`| ${kind} | ${s.n} | ${pct(s.ms, 50).toFixed(1)} | ${pct(s.ms, 99).toFixed(1)} | ${s.wrong} | ${s.errors} |`);
console.log(`\nthroughput: ${(total / seconds).toFixed(0)} requests/s over ${seconds.toFixed(0)} s; records submitted: ${receipts}`);
console.log(
  `RSS: ${samples[0]?.rssMb.toFixed(0)} MB at 5 s, ${baseline.toFixed(0)} MB after warm-up (${WARM_UP_MS / 1000} s), peak ${peak.toFixed(0)} MB, last ${last.toFixed(0)} MB: growth after warm-up ${(((last - baseline) / baseline) * 100).toFixed(1)}% (target ≤ 10%)`,
);
console.log(
  `RSS over time (s: MB): ${samples
    .filter((_, i) => i % 24 === 0 || i === samples.length - 1)
    .map((s) => `${s.atSec}: ${s.rssMb.toFixed(0)}`)
    .join(', ')}`,
);
console.log(
  `event-loop delay of the service since start: p50 ${health.process.eventLoopDelayMs.p50} ms, p99 ${health.process.eventLoopDelayMs.p99} ms, max ${health.process.eventLoopDelayMs.max} ms`,
);
if (wrongSamples.length) console.log(`first wrong answers: ${wrongSamples.join(' | ')}`);
const bad = [...stats.values()].reduce((a, s) => a + s.wrong + s.errors, 0);
process.exitCode = bad ? 1 : 0;
