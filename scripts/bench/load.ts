import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';

/** Shared helpers for load benchmarks: start a target process, drive it with autocannon, format figures. */
export interface Target {
  port: number;
  child: ChildProcess;
  stop(): Promise<void>;
}

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** `nodeArgs`: extra options for the target's Node (`--cpu-prof` for a profile under load). */
export async function startTarget(kind: string, env: Record<string, string> = {}, nodeArgs: readonly string[] = []): Promise<Target> {
  const child = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', 'scripts/bench/target-server.ts', kind], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, ...env },
  });
  const port = await new Promise<number>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (b) => {
      out += b;
      const m = /LISTENING (\d+)/.exec(out);
      if (m) resolve(Number(m[1]));
    });
    child.on('exit', (code) => reject(new Error(`target ${kind} exited with ${code}`)));
  });
  return {
    port,
    child,
    stop: () =>
      new Promise((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGKILL');
      }),
  };
}

export interface LoadResult {
  name: string;
  requests: number;
  rps: number;
  p50: number;
  p99: number;
  errors: number;
  non2xx: number;
}

export async function runLoad(
  name: string,
  opts: { url: string; connections: number; duration: number; requests?: autocannon.Request[]; method?: 'GET' | 'POST' },
): Promise<LoadResult> {
  const r = await autocannon({ url: opts.url, connections: opts.connections, duration: opts.duration, ...(opts.requests ? { requests: opts.requests } : {}) });
  return {
    name,
    requests: r.requests.total,
    rps: Math.round(r.requests.average),
    p50: r.latency.p50,
    p99: r.latency.p99,
    errors: r.errors + r.timeouts,
    non2xx: r.non2xx,
  };
}

export function table(rows: LoadResult[]): string {
  const head = '| case | requests/s | p50 ms | p99 ms | requests | errors | non-2xx |\n|---|---:|---:|---:|---:|---:|---:|';
  return [head, ...rows.map((r) => `| ${r.name} | ${r.rps} | ${r.p50} | ${r.p99} | ${r.requests} | ${r.errors} | ${r.non2xx} |`)].join('\n');
}
